"""The year's documents from the register as of a day, all read from one ``Snapshot`` (snapshot.py):

- 汇总表 (XLSX, summary.py): every county against the milestones, and the monthly series;
- 进度通报 (DOCX + PDF): the status as of the day (recognised starts, milestones on the reports for their
  period); with the office's monthly due day (recorded rule or --monthly-due-day), its 信息报送 part lists
  迟报/漏报/错报/瞒报 from the register's four words (words.py);
- 开工项目认定汇总表 per county (XLSX + PDF), from each county's latest counted submission received by the
  day, each start decided by recognition.recognise (the same decision the counts use);
- 反馈意见函 to each county whose latest submission has something it can still correct (not lateness, not
  what a later submission repaired);
- 年度考核评价表 (assessment.py) and the office's 说明 of the four words (each with its submissions).

Each part is skipped with a note when its renderer is not installed, so the register works without them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import GaizaoError
from generator.fileio import output_name


@dataclass
class Written:
    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)          # what was skipped and why (Chinese)
    notes_en: list[str] = field(default_factory=list)
    snapshot: object | None = None


def _have(module: str) -> bool:
    import importlib.util
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def write_documents(reg, lp, as_of: dt.date, out_dir, *, due_day: int | None = None, date: dt.date | None = None,
                    pdf: bool = True, kaigong: bool = True, verdicts: dict | None = None, snap=None,
                    scores: dict | None = None, weights: dict | None = None) -> Written:
    out = Path(out_dir)
    w = Written()
    if snap is None:
        snap = reg.snapshot(as_of, policy=lp, verdicts=verdicts, due_day=due_day)
    w.snapshot = snap
    # each county's latest counted workbook read back once: the 汇总表's 改造内容分类 and the 开工项目认定汇总表
    plans = {}
    for county, sub in snap.latest.items():
        try:
            plans[county] = reg.plan(sub.id, lp)
        except GaizaoError:
            pass                         # the 汇总表 says it could not be read back; the 认定汇总表 raises it
    w.paths.append(reg.write_summary(out / output_name(f"汇总表（截至{as_of.isoformat()}）", ".xlsx"), as_of, snap=snap,
                                     plans=plans))

    if have_bulletin():
        from generator.render.pipeline import write_documents as through_pipeline
        from generator.reports import tongbao
        doc = progress_bulletin(reg, lp, as_of, snap=snap, date=date, notes=w)
        w.paths += through_pipeline(tongbao.KIND, lp, [tongbao.document(doc, as_of, bool(doc.label))], out, pdf=pdf)
    else:
        w.notes.append("未安装进度通报生成模块（generator.reports.tongbao），已跳过")
        w.notes_en.append("generator.reports.tongbao not available: bulletin skipped")

    if kaigong and not lp.policy.has_start_criteria:
        # a plan without 开工认定标准 (a target table) has nothing to judge a start by: said, not an error
        w.notes.append("政策没有开工认定标准：未生成开工项目认定汇总表")
        w.notes_en.append("the policy has no start-of-work criteria: no 开工 tables")
    elif kaigong and _have("generator.reports.kaigong"):
        from generator.render.checklists import plan_is_sample
        from generator.reports.kaigong import write_kaigong
        for county, sub in snap.latest.items():
            plan = plans[county] if county in plans else reg.plan(sub.id, lp)     # unreadable: its error, located
            w.paths += write_kaigong(lp, county, plan, as_of, out / "开工项目认定汇总表", sample=plan_is_sample(plan),
                                     pdf=pdf, checks=_start_checks(reg, sub.id), verdicts=snap.verdicts,
                                     unapproved=sub.id in {u.id for u in snap.unapproved})
    if _have("generator.reports.fankui"):
        from generator.render.pipeline import write_documents as through_pipeline
        from generator.reports.fankui import KIND, document, fankui
        for county, found in snap.correctable.items():
            sub = snap.last[county]
            doc = fankui(lp, county, found, file_name=sub.file_name, received=sub.received, sample=sub.sample,
                         date=date)
            w.paths += through_pipeline(KIND, lp, [document(doc, county, sub.sample,
                                                            f"反馈意见函（{county}，截至{as_of.isoformat()}）")],
                                        out / "反馈意见函", pdf=pdf)
    from generator.register.assessment import write_assessment
    w.paths += write_assessment(snap, out, scores=scores, weights=weights)      # the table and its 说明 (pipeline)
    from generator.register.assessment import missing
    todo = missing(snap, scores, weights)
    if todo:                               # the blank cells of the table, said to the office (not in the table)
        w.notes.append("年度考核评价表留空待填：" + "".join(todo))
        w.notes_en.append(f"assessment table: {len(todo)} kind(s) of cell left blank to fill (see the 说明)")
    if snap.rules.monthly_due_day is None:
        from generator.policy.wording import level_organ, policy_level
        w.notes.append("政策未规定信息月报报送日：进度通报未列迟报、漏报（如需列出，用 --monthly-due-day 给出"
                       f"{level_organ(policy_level(lp.policy))}确定的报送日，或用 gaizao register rule monthly_due_day N "
                       "--from 日期 --by 姓名 记录）")
        w.notes_en.append("no monthly due day recorded: no late or missing reports judged")
    return w


def _start_checks(reg, sid: int) -> dict:
    """The submission's stored 开工认定 facts, unparsed: the 认定汇总表 parses only the rows it must (records.py)."""
    from generator.register.records import start_check_texts
    with reg._open() as conn:
        return start_check_texts(conn, sid)


def have_bulletin() -> bool:
    return _have("generator.reports.tongbao")


def bulletin_stem(as_of: dt.date) -> str:
    return f"进度通报（截至{as_of.isoformat()}）"


def progress_bulletin(reg, lp, as_of: dt.date, *, status=None, due_day: int | None = None,
                      date: dt.date | None = None, notes: Written | None = None, snap=None):
    """The 进度通报 as of a day (generator.render.official.Official, not yet rendered) from the day's
    snapshot; its 信息报送 part when the office's due day is known (recorded, or ``due_day``)."""
    from generator.reports.tongbao import lines_from_status, progress_tongbao
    if snap is None:
        snap = reg.snapshot(as_of, policy=lp, due_day=due_day)
    duties = snap.duties()
    counties, city = lines_from_status(snap.status)
    return progress_tongbao(lp, as_of, counties, city, duties=duties, sample=snap.sample, date=date,
                            quality=snap.quality)


def reporting_duties(reg, lp, as_of: dt.date, due_day: int, received_by_then=None):
    """迟报/漏报/错报/瞒报 of the day's snapshot (reports.duties.DutiesReport), for the web page and the 通报."""
    snap = reg.snapshot(as_of, policy=lp, due_day=due_day)
    return snap.duties()
