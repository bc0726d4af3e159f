"""Write the hostile-input corpus (tests/fixtures/hostile/manifest.yaml names the cases) into a folder.

    python scripts/make_hostile_fixtures.py OUT_DIR

Each file is one class of hostile or careless input from issue 9: hidden stale sheets, cells far out
at XFD1048576, error cells, formulas without values, zip bombs, YAML alias bombs, GBK text, stray CSV
quotes... Everything starts from the committed sample workbook data/sample-魏都区.xlsx (示例数据) and
is deterministic in content. The tests generate the corpus once per session into a temporary folder
(nothing binary is committed); a case a later engineer adds is a function here plus a manifest line.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "data" / "sample-魏都区.xlsx"
FIXED = dt.datetime(2023, 1, 1)
CASES: dict = {}


def case(name):
    def deco(fn):
        CASES[name] = fn
        return fn
    return deco


# -- workbooks: the sample, changed with openpyxl ------------------------------------------------------
KEEP_PROJECTS = 4          # a short plan keeps every command over every case quick


_TRIMMED: list[bytes] = []


def _load():
    """The sample workbook cut to its first KEEP_PROJECTS projects (cut once, then reloaded from memory)."""
    import io
    from openpyxl import load_workbook
    if not _TRIMMED:
        buf = io.BytesIO()
        _trim(load_workbook(BASE)).save(buf)
        _TRIMMED.append(buf.getvalue())
    return load_workbook(io.BytesIO(_TRIMMED[0]))


def _trim(wb):
    ws = wb["项目清单"]
    ws.delete_rows(3 + KEEP_PROJECTS, ws.max_row)
    kept = {ws.cell(r, 1).value for r in range(3, 3 + KEEP_PROJECTS)}
    lws = wb["联系点"]
    for r in range(lws.max_row, 1, -1):
        if lws.cell(r, 1).value not in kept and r > 2:
            lws.delete_rows(r)
    return wb


def _save(wb, path: Path) -> None:
    wb.properties.created = wb.properties.modified = FIXED
    wb.save(path)


def _col(ws, header: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=5):
        for c in row:
            if c.value == header:
                return c.column
    raise KeyError(header)


@case("hidden-stale-sheet.xlsx")
def hidden_stale(path):
    """The visible 项目清单 (named with a trailing space) has a consent of 50 %; a clean copy hides behind it."""
    wb = _load()
    ws = wb["项目清单"]
    stale = wb.copy_worksheet(ws)
    ws.title = "项目清单 "
    ws.cell(3, _col(ws, "居民同意率")).value = 0.5
    stale.title = "项目清单"
    stale.sheet_state = "hidden"
    _save(wb, path)


@case("very-hidden-only.xlsx")
def very_hidden_only(path):
    wb = _load()
    wb["项目清单"].sheet_state = "veryHidden"
    _save(wb, path)


@case("xfd1048576.xlsx")
def xfd(path):
    wb = _load()
    wb["项目清单"]["XFD1048576"] = "x"
    _save(wb, path)


@case("last-row.xlsx")
def last_row(path):
    wb = _load()
    wb["项目清单"]["A1048576"] = "x"
    _save(wb, path)


@case("far-column.xlsx")
def far_column(path):
    wb = _load()
    wb["项目清单"]["ZZ5"] = "x"
    _save(wb, path)


@case("ref-error.xlsx")
def ref_error(path):
    wb = _load()
    ws = wb["项目清单"]
    ws.cell(3, _col(ws, "户数")).value = "#REF!"          # openpyxl stores a known error code as an error cell
    _save(wb, path)


@case("formula-no-value.xlsx")
def formula_no_value(path):
    wb = _load()
    ws = wb["项目清单"]
    ws.cell(3, _col(ws, "户数")).value = "=C3*20"           # written without a cached value, as scripts do
    _save(wb, path)


@case("impossible-dates.xlsx")
def impossible_dates(path):
    wb = _load()
    ws = wb["项目清单"]
    start, end = _col(ws, "计划开工日期"), _col(ws, "计划完工日期")
    ws.cell(3, start).value = "2023-02-30"
    ws.cell(4, start).value = 0
    ws.cell(5, end).value = 10**9
    _save(wb, path)


@case("out-of-scale.xlsx")
def out_of_scale(path):
    wb = _load()
    ws = wb["项目清单"]
    ws.cell(3, _col(ws, "户数")).value = 1e300
    ws.cell(4, _col(ws, "资金概算（万元）")).value = "1" * 5000
    _save(wb, path)


@case("consent-79.99999.xlsx")
def consent_almost(path):
    wb = _load()
    ws = wb["项目清单"]
    ws.cell(3, _col(ws, "居民同意率")).value = 0.7999999
    _save(wb, path)


@case("county-bare.xlsx")
def county_bare(path):
    """基本信息 and the rows name the county 魏都 (no 区): read as 魏都区, never dropped."""
    wb = _load()
    wb["基本信息"]["B3"] = "魏都"
    _save(wb, path)


@case("county-traditional.xlsx")
def county_traditional(path):
    wb = _load()
    wb["基本信息"]["B3"] = "\u3000魏都區 "
    _save(wb, path)


@case("county-unknown.xlsx")
def county_unknown(path):
    wb = _load()
    wb["基本信息"]["B3"] = "魏都新区"
    _save(wb, path)


@case("zip-bomb.xlsx")
def zip_bomb(path):
    """The sample plus a part inflating to 1.06 GiB (8 MB on disk)."""
    with zipfile.ZipFile(BASE) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        info = zipfile.ZipInfo("xl/media/padding.xml", FIXED.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as fh:
            block = b" " * (1 << 20)
            for _ in range(1088):
                fh.write(block)


# -- text plans ----------------------------------------------------------------------------------------
def _plan_records():
    """The sample as the YAML/JSON plan structure (strings only, so it is plain JSON)."""
    wb = _load()
    info = {r[0]: _plain(r[1]) for r in wb["基本信息"].iter_rows(min_row=3, values_only=True) if r[0]}

    def records(ws, header_row):
        rows = list(ws.iter_rows(min_row=header_row, values_only=True))
        head = rows[0]
        return [{h: _plain(v) for h, v in zip(head, r) if h} for r in rows[1:] if any(r)]
    return {"基本信息": info, "项目清单": records(wb["项目清单"], 2), "联系点": records(wb["联系点"], 2)}


def _plain(v):
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    return v


def _csv_lines():
    import csv
    import io
    plan = _plan_records()
    head = [h for h in next(_load()["项目清单"].iter_rows(min_row=2, max_row=2, values_only=True)) if h]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    for r in plan["项目清单"]:
        w.writerow([r.get(h, "") for h in head])
    return buf.getvalue()


@case("plan-gbk.csv")
def csv_gbk(path):
    path.write_bytes(_csv_lines().encode("gb18030"))


@case("csv-long-field.csv")
def csv_long_field(path):
    lines = _csv_lines().split("\n")
    head = lines[0].split(",")
    cells = lines[1].split(",")
    cells[head.index("备注")] = "备" * 131_073
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


@case("csv-huge-field.csv")
def csv_huge_field(path):
    lines = _csv_lines().split("\n")
    lines[1] = lines[1] + "," + "x" * (2 << 20)
    path.write_text("\n".join(lines), encoding="utf-8")


@case("csv-stray-quote.csv")
def csv_stray_quote(path):
    lines = _csv_lines().split("\n")
    lines[2] = '"' + lines[2]                         # an opening quote nobody closed
    path.write_text("\n".join(lines), encoding="utf-8")


@case("plan-nan.json")
def plan_nan(path):
    plan = _plan_records()
    plan["项目清单"][0]["户数"] = float("nan")
    plan["项目清单"][1]["户数"] = float("inf")
    plan["项目清单"][2]["楼栋数"] = 10**40
    path.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")


@case("plan-5000-digits.json")
def plan_digits(path):
    text = json.dumps(_plan_records(), ensure_ascii=False, indent=1)
    path.write_text(text.replace('"户数": 618', '"户数": ' + "6" * 5000, 1), encoding="utf-8")


@case("plan-deep.json")
def plan_deep(path):
    plan = _plan_records()
    text = json.dumps(plan, ensure_ascii=False)
    path.write_text(text[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")


@case("plan-alias-bomb.yaml")
def plan_alias_bomb(path):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    path.write_text("基本信息:\n  备注: 示例数据\n" + bomb + "项目清单: []\n联系点: []\n", encoding="utf-8")


@case("plan-recursive-alias.yaml")
def plan_recursive(path):
    path.write_text("基本信息: &x\n  县（市、区）: 魏都区\n  备注: [*x]\n项目清单: []\n联系点: []\n", encoding="utf-8")


@case("plan-impossible-date.yaml")
def plan_bad_date(path):
    import yaml
    plan = _plan_records()
    plan["基本信息"]["报送日期"] = "__DATE__"
    text = yaml.safe_dump(plan, allow_unicode=True, sort_keys=False).replace("__DATE__", "2023-02-30")
    path.write_text(text, encoding="utf-8")


@case("plan-gbk.yaml")
def plan_gbk_yaml(path):
    import yaml
    path.write_bytes(yaml.safe_dump(_plan_records(), allow_unicode=True, sort_keys=False).encode("gb18030"))


# -- policies and score files --------------------------------------------------------------------------
def _policy_copy(folder: Path) -> Path:
    import shutil
    shutil.copytree(ROOT / "policies" / "xuchang" / "2023", folder)
    return folder


@case("policy-alias-bomb")
def policy_bomb(path):
    _policy_copy(path)
    p = path / "policy.yaml"
    bomb = 'x-lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"x-{i}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    p.write_text(p.read_text(encoding="utf-8") + bomb, encoding="utf-8")


@case("policy-deep")
def policy_deep(path):
    _policy_copy(path)
    p = path / "policy.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "x-deep: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")


@case("policy-long-number")
def policy_number(path):
    _policy_copy(path)
    p = path / "policy.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "x-number: " + "9" * 5000 + "\n", encoding="utf-8")


@case("scores-alias-bomb.yaml")
def scores_bomb(path):
    bomb = 'a: &a [1,1,1,1,1,1,1,1,1]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    path.write_text(bomb, encoding="utf-8")


@case("scores-gbk.yaml")
def scores_gbk(path):
    from generator.policy import load_policy
    lp = load_policy("xuchang/2023")
    lines = [f"{r.name}:\n" + "".join(f"  {c.name}: {90 - i}\n" for i, c in enumerate(lp.policy.counties_with_target))
             for r in lp.policy.inspections.rounds]
    path.write_bytes("".join(lines).encode("gb18030"))


# -- round 2 (issue 18) ---------------------------------------------------------------------------------------
@case("cell-x0001.xlsx")
def cell_x0001(path):
    """小区名称 holding Excel's escape _x0001_ (read as U+0001): stopped register documents and report kaigong."""
    wb = _load()
    ws = wb["项目清单"]
    ws.cell(3, _col(ws, "小区名称")).value = "_x0001_" + str(ws.cell(3, _col(ws, "小区名称")).value)
    _save(wb, path)


