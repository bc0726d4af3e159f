"""The hook by which the command layer finds the inspection forms (acceptance: 自查自评表, 市级检查验收表 and the
summary), defined and registered in generator/render/acceptance.py."""
from generator.render.acceptance import KIND

__all__ = ["KIND"]
