"""The validator's terminal output: findings per file grouped by sheet, the county table, a summary."""
from __future__ import annotations

from generator.findings import Report, print_report, shown
from generator.policy.goals import not_compared


def _fmt(n, target, g=None, lang: str = "zh", partial: bool = False) -> str:
    """count / target: ✓ when the target allows it (precision, 不少于), the difference otherwise; 未公布 and
    无目标 said as such (``g``: generator.policy.goals.Goal); ``partial``: a city total over some counties only,
    shown next to the city's target but not compared with it."""
    if g is not None:
        if not g.published:
            return f"{n} / {g.text(lang)}"
        if partial:
            return f"{n} / {g.text(lang)}" + not_compared(lang)
        gap = g.gap(n)
        shown = g.text(lang) if g.comparator != "exactly" or g.slack else f"{target}"
        return f"{n} / {shown}" + (f" ({int(gap):+d})" if gap is not None else " ✓")
    if target is None:
        return f"{n}"
    d = n - target
    return f"{n} / {target}" + (f" ({d:+d})" if d else " ✓")


def terminal_console():
    """The console validate and progress print to."""
    import sys

    from rich.console import Console
    # piped output (CI logs, files) would otherwise be cut to 80 columns and lose the messages
    return Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 200)


def print_validation(result, *, lang: str = "zh", annotated: str | None = None, console=None, lp=None) -> None:
    """``lp``: the policy, whose level names the whole (全市/全省) and the units below (县（市、区）/市)."""
    from rich.table import Table

    from generator.policy.wording import lower_unit, policy_scope
    console = console or terminal_console()
    en = lang == "en"
    whole, unit = (policy_scope(lp.policy), lower_unit(lp.policy)) if lp else ("全市", "县（市、区）")
    files = list(result.by_file)
    for file in files:
        fs = result.by_file[file]
        if fs:
            print_report(Report(fs), lang=lang, title=file, group_by="sheet", console=console)
        else:
            console.print(f"{shown(file)}: " + ("no problems found" if en else "未发现问题"))
    cross = [f for f in result.report.findings if f.file not in result.by_file]
    if cross:
        print_report(Report(cross), lang=lang, title="city-wide" if en else whole, console=console)
    city = result.city
    if city is not None and city.citywide:
        t = Table(title="by county" if en else f"分{unit}汇总")
        # a 联系点 column only when the policy has liaison points (a quota somewhere, or points listed)
        liaison = any(c.liaison_quota is not None or c.liaison_points for c in [*city.counties, city.total])
        heads = [(unit, "county"), ("项目数/目标", "projects/target"), ("户数/目标", "households/target")]
        heads += [("联系点/要求", "liaison/quota")] if liaison else []
        for h in heads + [("错误", "errors"), ("警告", "warnings")]:
            t.add_column(h[1] if en else h[0], justify="left" if h[1] == "county" else "right")
        for c in [*city.counties, city.total]:
            partial = c is city.total and bool(city.missing)
            cells = [_fmt(c.projects, c.projects_target, c.projects_goal, lang, partial),
                     _fmt(c.households, c.households_target, c.households_goal, lang, partial)]
            cells += [_fmt(c.liaison_points, c.liaison_quota)] if liaison else []
            t.add_row("Σ city" if (en and c is city.total) else shown(c.county), *cells, str(c.errors), str(c.warnings))
        console.print(t)
        if city.missing:
            console.print(("no plan from: " if en else "未收到实施方案：") + shown("、".join(city.missing)))
    if annotated:
        console.print(("annotated copy: " if en else "已写出标注副本：") + shown(annotated))
    if len(files) > 1:
        console.print(("total: " if en else "合计：") + result.report.summary(lang) + _against(lp, en))
    elif not result.report.findings:
        console.print(result.report.summary(lang) + _against(lp, en))


def _against(lp, en: bool) -> str:
    """The policy a verdict was judged against, by its 文号 (or title): a verdict names its yardstick."""
    if lp is None:
        return ""
    p = lp.policy
    d = p.document.doc_number
    name = str(d.value) if d is not None else f"《{p.title}》"
    return shown(f" (judged against {name}, {p.id})" if en else f"（依据{name}）")
