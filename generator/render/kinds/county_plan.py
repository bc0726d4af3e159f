"""The hook by which the command layer finds the county-plan template kind, defined and registered in
generator/render/county_plan.py."""
from generator.render.county_plan import KIND

__all__ = ["KIND"]
