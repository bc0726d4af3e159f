"""Words that follow the administrative unit: 全省/全市/全县/全区, and who governs it (人民政府 or 管委会).

An official text says 全省 in a province's plan, 全市 in a city's (a county-level city too: 长葛市 says 全市),
全县 or 全区 in a county's. A 开发区, 新区 or 示范区 has no people's government: a 管理委员会 (管委会) governs it.
"""
from __future__ import annotations

# functional areas governed by a 管委会, not a 人民政府 (国家许昌经济技术开发区, 市城乡一体化示范区, 兰州新区)
MANAGED_AREAS = ("开发区", "新区", "示范区", "高新区", "综合实验区", "集聚区")
LEVEL_NAMES = {"province": "省", "city": "市", "county": "县"}
# the last character of a unit's name that says what kind of unit it is (许昌市, 襄城县, 建安区, 恩施州)
UNIT_SUFFIXES = ("省", "市", "县", "区", "旗", "州", "盟")


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


def _kind(name: str) -> str | None:
    """The kind of unit a name says it is (区 for a 开发区 or 新区), or None."""
    name = name.strip()
    if is_managed_area(name):
        return "区"
    return name[-1] if name.endswith(UNIT_SUFFIXES) else None


def scope_word(name: str, level: str | None = None) -> str:
    """全省, 全市, 全县, 全区, 全旗: the whole of the unit, as its own texts say it."""
    return "全" + (_kind(name) or LEVEL_NAMES.get(level or level_of(name.strip()), "市"))


def own_word(name: str, parent_level: str) -> str:
    """What a unit one level down calls itself in its own plan (结合我县/我市/我区实际): the kind its name ends in;
    a name that says no kind is called as the parent's level names the units below it (县（市、区）, 市)."""
    return _kind(name) or lower_unit(parent_level)


def government(name: str) -> str:
    """The body that signs for a unit: 建安区人民政府, 国家许昌经济技术开发区管委会."""
    name = name.strip()
    return f"{name}管委会" if is_managed_area(name) else f"{name}人民政府"


# a unit one level down as a column head or a list names it: 县（市、区） under a city, 市 under a province
LOWER_UNIT = {"province": "市", "city": "县（市、区）", "county": "乡镇（街道）"}
# who acts for the unit itself: 市级检查验收组, 省级检查验收组
LEVEL_ORGAN = {"province": "省级", "city": "市级", "county": "县级"}


# the level below acting for itself: 县级填报 / 本县填写 under a city, 市级填报 / 本市填写 under a province
LOWER_ORGAN = {"province": "市级", "city": "县级", "county": "乡镇（街道）"}
# the short name of a unit one level down, as in 本县 / 同一县 (本市 under a province)
LOWER_SHORT = {"province": "市", "city": "县", "county": "乡镇（街道）"}


def lower_organ(level: str) -> str:
    return LOWER_ORGAN[level]


def lower_self(level: str) -> str:
    return "本" + LOWER_SHORT[level]


def lower_short(level: str) -> str:
    return LOWER_SHORT[level]


def lower_unit(level) -> str:
    """The units one level down: by a level (县（市、区） under a city), or by a policy — its own word where it
    declares one (`lower_unit: {value: 区市, clause, quote}`, 青岛), else its level's."""
    if isinstance(level, str):
        return LOWER_UNIT[level]
    declared = getattr(level, "lower_unit", None)
    return str(declared.value) if declared is not None else LOWER_UNIT[policy_level(level)]


def lower_units(level) -> str:
    """How the units one level down are named together: 各市, 各县（市、区）, 各区市 (a level or a policy)."""
    return "各" + lower_unit(level)


def level_organ(level: str) -> str:
    return LEVEL_ORGAN[level]


def level_words(level: str) -> dict[str, str]:
    """Every word of a level at once, for a template or a message (许昌, a city: 县（市、区）, 各县（市、区）, 市级,
    县级, 县, 本县; 河南省: 市, 各市, 省级, 市级, 市, 本市)."""
    return {"lower_unit": lower_unit(level), "lower_units": lower_units(level), "level_organ": level_organ(level),
            "lower_organ": lower_organ(level), "lower_short": lower_short(level), "lower_self": lower_self(level)}


def policy_words(policy) -> dict[str, str]:
    """``level_words`` of the policy's level and its scope word (全市, 全省) under "scope"."""
    words = level_words(policy_level(policy))
    words.update(lower_unit=lower_unit(policy), lower_units=lower_units(policy))     # a declared word wins
    return {**words, "scope": policy_scope(policy)}


def policy_level(policy) -> str:
    """province, city or county of a policy (the register's recorded facts, standing in for one, say none)."""
    return getattr(policy, "unit_level", None) or level_of(str(policy.document.city.value))


def policy_scope(policy) -> str:
    """全市 for 许昌市's policy, 全省 for 河南省's. (The register's recorded facts stand in for a policy: no level.)"""
    return scope_word(str(policy.document.city.value), getattr(policy, "unit_level", None))
