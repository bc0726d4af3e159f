"""The quantities a target may publish and their units: plain data, apart from the pydantic model (model.py
re-exports them) so that reading a register's recorded figures (policy/goals.py) builds no model class."""
from __future__ import annotations

# quantity -> (units it may be published in, with their size in the base unit); the first is the default
QUANTITY_UNITS: dict[str, dict[str, int]] = {
    "projects": {"个": 1},
    "communities": {"个": 1},
    "households": {"户": 1, "万户": 10000},
    "buildings": {"栋": 1},
    "area": {"万㎡": 10000, "㎡": 1},
}
QUANTITY_LABELS = {"projects": "项目数", "communities": "小区数", "households": "户数", "buildings": "楼栋数",
                   "area": "建筑面积"}
