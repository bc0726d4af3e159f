"""The hook by which the command layer finds the 检查验收结果通报 kind (results), defined and registered in
generator/reports/tongbao.py."""
from generator.reports.tongbao import RESULTS

__all__ = ["RESULTS"]
