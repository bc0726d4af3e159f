"""The hook by which the command layer finds the 全国统计调查表 (national: gaizao register national), defined and
registered in generator/register/national.py."""
from generator.register.national import KIND

__all__ = ["KIND"]
