"""Validate county plans against the policy: rules over a ``Plan`` -> findings.

    from generator.validate import validate_files
    result = validate_files(["data/sample-禹州市.xlsx"], load_policy("xuchang/2023"))
    result.report.exit_code()

``validate_plan`` (engine) checks one plan; ``validate_files`` reads each file, checks it and, when
the files cover several counties, adds the city-wide view (citywide.py).
"""
from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.findings import Report
from generator.ledger.model import Plan

if TYPE_CHECKING:                                     # citywide imports this package
    from generator.validate.citywide import CitySummary

__all__ = ["ValidationResult", "prepare", "validate_files", "validate_plan", "validate_plans"]


@dataclass
class ValidationResult:
    plans: list[Plan]
    report: Report                                   # every finding, files in the order given
    by_file: dict[str, list] = field(default_factory=dict)
    city: CitySummary | None = None                  # always computed

    def to_dict(self, lang: str = "zh") -> dict:
        d = self.report.to_dict(lang)
        d.update(self.city.to_dict() if self.city is not None else {"counties": [], "city": None})
        return d


def validate_plan(plan: Plan, lp, as_of=None, counties=None) -> list:
    """One plan's findings. The engine (and with it the policy model) is imported on use, so the
    command modules that import this package keep ``gaizao validate --help`` light."""
    from generator.validate.engine import validate_plan as check_plan
    return check_plan(plan, lp, as_of, counties)


def validate_plans(plans: list[Plan], lp, as_of=None) -> ValidationResult:
    """``as_of``: judge as of that date (rules wait for their due dates); None: every duty applies."""
    from generator.validate.citywide import cross_county_findings, summarize
    from generator.validate.engine import split_by_county
    from generator.validate.facts import run_scope

    # a 53,000-row plan is millions of acyclic objects: a cyclic GC pass, set off by the many small
    # objects the checks create, would walk them all again and again (as in the reader and engine)
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        with run_scope():
            return _validate_plans(plans, lp, as_of, cross_county_findings, summarize, split_by_county)
    finally:
        if gc_was_on:
            gc.enable()


def _validate_plans(plans, lp, as_of, cross_county_findings, summarize, split_by_county) -> ValidationResult:
    # split once: the rules, the cross-county checks and the summary all walk the same parts
    split = [(p, split_by_county(p, lp)) for p in plans]
    parts = [(p, part) for p, counties in split for part in counties]
    by_file = {p.file: validate_plan(p, lp, as_of, counties) for p, counties in split}
    cross = cross_county_findings(plans, lp, parts)
    for f in cross:
        if f.file in by_file:                     # at a cell of one file; the rest (a county missing) is city-wide
            by_file[f.file].append(f)
    report = Report(subject={**_judged_by(lp), "files": [p.file for p in plans]})
    for p in plans:
        report.extend(by_file[p.file])
    report.extend(f for f in cross if f.file not in by_file)
    return ValidationResult(plans, report, by_file, summarize(plans, report.findings, lp, parts))


def validate_files(paths, lp, as_of=None, opened=None) -> ValidationResult:
    """Read (raising InputError for a file that cannot be used) and validate each file. ``opened``: the
    first file as ``ledger.workbook.start_reading`` began to read it."""
    from generator.ledger.reader import read_plan
    if opened is not None:
        prepare(lp)           # while calamine still parses in its thread, not after it
    return validate_plans([read_plan(p, lp, opened if i == 0 else None) for i, p in enumerate(paths)], lp, as_of)


def prepare(lp) -> None:
    """Load what the checks need whatever the plan: the rules, the workbook contract, the policy text the
    findings cite (about 0.1 s). Best effort: a policy text that cannot be rendered fails where a finding
    first cites it, as without this."""
    from generator.validate import citywide, dates, engine  # noqa: F401  (imported by the checks)
    from generator.validate.facts import contract_of
    from generator.validate.rules import all_rules
    all_rules()
    contract_of(lp)
    try:
        _ = lp.text                                    # rendered once, before the rules read it
    except Exception:  # noqa: BLE001  (the same error is raised again at its first use)
        pass


def _judged_by(lp) -> dict:
    """The policy's manifest with its 文号 and title (a LoadedPolicy), or its manifest (the register's facts)."""
    return lp.judged_by() if hasattr(lp, "judged_by") else lp.manifest()
