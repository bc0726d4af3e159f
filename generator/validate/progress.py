"""Progress as of a date (``gaizao progress``): from 实际开工日期 / 实际完工日期 of each project.

Per county and for the city: share of projects started, share of households completed, every
milestone due by the date (met or missed, measured on the milestone's own date), and for each project
not yet started the start-of-work criteria (附件) still open. Targets, milestones and criteria all come
from the policy; an actual date after the as-of date counts as not yet.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from generator.ledger import contract as C
from generator.ledger.model import Plan, Row
from generator.validate.citywide import county_parts
from generator.policy.goals import NO_TARGET, NOT_PUBLISHED, goal, project_goal
from generator.validate.facts import actual_column, contract_of, pct, readable


@dataclass
class MilestoneStatus:
    id: str
    label: str
    date: dt.date
    share_required: float
    share_reached: float                   # on the milestone's date (or as of now when not yet due)
    due: bool
    met: bool | None                       # None: not yet due
    clause: str | None = None


@dataclass
class OpenProject:
    project: str | None
    community: str | None
    row: int
    open_criteria: list[dict]              # {id, label, column, clause}


@dataclass
class CountyProgress:
    county: str
    projects: int                          # basis for project shares (target, else listed)
    households: int                        # basis for household shares (target, else listed)
    # what the basis is: "target" (published, in 个/户), or listed because the target is 未公布 / 无目标
    projects_basis: str = "target"
    households_basis: str = "target"
    started: int = 0
    completed: int = 0
    households_completed: int = 0
    unreadable_dates: int = 0
    milestones: list[MilestoneStatus] = field(default_factory=list)
    not_started: list[OpenProject] = field(default_factory=list)

    @property
    def share_started(self) -> float:
        return self.started / self.projects if self.projects else 0.0

    @property
    def share_households_completed(self) -> float:
        return self.households_completed / self.households if self.households else 0.0

    @property
    def missed(self) -> list[MilestoneStatus]:
        return [m for m in self.milestones if m.met is False]

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(share_started=round(self.share_started, 4),
                 share_households_completed=round(self.share_households_completed, 4),
                 missed=[m.id for m in self.missed])
        return d


@dataclass
class ProgressResult:
    as_of: dt.date
    counties: list[CountyProgress]
    city: CountyProgress
    curves: dict[str, list[tuple[dt.date, float]]]   # county/city -> (date, share of households completed)
    subject: dict = field(default_factory=dict)

    city_complete: bool = False                      # every county with a target is among the plans
    start_curves: dict[str, list[tuple[dt.date, float]]] = field(default_factory=dict)   # share of projects started
    sample: bool = False                             # the plans are sample data (示例数据): the chart says so
    has_criteria: bool = True                        # the policy has start criteria (附件): open ones are listed
    unit_level: str = "city"                         # the policy's level: names the column of units below it
    unit_word: str = ""                              # the policy's own word for them (区市), when it declares one

    @property
    def lines(self) -> list[CountyProgress]:
        """The counties, and the city line when it adds something (several counties)."""
        return [*self.counties, self.city] if len(self.counties) > 1 or self.city_complete else list(self.counties)

    @property
    def missed(self) -> list[tuple[str, MilestoneStatus]]:
        return [(c.county, m) for c in self.lines for m in c.missed]

    def to_dict(self, lang: str = "zh") -> dict:
        from generator.findings import jsonable
        return jsonable({"tool": "gaizao", "format": 1, "kind": "progress", "subject": self.subject,
                          "as_of": self.as_of, "counties": [c.to_dict() for c in self.counties],
                          "city": self.city.to_dict(), "city_complete": self.city_complete})


def _actual(row: Row, measure: str) -> dt.date | None:
    cell = row.get(actual_column(measure))
    return cell.value if readable(cell, dt.date) else None


def _households(row: Row) -> int:
    """户数 when readable and positive (anything else is a V001/V002 finding of validate; here it counts 0)."""
    v = row.value(C.HOUSEHOLDS)
    return v if v.__class__ is int and v > 0 else 0


def _measure(rows: list[Row], measure: str, basis: str, day: dt.date) -> int:
    """Projects (or their households) that had started/completed on ``day``."""
    done = [r for r in rows if (d := _actual(r, measure)) is not None and d <= day]
    return len(done) if basis == "projects" else sum(_households(r) for r in done)


def _county_progress(name: str, rows: list[Row], lp, as_of: dt.date, target) -> CountyProgress:
    p = lp.policy
    # the basis in 个 and 户 (1.3万户 is 13000户); the listed rows when the target is not published or absent
    gp, gh = project_goal(p, target), goal(target, "households")
    target_projects = gp.as_int() if gp.published and gp.base else None
    target_households = gh.as_int() if gh.published and gh.base else None
    projects = target_projects if target_projects is not None else len(rows)
    households = target_households if target_households is not None else sum(map(_households, rows))
    cp = CountyProgress(name, projects, households, _basis(gp), _basis(gh))
    cp.started = _measure(rows, "started", "projects", as_of)
    cp.completed = _measure(rows, "completed", "projects", as_of)
    cp.households_completed = _measure(rows, "completed", "households", as_of)
    cp.unreadable_dates = sum(1 for r in rows for m in ("started", "completed")
                              if not r.get(actual_column(m)).blank and _actual(r, m) is None)
    for m in p.milestones:
        due = m.date <= as_of
        base = projects if m.basis == "projects" else households
        reached = _measure(rows, m.measure, m.basis, m.date if due else as_of) / base if base else 0.0
        cp.milestones.append(MilestoneStatus(m.id, m.label, m.date, m.share, round(reached, 4), due,
                                             (reached >= m.share - 1e-9) if due else None,
                                             lp.text.display(m.clause)))
    crit = contract_of(lp).criterion_columns
    criteria = {c.id: c for c in (p.start_criteria.items if p.start_criteria else [])}
    for r in rows:
        started = _actual(r, "started")
        if started is not None and started <= as_of:
            continue
        open_ = []
        for cid, column in crit.items():
            v = r.value(column)
            met = v is True or (v.__class__ is dt.date and v <= as_of)
            if not met:
                c = criteria[cid]
                open_.append({"id": cid, "label": c.label, "column": column, "clause": lp.text.display(c.clause)})
        cp.not_started.append(OpenProject(None if r.value(C.PROJECT_ID) is None else str(r.value(C.PROJECT_ID)),
                                          r.value(C.COMMUNITY), r.row, open_))
    return cp


def _basis(g) -> str:
    return "target" if g.published and g.base else {"absent": NOT_PUBLISHED, "none": NO_TARGET}.get(g.status, "0")


def _of(n: int, total: int, basis: str, en: bool) -> str:
    """3/11, or 3/5（目标未公布，按清单） when the denominator is the listed projects, not a target."""
    if basis == "target":
        return f"{n}/{total}"
    why = ({NOT_PUBLISHED: "target not published", NO_TARGET: "no target"}.get(basis, "target 0") if en else
           {NOT_PUBLISHED: "目标未公布", NO_TARGET: "无目标"}.get(basis, "目标为0"))
    return f"{n}/{total}（{why}，按清单）" if not en else f"{n}/{total} ({why}; as listed)"


def _curve(rows: list[Row], total: int, year_start: dt.date, as_of: dt.date, measure: str = "completed",
           basis: str = "households") -> list[tuple[dt.date, float]]:
    """Cumulative share of ``total`` (households completed, or projects started), one point per actual date
    up to ``as_of``."""
    points = [(year_start, 0.0)]
    done = 0
    weight = _households if basis == "households" else (lambda _r: 1)
    for day, n in sorted((d, weight(r)) for r in rows if (d := _actual(r, measure)) and d <= as_of):
        done += n
        points.append((day, done / total if total else 0.0))
    points.append((as_of, done / total if total else 0.0))
    return points


def progress(plans: list[Plan], lp, as_of: dt.date) -> ProgressResult:
    p = lp.policy
    by_county: dict[str, list[Row]] = {}
    for _plan, part in county_parts(plans, lp):
        by_county.setdefault(part.county or "（未注明）", []).extend(part.projects)
    order = {c.name: i for i, c in enumerate(p.counties)}
    names = sorted(by_county, key=lambda n: order.get(n, len(order)))
    counties = [_county_progress(n, by_county[n], lp, as_of, (p.county(n).target if p.county(n) else None))
                for n in names]
    all_rows = [r for n in names for r in by_county[n]]
    # the city against its own target only when every county with a target is here
    complete = all(c.name in by_county for c in p.counties_with_target)
    from generator.policy.wording import policy_scope
    city = _county_progress(policy_scope(p) if complete else "合计", all_rows, lp, as_of, p.city_target if complete else None)
    start = dt.date(p.year, 1, 1)
    curves = {c.county: _curve(by_county[c.county], c.households, start, as_of) for c in counties}
    starts = {c.county: _curve(by_county[c.county], c.projects, start, as_of, "started", "projects") for c in counties}
    if len(counties) > 1 or complete:
        curves[city.county] = _curve(all_rows, city.households, start, as_of)
        starts[city.county] = _curve(all_rows, city.projects, start, as_of, "started", "projects")
    from generator.policy.wording import lower_unit
    from generator.render.checklists import plan_is_sample
    return ProgressResult(as_of, counties, city, curves, {**_judged_by(lp), "files": [pl.file for pl in plans]},
                          city_complete=complete, start_curves=starts,
                          has_criteria=bool(contract_of(lp).criterion_columns),
                          sample=bool(plans) and any(plan_is_sample(pl) for pl in plans),
                          unit_level=lp.policy.unit_level, unit_word=lower_unit(lp.policy))


# -- output -------------------------------------------------------------------------------------
def print_progress(result: ProgressResult, *, lang: str = "zh", console=None) -> None:
    from rich.table import Table

    from generator.policy.wording import lower_unit
    from generator.validate.textout import terminal_console
    console = console or terminal_console()
    en = lang == "en"
    t = Table(title=(f"progress as of {result.as_of.isoformat()}" if en else f"截至{result.as_of.isoformat()}的进度"))
    t.add_column("county" if en else (result.unit_word or lower_unit(result.unit_level)))
    t.add_column("started" if en else "已开工（项目）", justify="right")
    t.add_column("households completed" if en else "已完工（户数）", justify="right")
    ms = result.city.milestones
    for m in ms:
        t.add_column(f"{m.label}\n{m.date.isoformat()}", justify="center")
    for c in result.lines:
        cells = [c.county, f"{_of(c.started, c.projects, c.projects_basis, en)} ({pct(c.share_started)})",
                 f"{_of(c.households_completed, c.households, c.households_basis, en)} "
                 f"({pct(c.share_households_completed)})"]
        for m in c.milestones:
            mark = "—" if not m.due else ("✓" if m.met else "✗")
            style = "" if not m.due else ("green" if m.met else "bold red")
            cells.append(f"[{style}]{mark} {pct(m.share_reached)}/{pct(m.share_required)}[/]" if style
                         else f"{mark} {pct(m.share_reached)}/{pct(m.share_required)}")
        t.add_row(*cells)
    console.print(t)
    for county, m in result.missed:
        console.print((f"missed: {county} {m.id} ({m.date.isoformat()}): {pct(m.share_reached)} < "
                       f"{pct(m.share_required)} [{m.clause}]") if en else
                      f"[bold red]未完成节点[/]：{county}“{m.label}”（{m.date.isoformat()}）实际{pct(m.share_reached)}，"
                      f"要求{pct(m.share_required)}（依据：{m.clause}）")
    rows = [(c.county, o) for c in result.counties for o in c.not_started]
    # open start criteria only when the policy has criteria: "均已满足" of criteria that do not exist says nothing
    if rows and result.has_criteria:
        u = Table(title="not started: open start criteria" if en else "未开工项目尚未满足的开工条件")
        for h in ((C.COUNTY, "county"), (C.PROJECT_ID, "project"), (C.COMMUNITY, "community"),
                  ("未满足的开工条件（附件）", "open criteria")):
            u.add_column(h[1] if en else h[0])
        for county, o in rows:
            u.add_row(county, o.project or "", str(o.community or ""),
                      "；".join(f"{c['id']}.{c['label']}" for c in o.open_criteria) or
                      ("all met" if en else "均已满足（待录入实际开工日期）"))
        console.print(u)
    unreadable = sum(c.unreadable_dates for c in result.counties)
    if unreadable:
        console.print(f"{unreadable} actual date(s) unreadable, counted as not yet (run gaizao validate)" if en else
                      f"有{unreadable}个实际开工/完工日期无法识别，按尚未开工/完工计（请先运行 gaizao validate）")


PALETTE = ("C0", "C1", "C2", "C4", "C5", "C6", "C8", "C9", "C7")
CHART_DPI = 200                  # print quality: A4 width at 200 dpi; a .svg name gives a vector file


def chart(result: ProgressResult, lp, out, *, lang: str = "zh") -> None:
    """The progress chart, PNG at CHART_DPI or SVG (by the file name): see chart_figure."""
    import io

    import matplotlib.pyplot as plt

    from generator.fileio import atomic_write_bytes

    fig = chart_figure(result, lp, lang=lang)
    buf = io.BytesIO()
    if str(out).lower().endswith(".svg"):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    else:
        fig.savefig(buf, format="png", dpi=CHART_DPI, metadata={"Software": None})
    plt.close(fig)
    atomic_write_bytes(out, buf.getvalue())


def chart_figure(result: ProgressResult, lp, *, lang: str = "zh"):
    """Two panels sharing the year as x axis: 开工 (share of projects started) and 完工 (share of households
    completed), a thin line per county and a thick city line; every milestone of the policy drawn on the panel
    of its measure as a target point with its label (6月30日前全部开工; 10月31日前完成改造70%; 12月31日前全部完工);
    the as-of date; 示例数据 in the title and in a red box when the plans are sample data. Legend below the
    panels, labels placed apart, so nothing overlaps (tested)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.transforms import blended_transform_factory

    from generator.ledger.samples import NOTE
    from generator.policy import cnfmt

    installed = {x.name for x in font_manager.fontManager.ttflist}
    families = [f for f in ("Noto Sans CJK SC", "FandolHei") if f in installed]
    en = lang == "en"
    p = lp.policy
    with plt.rc_context({"font.family": families or ["sans-serif"], "axes.unicode_minus": False,
                         "svg.hashsalt": "gaizao"}):
        fig, axes = plt.subplots(2, 1, figsize=(10, 8), sharex=True)
        panels = (("started", result.start_curves, "share of projects started (%)" if en else "已开工项目占比（%）"),
                  ("completed", result.curves, "share of households completed (%)" if en else "已完工户数占比（%）"))
        colours: dict[str, str] = {}
        for ax, (measure, curves, ylabel) in zip(axes, panels):
            for name, points in curves.items():
                city = name == result.city.county
                # tab10 without its red (C3): red is the policy's milestones
                colour = "black" if city else colours.setdefault(name, PALETTE[len(colours) % len(PALETTE)])
                ax.step([d for d, _ in points], [v * 100 for _, v in points], where="post",
                        linewidth=2.6 if city else 1.2, color=colour, label=name, zorder=3 if city else 2)
            for m in p.milestones:
                if m.measure != measure:
                    continue
                y = m.share * 100
                ax.plot([m.date], [y], marker="D", color="tab:red", markersize=6, zorder=4)
                ax.axvline(m.date, color="tab:red", linestyle=":", linewidth=1)
                label = (f"{m.id}: {pct(m.share)} by {m.date.isoformat()}" if en
                         else f"{m.date.month}月{m.date.day}日前{m.label}")
                # left of the point and below the 100 % line: never over another milestone's label (different
                # dates and heights) nor over the legend (outside the panels)
                ax.annotate(label, (m.date, y), textcoords="offset points", xytext=(-8, -14), ha="right",
                            fontsize=9, color="tab:red",
                            bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.85))
            ax.axvline(result.as_of, color="grey", linewidth=1, linestyle="-.")
            ax.set_ylim(0, 112)
            ax.set_yticks(range(0, 101, 20))       # no 120 tick: it would sit on the upper panel's 0
            ax.set_ylabel(ylabel)
            ax.grid(alpha=0.3)
        top = axes[0]
        top.text(result.as_of, 1.02, f"as of {result.as_of.isoformat()}" if en else
                 f"截至{result.as_of.month}月{result.as_of.day}日", transform=blended_transform_factory(
                     top.transData, top.transAxes), ha="center", va="bottom", fontsize=9, color="grey")
        # a week past the year end: the 12月31日 target point is drawn whole, not cut by the frame
        axes[1].set_xlim(dt.date(p.year, 1, 1), max(dt.date(p.year, 12, 31), result.as_of) + dt.timedelta(days=7))
        axes[1].set_xticks([dt.date(p.year, month, 1) for month in range(1, 13)])   # every month of the plan year
        axes[1].xaxis.set_major_formatter(mdates.DateFormatter("%m-%d" if en else "%-m月"))
        sample = f"（{NOTE}）" if result.sample else ""
        fig.suptitle((f"Progress as of {result.as_of.isoformat()}{' (sample data)' if result.sample else ''}" if en
                      else f"{p.document.city.value}{p.year}年老旧小区改造进度（截至{cnfmt.cn_date(result.as_of)}）{sample}"),
                     fontsize=13)
        if result.sample:
            fig.text(0.985, 0.985, "sample data" if en else NOTE, ha="right", va="top", fontsize=12, color="tab:red",
                     bbox=dict(boxstyle="square,pad=0.3", facecolor="white", edgecolor="tab:red"))
        handles, labels = axes[1].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6), fontsize=9, frameon=False)
        fig.tight_layout(rect=(0, 0.06, 1, 0.95))
    return fig


def _judged_by(lp) -> dict:
    """The policy's manifest with its 文号 and title (a LoadedPolicy), or its manifest (the register's facts)."""
    return lp.judged_by() if hasattr(lp, "judged_by") else lp.manifest()
