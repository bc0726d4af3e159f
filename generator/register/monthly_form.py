"""The 信息月报 form a county fills in each month (its own columns, ledger/monthly.py), prefilled from its latest
counted submission in the register: a kind of the document pipeline (monthly-form). Its workbook is
ledger.writer.monthly_workbook_bytes; ``gaizao register template COUNTY --period YYYY-MM -o FILE`` writes it through
``write`` (pipeline.produce + save, to the path given); ``gaizao render doc monthly-form --db FILE --as-of DAY
[--county C]`` makes the forms of that day's month as the register stood on that day."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.render.pipeline import Document

TITLE = "信息月报表"


@dataclass(frozen=True)
class MonthlyForm:
    county: str
    period: str                     # YYYY-MM
    report: Any                     # the prefilled 月报 (a Plan with the 月报's columns), or None for a blank form
    note: str | None = None         # 示例数据, printed on the form
    national: bool = False          # the national survey's quantity columns too


def document(lp, form: MonthlyForm, *, sample: bool = False) -> Document:
    from generator.render.pipeline import Document
    return Document(f"{form.period}-{form.county}-{TITLE}", form, f"{form.county}{form.period}信息月报", sample,
                    author=lp.policy.document.issuer.value, extra={"county": form.county, "period": form.period})


def prefilled(reg, lp, county: str, period: str, as_of: dt.date, *, national: bool = False) -> tuple[MonthlyForm, Any]:
    """The form of ``county`` for ``period`` prefilled from what it had reported by ``as_of`` (its latest counted
    submission), and that submission; a county with none is a located error."""
    from generator.errors import UsageError
    from generator.ledger import monthly as M
    from generator.ledger.samples import NOTE
    snap = reg.snapshot(as_of, policy=lp)
    sub = snap.latest.get(county)
    if sub is None:
        raise UsageError(f"登记库中没有“{county}”计入的报送，无从预填", f"no counted submission of {county!r} to prefill from")
    report = M.prefill(reg.plan(sub.id, lp), lp, period)
    # where the prefill came from is said to the clerk, never printed on the form the county's leader seals
    return MonthlyForm(county, period, report, NOTE if sub.sample else None, national), sub


def write(lp, form: MonthlyForm, path, *, sample: bool = False) -> Path:
    """The form to ``path`` through the document pipeline (the kind below): rendered, then written atomically."""
    from generator.render import pipeline
    data = pipeline.produce(KIND, lp, document(lp, form, sample=sample), "xlsx")
    return pipeline.save([(Path(path), data)])[0]


def documents(lp, inputs) -> list[Document]:
    """The form of --as-of's month as the register (--db) stood on --as-of: for --county, else for every county with
    a counted submission by then."""
    from generator.register import Register
    assert inputs.as_of is not None
    reg = Register(inputs.db)
    period = inputs.as_of.strftime("%Y-%m")
    counties = [inputs.county] if inputs.county else sorted(reg.snapshot(inputs.as_of, policy=lp).latest)
    docs = []
    for county in counties:
        form, sub = prefilled(reg, lp, county, period, inputs.as_of)
        docs.append(document(lp, form, sample=bool(sub.sample)))
    return docs


def _xlsx(doc, env) -> bytes:
    from generator.ledger.writer import monthly_workbook_bytes
    f: MonthlyForm = doc.context
    return monthly_workbook_bytes(env.lp, f.county, f.period, f.report, note=f.note, national=f.national)


def _kind():
    from generator.render.pipeline import Builder, DocumentKind, register
    return register(DocumentKind(
        "monthly-form", TITLE, "monthly report form", documents, Builder(xlsx=_xlsx), needs=("db", "as_of"),
        help="下级单位信息月报表（XLSX）：以登记库中该单位最近一次计入的报送预填，由其更新后报送"))


KIND = _kind()
