"""The hook by which the command layer finds the county-plan kinds, defined and registered in
generator/render/county_plan.py: the plan template (county-plan, DOCX) and the printable 报送表 (county-workbook,
XLSX)."""
from generator.render.county_plan import KIND, WORKBOOK

__all__ = ["KIND", "WORKBOOK"]
