"""The hook by which the command layer finds the tongbao kind, defined and registered in generator/reports/tongbao.py."""
from generator.reports.tongbao import KIND

__all__ = ["KIND"]
