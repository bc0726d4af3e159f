"""``gaizao build``: the main job — check the policy and render every document into output/.

Runs the same commands a user would, in order, and keeps going when one step fails so the
summary shows everything that is wrong; exits 1 if any step failed.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from generator.options import lang_option, output_dir_option, policy_option

from generator.paths import DATA  # noqa: E402


def _progress_date(p) -> str:
    """Progress is shown at the first completion milestone (70 % of households by October in 2023)."""
    done = [m.date for m in p.milestones if m.measure == "completed"]
    return (min(done) if done else p.year_end).isoformat()


def steps(policy: str, out: Path, data: Path) -> list[tuple[str, list[str]]]:
    return plan(policy, out, data)[0]


def plan(policy: str, out: Path, data: Path, lp=None) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """The steps that apply to the policy, and a note for each left out: a provision the policy lacks
    (notice text, errata, 开工认定标准, 检查验收) or sample data that is not its own is skipped, not failed.
    ``lp``: the policy already loaded (build loads it once and passes it to every part of the plan)."""
    from generator.policy import load_policy
    from generator.policy.wording import lower_organ
    from generator.render.notice import corrections

    lp = lp or load_policy(policy)
    p = lp.policy
    # data/sample-<县>.xlsx are one policy's counties: only this policy's own are validated and rendered
    samples = [str(data / f"sample-{c.name}.xlsx") for c in p.counties_with_target
               if (data / f"sample-{c.name}.xlsx").is_file()]
    samples.sort()
    skipped: list[str] = []
    s: list[tuple[str, list[str]]] = [("政策检查 policy check", ["policy", "check", policy, "--json"])]
    acceptance: list[tuple[str, list[str]]] = []       # after the sample year: the forms print its life record
    if any(c.part == "notice" for c in lp.text.clauses):
        s.append(("通知 notice", ["render", "notice", policy, "-o", str(out / "notice")]))
        if corrections(lp):
            s.append(("通知（勘误版）notice --corrected",
                      ["render", "notice", policy, "--corrected", "-o", str(out / "notice-corrected")]))
        else:
            skipped.append("通知（勘误版）：政策未记载勘误")
    else:
        skipped.append("通知：政策没有通知正文（text.yaml 的 notice 部分）")
    s.append((f"{lower_organ(p.unit_level)}方案模板 county plans",          # 县级 under a city, 市级 under a province
              ["render", "county-plan", policy, "--all", "-o", str(out / "county-plans")]))
    if samples:
        as_of = _progress_date(p)
        s += [("示例方案校验 validate samples", ["validate", *samples, "--policy", policy, "--format", "json"]),
              ("进度 progress", ["progress", *samples, "--policy", policy, "--as-of", as_of, "--format", "json",
                                 "--chart", str(out / "progress" / f"progress-{as_of}.png")])]
        # one call for every workbook: the PDF workers start once and share the whole batch
        if p.has_start_criteria:
            s.append(("开工核查表 checklists",
                      ["render", "checklists", *samples, "--policy", policy, "-o", str(out / "checklists"), "--pdf",
                       "--merge"]))
        else:
            skipped.append("开工核查表：政策未规定开工认定标准")
        if p.inspections is not None:
            for rnd in p.inspections.rounds:
                acceptance.append((f"检查验收表 acceptance {rnd.id}",
                                   ["render", "acceptance", policy, "--round", rnd.id, "--all",
                                    *sum((["--plan", x] for x in samples), []), "-o", str(out / "acceptance")]))
        else:
            skipped.append("检查验收表：政策没有检查验收规定")
    else:
        skipped.append(f"示例方案校验、进度、开工核查表、检查验收表：{data} 中没有本政策所列单位的示例工作簿（sample-<单位>.xlsx）")
    year = year_steps(policy, out, data, lp)
    if not year:
        skipped.append(f"全年报送登记与公文：{data} 中没有本政策{p.year}年的示例报送（year-{p.year}/submissions.yaml）")
    s += year
    s += with_life_record(acceptance, year, lp, out)
    found = successor(p.id, {policy: lp})
    if found is not None:
        nxt, label = found[0], found[1].policy.label
        s.append((f"新旧对照表 diff → {nxt}" + (f"（{label}）" if label else ""),
                  ["diff", policy, nxt, "--format", "docx", "-o",
                   str(out / "diff" / f"对照表-{nxt.rsplit('/', 1)[-1]}.docx")]))
    else:
        skipped.append("新旧对照表：没有替代本政策的新版本（supersedes 指向本政策的政策）")
    # every registered document kind that says how it is made from the build's data (render/pipeline.py): a new
    # kind brings its own step, nothing to add here
    from generator.render.cli import discover
    from generator.render.pipeline import BuildData
    made_year = bool(year)
    data_of = BuildData(tuple(Path(x) for x in samples), out / YEAR_DIR / REGISTER_DB if made_year else None,
                        p.year_end if made_year else None)
    for kind in discover():
        if kind.built_by:           # made by that step (an older command, now a thin wrapper over the pipeline)
            continue
        made = kind.build(lp, data_of) if kind.build is not None else None
        if isinstance(made, str):
            skipped.append(f"{kind.title}：{made}")
        elif made is not None:
            s.append((f"{kind.title} render doc {kind.name}",
                      ["render", "doc", kind.name, "--policy", policy, *made, "-o", str(out / kind.title)]))
    return s, skipped


def with_life_record(acceptance: list, year: list, lp, out: Path) -> list[tuple[str, list[str]]]:
    """The acceptance steps, each round's city form with the sample year's recorded inspections and hazards as of
    the round's data cut-off (``project hazards --format json`` → ``render acceptance --hazards``, one context
    builder): run after the year's register holds its life records. Without a sample year, the steps as they are
    (the forms then say 未附巡检记录)."""
    if not any(args[:2] == ["project", "sample"] for _, args in year):
        return acceptance
    from generator.render.acceptance import round_end
    sample = next(args for _, args in year if args[:2] == ["project", "sample"])
    db = sample[2:]                                   # --db … --policy …
    p = lp.policy
    rounds = {r.id: r for r in p.inspections.rounds} if p.inspections is not None else {}
    out_steps: list[tuple[str, list[str]]] = []
    for title, args in acceptance:
        rnd = rounds[args[args.index("--round") + 1]]
        day = round_end(lp, rnd).isoformat()
        record = out / YEAR_DIR / f"质量安全记录-截至{day}.json"
        out_steps.append((f"截至{day}质量安全记录 project hazards（检查验收表的质量安全栏）",
                          ["project", "hazards", "--as-of", day, *db, "--format", "json", "-o", str(record)]))
        out_steps.append((title, [*args, "--hazards", str(record)]))
    return out_steps


def successor(policy_id: str, loaded: dict | None = None):
    """(id, loaded policy) of the policy whose ``supersedes`` names this one (xuchang/2024-draft for
    xuchang/2023), if any. ``loaded``: policies already loaded, by id, not loaded again."""
    from generator.errors import GaizaoError
    from generator.policy.loader import list_ids, load_policy

    for pid in sorted(list_ids()):
        try:
            lp = (loaded or {}).get(pid) or load_policy(pid)
        except GaizaoError:               # a broken policy elsewhere is its own check's business
            continue
        sup = lp.policy.supersedes
        if sup and sup.split("@")[0] == policy_id:
            return pid, lp
    return None


YEAR_DIR = "year"
REGISTER_DB = "register.db"


def year_steps(policy: str, out: Path, data: Path, lp=None) -> list[tuple[str, list[str]]]:
    """The year on sample data (data/year-<year>/): every submission into a register under output/year/,
    the status at each milestone (judged on what was reported by then) and at year end with the 汇总表,
    the monthly series, and the slipping county's history. Dates come from the policy (``lp`` when loaded)."""
    from generator.policy import load_policy
    from generator.register.sample_year import MANIFEST, SLIPPING, manifest_submissions, parse_manifest

    p = (lp or load_policy(policy)).policy
    manifest = data / f"year-{p.year}" / MANIFEST
    if not manifest.is_file():
        return []
    doc = parse_manifest(manifest)
    if doc.get("policy") != p.id:              # a sample year made for another policy
        return []
    year = out / YEAR_DIR
    db = ["--db", str(year / REGISTER_DB), "--policy", policy]
    s = [("全年报送登记 register import", ["register", "import", str(manifest), *db])]
    # each project's life (示例数据): consultations, 开工认定 verdicts, inspections and 整改, acceptance (generator/life)
    s.append(("项目全过程示例记录 project sample", ["project", "sample", *db]))
    for day in sorted({m.date for m in p.milestones} | {p.year_end}):
        s.append((f"截至{day.isoformat()}进度与汇总表 register status",
                  ["register", "status", "--as-of", day.isoformat(), *db,
                   "--xlsx", str(year / f"汇总表-截至{day.isoformat()}.xlsx")]))
    s.append(("月度进度 register series", ["register", "series", "--year", str(p.year), *db, "--format", "json"]))
    # the 信息月报's own form (docs/monthly-report.md) for the month of the start milestone, and the national export
    started = min((m for m in p.milestones if m.measure == "started"), key=lambda m: m.date, default=None)
    if started is not None and any(e.get("county") == SLIPPING for e in manifest_submissions(doc, manifest)):
        month = f"{started.date.year}-{started.date.month:02d}"
        s.append((f"信息月报表 register template {SLIPPING} {month}",
                  ["register", "template", SLIPPING, "--period", month, "--national", *db,
                   "-o", str(year / f"信息月报表-{SLIPPING}-{month}.xlsx")]))
    s.append(("全国统计调查制度指标 register national",
              ["register", "national", "--as-of", p.year_end.isoformat(), *db,
               "-o", str(year / f"城镇老旧小区改造统计-截至{p.year_end.isoformat()}.xlsx")]))
    if any(e.get("county") == SLIPPING for e in manifest_submissions(doc, manifest)):
        s.append((f"报送变化 register history {SLIPPING}", ["register", "history", SLIPPING, *db]))
    # documents: before the start milestone (who may start, who is ahead or behind) and at year end
    first = min((m for m in p.milestones if m.measure == "started"), key=lambda m: m.date, default=None)
    days = ([first.date.replace(day=1) - dt.timedelta(days=1)] if first else []) + [p.year_end]
    for day in days:
        # at year end every project has started: the 开工认定 tables are left to the one before the milestone
        later = ["--no-kaigong"] if first and day > first.date else []
        s.append((f"截至{day.isoformat()}公文 register documents（汇总表、进度通报、{'' if later else '开工认定、'}反馈意见函）",
                  ["register", "documents", "--as-of", day.isoformat(), *db, *later,
                   "-o", str(year / f"截至{day.isoformat()}")]))
    from generator.life.sample import docs_day
    life_day = docs_day(lp or load_policy(policy))
    if life_day is not None:
        s.append((f"截至{life_day.isoformat()}项目全过程公文 project documents（开工认定结果、整改通知书）",
                  ["project", "documents", "--as-of", life_day.isoformat(), *db,
                   "-o", str(year / f"项目全过程-截至{life_day.isoformat()}")]))
    dl = p.deadline(p.liaison_points.report_deadline) if p.liaison_points else None
    if dl is not None:
        s.append((f"截至{dl.date.isoformat()}联系点 project liaison（联系点情况报告、联系点条件核查表）",
                  ["project", "liaison", "--as-of", dl.date.isoformat(), *db, "-o", str(year / "联系点")]))
    s.append(("改造内容分类 project works（优先改造的管线、节能、无障碍、适老适儿）",
              ["project", "works", "--as-of", p.year_end.isoformat(), *db,
               "--xlsx", str(year / "改造内容分类" / f"改造内容分类汇总表（截至{p.year_end.isoformat()}）.xlsx")]))
    return s


