"""The hook by which the command layer finds the 信息月报表 (monthly-form: gaizao register template), defined and
registered in generator/register/monthly_form.py."""
from generator.register.monthly_form import KIND

__all__ = ["KIND"]
