"""The hook by which the command layer finds the 年度考核评价表 and its 说明 (assessment), defined and registered in
generator/register/assessment.py."""
from generator.register.assessment import KIND

__all__ = ["KIND"]
