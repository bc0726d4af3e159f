"""All of the year's documents in one call, from plain data: what ``gaizao build`` (and a web page) runs.

    from generator.reports.year import write_documents
    paths = write_documents(lp, "output/year", as_of=dt.date(2023, 12, 31),
                            plans={"禹州市": plan, ...},          # county -> ledger Plan as of the date
                            status=register.status(as_of),     # optional: milestones as reported then
                            findings={"禹州市": [...]},           # optional: a 反馈意见函 per county with findings
                            scores=..., weights=..., received=[...], monthly_due_day=5, sample=True)

A part whose inputs are missing is skipped, and one whose input the policy leaves open (weights, the
monthly due day) is skipped with the reason in ``skipped`` — never filled in by a guess.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class YearDocuments:
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)        # why a document was not written (Chinese)


def write_documents(lp, out_dir, *, as_of: dt.date, plans: dict | None = None, status=None,
                    findings: dict | None = None, scores: dict | None = None, weights: dict | None = None,
                    weights_source: str = "user", self_scores: dict | None = None, received: list | None = None,
                    monthly_due_day: int | None = None, sample: bool = False, pdf: bool = True,
                    snapshot=None) -> YearDocuments:
    """``snapshot``: the register's one picture of the day (generator.register.snapshot.Snapshot); given, the
    status, the 信息报送 part (the four words) and the letters' findings all come from it, so nothing made here
    can disagree with the register's other documents of that day."""
    from generator.errors import GaizaoError
    from generator.render import pipeline
    from generator.reports import kaigong, tongbao

    out = Path(out_dir)
    res = YearDocuments()
    plans = plans or {}
    if snapshot is not None:
        status = snapshot.status
        findings = findings if findings is not None else snapshot.correctable
        sample = sample or snapshot.sample
        received = None
        duties_of_day = snapshot.duties()
    else:
        duties_of_day = None
    for county, plan in plans.items():
        res.written += kaigong.write_kaigong(lp, county, plan, as_of, out / "开工认定", sample=sample, pdf=pdf)
    duties = duties_of_day
    if received is not None:
        from generator.reports.duties import reporting_duties
        try:
            duties = reporting_duties(lp, received, as_of, monthly_due_day)
        except GaizaoError as exc:
            res.skipped.append(f"迟报/漏报/错报：{exc.args[0]}")
    lines = None
    if status is not None:
        lines = tongbao.lines_from_status(status)
    elif plans:
        from generator.validate.progress import progress
        lines = tongbao.lines_from_progress(progress(list(plans.values()), lp, as_of))
    if lines is not None:
        doc = tongbao.progress_tongbao(lp, as_of, *lines, duties=duties, sample=sample)
        res.written += pipeline.write_documents(tongbao.KIND, lp, [tongbao.document(doc, as_of, sample)], out, pdf=pdf)
    if scores:
        from generator.render.ranking import rank
        ins = lp.policy.inspections
        try:
            ranking = rank(lp.policy, scores, weights, None if len(scores) >= len(ins.rounds) else
                           next(r.id for r in ins.rounds if r.id in scores), weights_source=weights_source,
                           clause_text=lp.text.display(ins.clause))
            doc = tongbao.results_tongbao(lp, ranking, self_scores=self_scores, sample=sample)
            res.written += pipeline.write_documents(tongbao.RESULTS, lp, [tongbao.results_document(doc, sample)], out,
                                                    pdf=pdf)
        except GaizaoError as exc:
            res.skipped.append(f"检查验收结果通报：{exc.args[0]}")
    for county, found in (findings or {}).items():
        from generator.reports.fankui import KIND, document, fankui
        doc = fankui(lp, county, found, sample=sample)
        res.written += pipeline.write_documents(KIND, lp, [document(doc, county, sample)], out / "反馈意见函", pdf=pdf)
    return res
