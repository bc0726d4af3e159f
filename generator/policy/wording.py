"""Words that follow the administrative unit: 全省/全市/全县/全区, and who governs it (人民政府 or 管委会).

An official text says 全省 in a province's plan, 全市 in a city's (a county-level city too: 长葛市 says 全市),
全县 or 全区 in a county's. A 开发区, 新区 or 示范区 has no people's government: a 管理委员会 (管委会) governs it.
"""
from __future__ import annotations

# functional areas governed by a 管委会, not a 人民政府 (国家许昌经济技术开发区, 市城乡一体化示范区, 兰州新区)
MANAGED_AREAS = ("开发区", "新区", "示范区", "高新区", "综合实验区", "集聚区")
LEVEL_NAMES = {"province": "省", "city": "市", "county": "县"}


def level_of(name: str) -> str:
    """province, city or county from a unit's name (…省/自治区 province, …县/区/旗 county, else city).
    A county-level city (长葛市) reads as a city: say `level: county` in its policy."""
    name = name.strip()
    if name.endswith(("省", "自治区")) and not is_managed_area(name):
        return "province"
    if name.endswith(("县", "区", "旗")):
        return "county"
    return "city"


def is_managed_area(name: str) -> bool:
    return any(w in name for w in MANAGED_AREAS)


def scope_word(name: str, level: str | None = None) -> str:
    """全省, 全市, 全县, 全区, 全旗: the whole of the unit, as its own texts say it."""
    name = name.strip()
    if is_managed_area(name):
        return "全区"
    for suffix in ("省", "市", "县", "区", "旗", "州", "盟"):
        if name.endswith(suffix):
            return "全" + suffix
    return "全" + LEVEL_NAMES.get(level or level_of(name), "市")


def government(name: str) -> str:
    """The body that signs for a unit: 建安区人民政府, 国家许昌经济技术开发区管委会."""
    name = name.strip()
    return f"{name}管委会" if is_managed_area(name) else f"{name}人民政府"


def lower_units(level: str) -> str:
    """How the units one level down are named together: 各省辖市, 各县（市、区）."""
    return {"province": "各市", "city": "各县（市、区）", "county": "各乡镇（街道）"}[level]


def policy_scope(policy) -> str:
    """全市 for 许昌市's policy, 全省 for 河南省's. (The register's recorded facts stand in for a policy: no level.)"""
    return scope_word(str(policy.document.city.value), getattr(policy, "unit_level", None))
