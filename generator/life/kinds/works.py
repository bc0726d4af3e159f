"""The hook by which the command layer finds the 改造内容分类汇总表 kind (works), defined and registered in
generator/life/works.py."""
from generator.life.works import KIND

__all__ = ["KIND"]
