"""The hook by which the command layer finds the fankui kind, defined and registered in generator/reports/fankui.py."""
from generator.reports.fankui import KIND

__all__ = ["KIND"]
