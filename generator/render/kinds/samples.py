"""The hook by which the command layer finds the sample workbook kind (sample-workbook, XLSX), defined and
registered in generator/render/samples.py."""
from generator.render.samples import KIND

__all__ = ["KIND"]
