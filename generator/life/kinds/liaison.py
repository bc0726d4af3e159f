"""The hook by which the command layer finds the 联系点 kinds (liaison-report, liaison-check), defined and registered
in generator/life/liaison.py."""
from generator.life.liaison import CHECK, REPORT

__all__ = ["CHECK", "REPORT"]