def _fresh_register(out: Path) -> None:
    """The build's register is output: start it afresh so a re-run records the year once."""
    for suffix in ("", "-wal", "-shm"):
        (out / YEAR_DIR / (REGISTER_DB + suffix)).unlink(missing_ok=True)


@click.command()
@policy_option
@output_dir_option
@click.option("--data", "data_dir", type=click.Path(file_okay=False), default=str(DATA), show_default=False,
              help="示例工作簿所在文件夹（默认 data/）。")
@lang_option
def build(policy_ref: str, output_dir: str, data_dir: str, lang: str):
    """主流程：检查政策并把全部文档生成到 output/。 The main job: check the policy, render everything."""
    from generator.cli import main as cli
    from generator.policy import load_policy

    from generator.errors import GaizaoError
    try:
        lp = load_policy(policy_ref)
    except GaizaoError as exc:        # no policy named, a changed issued policy: said, exit 2, no traceback
        click.echo(("error: " if lang == "en" else "错误：") + exc.render(lang), err=True)
        raise SystemExit(exc.exit_code) from None
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "reports").mkdir(exist_ok=True)
    _fresh_register(out)
    failed = []
    todo, skipped = plan(policy_ref, out, Path(data_dir), lp)
    for i, (title, args) in enumerate(todo, 1):
        t0 = time.perf_counter()
        # diff exits 1 when versions differ (as diff(1)); validate/check exit 0 with warnings; the sample year
        # records a county rewriting its June report, a finding the register import and history exit 1 for
        ok_codes = {0, 1} if args[0] == "diff" or args[:2] in (["register", "import"], ["register", "history"]) else {0}
        code = _run(cli, args, out / "reports" / f"{i:02d}-{args[0]}.txt")
        status = "完成" if code in ok_codes else f"失败（退出码 {code}）"
        if code not in ok_codes:
            failed.append(title)
        click.echo(f"[{i:02d}] {title}: {status}  {time.perf_counter() - t0:.1f}s")
    for note in skipped:
        click.echo(f"跳过 {note}")
    if failed:
        click.echo(f"失败的步骤：{'；'.join(failed)}（详见 {out / 'reports'}）", err=True)
        raise SystemExit(1)
    click.echo(f"全部完成，输出在 {out}/")
    for line in year_listing(out):
        click.echo(line)
    for line in open_provisions(lp):
        click.echo(line)


