"""The hook by which the command layer finds the 汇总表 (summary), defined and registered in
generator/register/summary.py."""
from generator.register.summary import KIND

__all__ = ["KIND"]
