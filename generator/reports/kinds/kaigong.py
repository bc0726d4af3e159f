"""The hook by which the command layer finds the 开工项目认定汇总表 (kaigong), defined and registered in
generator/reports/kaigong.py."""
from generator.reports.kaigong import KIND

__all__ = ["KIND"]