@case("cell-vertical-tab.xlsx")
def cell_vertical_tab(path):
    """A vertical tab (Word's manual line break), stored as Excel stores it (_x000B_), in 小区名称 and 改造内容."""
    wb = _load()
    ws = wb["项目清单"]
    for col in ("小区名称", "改造内容"):
        c = ws.cell(4, _col(ws, col))
        c.value = str(c.value)[:2] + "_x000B_" + str(c.value)[2:]
    _save(wb, path)


@case("cell-invisible-id.xlsx")
def cell_invisible_id(path):
    """A bidi override and zero-width characters in a 项目编号 and 基本信息 (a name that reads as another)."""
    wb = _load()
    ws = wb["项目清单"]
    c = ws.cell(3, _col(ws, "项目编号"))
    c.value = "\u202e" + str(c.value) + "\u200b\ufeff"
    wb["基本信息"]["B5"] = "\u2066" + str(wb["基本信息"]["B5"].value) + "\u2069\x7f\x85"
    _save(wb, path)


@case("plan-lone-surrogate.json")
def plan_surrogate(path):
    """A JSON plan whose \\ud800 escape is a lone surrogate (no XML, no UTF-8 can hold it)."""
    data = _plan_records()
    data["项目清单"][0]["小区名称"] = "某某\ud800小区\x1b[2J"
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")


