"""The hook by which the command layer finds the start-of-work checklists (checklist, one per project;
checklist-volume, one PDF per county), defined and registered in generator/render/checklists.py."""
from generator.render.checklists import SINGLE, VOLUME

__all__ = ["SINGLE", "VOLUME"]
