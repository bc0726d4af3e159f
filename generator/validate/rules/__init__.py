"""The validator's rules, one small module per theme; importing this package registers them.

V0xx cells · V1xx county and targets · V2xx per-project fields and funding · V3xx consent ·
V4xx schedule · V5xx liaison points · V6xx 基本信息 · V7xx duplicates. (V8xx: city-wide, citywide.py.)
"""
from generator.validate.registry import RULES, Rule
from generator.validate.rules import cells, county, info, liaison, projects, schedule, works  # noqa: F401


def all_rules() -> list[Rule]:
    """Every rule, by code (importing this package registered them; the registry itself imports no rule)."""
    return [RULES[k] for k in sorted(RULES)]