@case("long-colliding-ids.xlsx")
def long_colliding_ids(path):
    """Project ids that agree in their first 200 characters: the checklist PDFs overwrote each other."""
    wb = _load()
    ws = wb["项目清单"]
    for k in range(KEEP_PROJECTS):
        ws.cell(3 + k, _col(ws, "项目编号")).value = "XC-2023-" + "某某街道某某社区老旧小区综合改造提升工程" * 10 + f"-{k}"
    _save(wb, path)


@case("weights-one-round-twice.yaml")
def weights_twice(path):
    path.write_text("mid-year: 0.4\n年中: 0.5\nyear-end: 0.6\n", encoding="utf-8")


@case("scores-duplicate-row.csv")
def scores_duplicate_row(path):
    path.write_text("县（市、区）,年中,年终\n魏都区,80,90\n禹州市,85,88\n魏都区,70,90\n", encoding="utf-8")


@case("scores-unknown-round.yaml")
def scores_unknown_round(path):
    path.write_text("mid-year:\n  魏都区: 80\nfinal:\n  魏都区: 90\n", encoding="utf-8")


@case("scores-unknown-county.csv")
def scores_unknown_county(path):
    path.write_text("县（市、区）,年中,年终\n魏都区,80,90\n许昌新区,85,88\n", encoding="utf-8")


