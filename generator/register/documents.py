"""The year's documents from the register as of a day: the register gathers the data, the renderers of
generator.reports (engineer 10B's, plain data in) and summary.py write them.

- 汇总表 (XLSX, summary.py): every county against the milestones, and the monthly series;
- 进度通报 (DOCX + PDF): the status as of the day; with a monthly due day given by the office, its
  信息报送 part lists 迟报/漏报 and revised months (错报 candidates) from the submissions' periods;
- 开工项目认定汇总表 per county (XLSX + PDF), from each county's latest submission received by the day;
- 反馈意见函 to each county whose latest submission has errors or warnings, or rewrote an earlier report.

Each part is skipped with a note when its renderer is not installed, so the register works without them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Written:
    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)          # what was skipped and why (Chinese)
    notes_en: list[str] = field(default_factory=list)


def _have(module: str) -> bool:
    import importlib.util
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def write_documents(reg, lp, as_of: dt.date, out_dir, *, due_day: int | None = None, date: dt.date | None = None,
                    pdf: bool = True, kaigong: bool = True) -> Written:
    out = Path(out_dir)
    w = Written()
    status = reg.status(as_of, policy=lp)
    w.paths.append(reg.write_summary(out / f"汇总表（截至{as_of.isoformat()}）.xlsx", as_of, policy=lp))

    if have_bulletin():
        from generator.reports.official import write
        doc = progress_bulletin(reg, lp, as_of, status=status, due_day=due_day, date=date, notes=w)
        w.paths += write(doc, out, bulletin_stem(as_of), pdf=pdf)
    else:
        w.notes.append("未安装进度通报生成模块（generator.reports.tongbao），已跳过")
        w.notes_en.append("generator.reports.tongbao not available: bulletin skipped")

    plans = None
    if kaigong and not lp.policy.has_start_criteria:
        # a plan without 开工认定标准 (a target table) has nothing to judge a start by: said, not an error
        w.notes.append("政策没有开工认定标准：未生成开工项目认定汇总表")
        w.notes_en.append("the policy has no start-of-work criteria: no 开工 tables")
    elif kaigong and _have("generator.reports.kaigong"):
        from generator.render.checklists import plan_is_sample
        from generator.reports.kaigong import write_kaigong
        plans = reg.plans_as_of(as_of, policy=lp)
        for county, plan in plans.items():
            w.paths += write_kaigong(lp, county, plan, as_of, out / "开工项目认定汇总表", sample=plan_is_sample(plan),
                                     pdf=pdf)
    if _have("generator.reports.fankui"):
        from generator.reports.fankui import fankui
        from generator.reports.official import write
        for c in status.counties:
            x = c.line
            if x.submission is None:
                continue
            sub = reg.get(x.submission)
            found = [f for f in reg.findings(sub.id) if f.severity.value in ("error", "warning")]
            found += [f for f in reg.rewrites(x.county, policy=lp)
                      if f.extra.get("new_received") and f.extra["new_received"] <= as_of]
            if not found:
                continue
            doc = fankui(lp, x.county, found, file_name=sub.file_name, received=sub.received, sample=sub.sample,
                         date=date)
            w.paths += write(doc, out / "反馈意见函", f"反馈意见函（{x.county}，截至{as_of.isoformat()}）", pdf=pdf)
    return w


def have_bulletin() -> bool:
    return _have("generator.reports.tongbao")


def bulletin_stem(as_of: dt.date) -> str:
    return f"进度通报（截至{as_of.isoformat()}）"


def progress_bulletin(reg, lp, as_of: dt.date, *, status=None, due_day: int | None = None,
                      date: dt.date | None = None, notes: Written | None = None):
    """The 进度通报 as of a day (generator.reports.official.Official, not yet rendered); with a monthly due
    day, its 信息报送 part from the submissions. ``status``: the register's status as of the day, when the
    caller has it; ``notes``: where to say that late and missing reports are not listed."""
    from generator.policy.wording import level_organ, policy_level
    from generator.reports.tongbao import lines_from_status, progress_tongbao
    if status is None:
        status = reg.status(as_of, policy=lp)
    duties = None
    if due_day is not None:
        duties = reporting_duties(reg, lp, as_of, due_day)
    elif notes is not None:
        notes.notes.append("政策未规定信息月报报送日：进度通报未列迟报、漏报（如需列出，用 --monthly-due-day 给出"
                           f"{level_organ(policy_level(lp.policy))}确定的报送日）")
        notes.notes_en.append("no monthly due day: the bulletin lists no late or missing reports (--monthly-due-day)")
    counties, city = lines_from_status(status)
    return progress_tongbao(lp, as_of, counties, city, duties=duties, sample=status.sample, date=date)


def reporting_duties(reg, lp, as_of: dt.date, due_day: int, received_by_then=None):
    """迟报/漏报/重报 of the 信息月报 from the submissions that name the month they report (``period``),
    counted from the first month any county reported. ``received_by_then``: reg.submissions(until=as_of)
    when the caller has read them already."""
    from generator.reports.duties import Received
    from generator.reports.duties import reporting_duties as duties
    if received_by_then is None:
        received_by_then = reg.submissions(until=as_of)
    subs = [s for s in received_by_then if s.period]
    received = [Received(s.county, s.received, s.period) for s in subs]
    first = min((s.period for s in subs), default=None)
    return duties(lp, received, as_of, due_day, first_period=first)
