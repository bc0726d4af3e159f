"""Sample life records (示例数据) for ``gaizao build``: written only into a register that holds sample data alone.

Derived from the register and the policy, never typed: the projects and their start and completion dates are
those of the sample year's reports; the days follow the policy's start milestone. Recorded by "示例数据" with
small generated photos (PNG) as evidence, so every record says what it is.

What the sample shows, as of the day before the start milestone's month (the day ``docs_day`` gives, when the
build prints the 开工认定结果 and the 整改通知书):

- per county, the first two projects started by then: both consent subjects consulted (入户, 90 % of the
  households agreeing), each criterion declared and verified 符合 on the start day (已认定);
- the first county's first project started after that day: criterion 5 verified 不符合 (不予认定), then 符合 on its
  start day (so the year's counts are unchanged);
- the other started projects: reported, not verified (待核查);
- one inspection per county a fortnight before that day, two hazards: one closed with evidence before its
  deadline, one open past its deadline (已逾期 in the 整改通知书);
- for completed projects at year end, in the first county: a 竣工验收 合格, a 移交 to the 物业, a warranty, and a
  complaint handled;
- the first county's first two liaison points checked against the four conditions three days before the
  report's deadline (the second falls short of the last condition).
"""
from __future__ import annotations

import datetime as dt
import math
import struct
import zlib
from typing import TYPE_CHECKING, Any

from generator.errors import UsageError

if TYPE_CHECKING:
    from generator.life.record import Event, Where
    from generator.policy.loader import LoadedPolicy

BY = "示例数据"