def open_provisions(lp) -> list[str]:
    """What the build could not produce because the policy leaves it open (never invented): said, not hidden."""
    p, lines = lp.policy, []
    insp = p.inspections
    if insp is not None and insp.weights is None:
        clause = lp.text.display(insp.clause) if getattr(insp, "clause", None) else ""
        lines.append(f"未生成检查验收结果通报：政策未规定年中、年终检查验收的权重（{clause}），"
                     "待" + (p.document.issuer_short.value if p.document.issuer_short else "发文机关") + "确定权重后用 gaizao report results 生成。")
    return lines


def year_listing(out: Path) -> list[str]:
    """Where the year's register and documents are (示例数据): one line per file."""
    year = out / YEAR_DIR
    if not year.is_dir():
        return []
    files = sorted(p for p in year.rglob("*") if p.is_file() and not p.name.startswith(REGISTER_DB))
    return [f"全年报送与公文（示例数据）：登记库 {year / REGISTER_DB}", *(f"  {f}" for f in files)]


def _run(cli, args: list[str], log: Path) -> int:
    """Run one gaizao command in-process, its output captured to a log file."""
    import contextlib
    import io

    from generator.fileio import atomic_write_text

    buf = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        try:
            cli.main(args=args, prog_name="gaizao", standalone_mode=False)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except click.exceptions.ClickException as exc:
            exc.show(file=buf)
            code = exc.exit_code
        except click.exceptions.Abort:
            code = 1
        except Exception:  # a bug in a step must not hide the others
            import traceback
            traceback.print_exc(file=buf)
            code = 1
    atomic_write_text(log, f"$ gaizao {' '.join(args)}\n{buf.getvalue()}\n[exit {code}]\n")
    return code