@case("other-program.db")
def other_program_db(path):
    """Another program's SQLite file: register commands must refuse it and leave it byte for byte."""
    import sqlite3
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    con.execute("INSERT INTO notes (text) VALUES ('not a register')")
    con.commit()
    con.close()


@case("corrupt-register.db")
def corrupt_register(path):
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)


@case("templates-file-url")
def templates_file_url(path):
    """A template pack whose notice puts a local file into the PDF as an attachment (issue 18 item 1)."""
    import shutil
    (path / "notice").mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "notice" / "notice.html.j2", path / "notice" / "notice.html.j2")
    t = path / "notice" / "notice.html.j2"
    s = t.read_text(encoding="utf-8")
    at = s.index(">", s.index("<body")) + 1
    t.write_text(s[:at] + '<a rel="attachment" href="file:///templates/../../../../etc/passwd">附件</a>' + s[at:],
                 encoding="utf-8")


@case("policy-nested-loops")
def policy_nested_loops(path):
    """A draft policy whose text nests two loops of 100,000 (issue 18 item 6: hung every command)."""
    _policy_copy(path)
    p = path / "policy.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("id: xuchang/2023", "id: test/nested-loops", 1)
                 .replace("status: issued", "status: draft", 1), encoding="utf-8")
    t = path / "text.yaml"
    lines = t.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [("plan_title: \"{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}x{% endfor %}{% endfor %}\"\n"
              if ln.startswith("plan_title:") else ln) for ln in lines]
    t.write_text("".join(lines), encoding="utf-8")


@case("policies")
def policies_override(path):
    """A policies/xuchang/2023 in the working folder, consent lowered to 60 % (issue 18 item 3)."""
    _policy_copy(path / "xuchang" / "2023")
    p = path / "xuchang" / "2023" / "policy.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("threshold: 0.8\n", "threshold: 0.6\n", 1), encoding="utf-8")


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    only = set(argv[1:])
    for name, fn in CASES.items():
        if only and name not in only:
            continue
        fn(out / name)
        print(out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