def _png(w: int, h: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _photo(name: str) -> tuple[str, bytes]:
    return (f"示例数据-{name}.png", _png(64, 48, (180, 180, 170)))


def docs_day(lp: LoadedPolicy) -> dt.date | None:
    """The day the sample's documents are made as of: the end of the month before the first start milestone."""
    first = min((m for m in lp.policy.milestones if m.measure == "started"), key=lambda m: m.date, default=None)
    return first.date.replace(day=1) - dt.timedelta(days=1) if first else None


def record_sample(path: Where, lp: LoadedPolicy) -> int:
    """Record the sample life events; returns how many. Refuses a register holding real submissions."""
    from generator.life.record import Life, has_life
    from generator.register import db
    from generator.register.series import latest_ids
    p = lp.policy
    day0 = docs_day(lp)
    if day0 is None:
        return 0
    with db.opened(path, create=False) as conn:
        real = conn.execute("SELECT COUNT(*) FROM submissions WHERE sample = 0").fetchone()[0]
        if real:
            raise UsageError("登记库含有非示例数据的报送：示例记录只写入示例登记库",
                             "the register holds real submissions: sample records go only into a sample register")
        if has_life(conn) and conn.execute("SELECT 1 FROM life_events WHERE recorded_by = ?", (BY,)).fetchone():
            return 0
        rows: dict[str, list[Any]] = {}
        for county, sid in latest_ids(conn, p.year_end).items():
            rows[county] = conn.execute("SELECT project, community, households, actual_start, actual_end FROM projects "
                                        "WHERE submission_id = ? AND project IS NOT NULL ORDER BY row", (sid,)).fetchall()
    life = Life(path)
    n = 0

    def rec(kind: str, **kw: Any) -> Event:
        nonlocal n
        e = life.record(kind, by=BY, policy=lp, **kw)
        n += 1
        return e

    crits = list(p.start_criteria.items) if p.start_criteria else []
    subjects = list(p.consent.subjects) if p.consent else []
    counties = [c.name for c in p.counties if rows.get(c.name)]
    lpts = p.liaison_points
    if lpts is not None and counties:
        # the first county's liaison points (its plan's 联系点 sheet), checked by the city before the report's deadline
        from generator.register import Register
        dl = p.deadline(lpts.report_deadline)
        with db.opened(path, create=False) as conn:
            plan_sid = latest_ids(conn, dl.date if dl else p.year_end).get(counties[0])
        plan = Register(path).plan(plan_sid, lp) if plan_sid is not None else None
        ids = [str(r.value("项目编号")) for r in (plan.liaison if plan is not None else []) if r.value("项目编号")]
        for k, pid in enumerate(ids[:2]):
            for j, _ in enumerate(lpts.criteria, 1):
                bad = k == 1 and j == len(lpts.criteria)
                rec("liaison_check", project=pid, day=(dl.date if dl else day0) - dt.timedelta(days=3),
                    fields={"condition": j, "verdict": "不符合" if bad else "符合", "inspector": "示例核查人",
                            "note": "暂无社会力量参与意向" if bad else None})
    for i, county in enumerate(counties):
        projects = rows[county]
        started = [r for r in projects if r[3] and dt.date.fromisoformat(r[3]) <= day0]
        for pid, _, hh, start, _ in started[:2]:
            sday = dt.date.fromisoformat(start)
            asked = max(int(hh or 0), 1)
            for subject in subjects:
                rec("consultation", project=pid, day=sday - dt.timedelta(days=30),
                    fields={"subject": subject, "method": "入户", "start": sday - dt.timedelta(days=40),
                            "asked": asked, "agreed": math.ceil(asked * 0.9)})
            for c in crits:
                rec("declare", project=pid, day=sday - dt.timedelta(days=5), fields={"criterion": c.id},
                    evidence=[_photo(f"条件{c.id}")])
                rec("verify", project=pid, day=sday, fields={"criterion": c.id, "verdict": "符合",
                                                             "inspector": "示例核查人", "note": "现场核查符合"})
        if i == 0 and crits:
            later = [r for r in projects if r[3] and dt.date.fromisoformat(r[3]) > day0]
            if later:
                pid, start = later[0][0], dt.date.fromisoformat(later[0][3])
                last = crits[-1]
                rec("verify", project=pid, day=day0 - dt.timedelta(days=3),
                    fields={"criterion": last.id, "verdict": "不符合", "inspector": "示例核查人",
                            "note": "现场未见施工队伍进场"}, evidence=[_photo("现场")])
                rec("verify", project=pid, day=start, fields={"criterion": last.id, "verdict": "符合",
                                                              "inspector": "示例核查人", "note": "复查符合"})
        if len(started) >= 2:
            a, b = started[0][0], started[1][0]
            found = day0 - dt.timedelta(days=14)
            insp = rec("inspection", county=county, day=found,
                       fields={"type": "巡检", "inspectors": ["示例检查人甲", "示例检查人乙"], "projects": [a, b]})
            h1 = rec("hazard", project=a, day=found, refers_to=insp.id,
                     fields={"description": "临时用电线路未架空敷设", "deadline": found + dt.timedelta(days=7),
                             "responsible": "示例施工单位"})
            rec("rectified", day=found + dt.timedelta(days=5), refers_to=h1.id, fields={"note": "已整改"},
                evidence=[_photo("整改后")])
            rec("hazard", project=b, day=found, refers_to=insp.id,
                fields={"description": "脚手架未设置安全防护网", "deadline": found + dt.timedelta(days=10),
                        "responsible": "示例施工单位"})
        if i == 0:
            done = [r for r in projects if r[4]]
            for pid, _, _, _, end in done[:1]:
                eday = dt.date.fromisoformat(end)
                acc = eday + dt.timedelta(days=3)
                if acc > p.year_end:
                    continue
                rec("acceptance", project=pid, day=acc,
                    fields={"participants": ["示例建设单位", "示例施工单位", "示例监理单位", "社区居委会"], "result": "合格"},
                    evidence=[_photo("竣工验收")])
                rec("handover", project=pid, day=acc, fields={"to": "物业", "unit": "示例物业服务公司"})
                rec("warranty", project=pid, day=acc, fields={"months": 24, "unit": "示例施工单位"})
                said = rec("complaint", project=pid, day=acc, fields={"subject": "单元门禁安装后无法刷卡", "from": "居民来电"})
                rec("complaint_closed", day=acc, refers_to=said.id, fields={"result": "施工单位已更换门禁读卡器"})
    return n
