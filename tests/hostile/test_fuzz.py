"""Issue 18 item 10: property-based fuzzers over what reads outside input, with a fixed budget for CI.

- the workbook reader: random cells (text with control characters, the corpus' hostile strings, huge and
  non-finite numbers, dates, error codes, formulas, booleans) and merged ranges, as .xlsx, JSON and CSV plans;
- the policy loader: random mutations of policies/xuchang/2023/policy.yaml (a value replaced, a key dropped,
  a list emptied, bytes of the text changed);
- the register input: ``register add`` with random received dates, periods and file bytes.

Each must give a result or raise a ``GaizaoError`` (the CLI: exit 0/1/2), never another exception, and no
text read from a file may keep a control, bidi or zero-width character. Examples are derandomised (the same
every run) and few enough that the module stays under 60 s on the CI machine.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import json
import math
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import GaizaoError
from hostile_strings import HOSTILE, LEFT_OVER, as_xlsx_cell

# the whole module is slow: fuzzers over generated workbooks, policies and register inputs at fixed example
# counts (each test a second or more)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "policies" / "xuchang" / "2023"
SAMPLE = ROOT / "data" / "sample-魏都区.xlsx"

BUDGET = dict(deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])

TEXT = st.one_of(st.text(max_size=20), st.sampled_from([t for _, t in HOSTILE]),
                 st.sampled_from(["85%", "０.８５", "２０２３年６月３０日", "2023-02-30", "1,20.5", "是", "×", "合计",
                                  "注：示例", "#REF!", "=A1*2", "=1/0", "", " ", "魏都", "魏都區", "13800000000"]))
NUMBER = st.one_of(st.integers(min_value=-10**30, max_value=10**30), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0, -0.0, 1e308, 5e-324, 2**63, 45107, 20230630]))
DATE = st.one_of(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
                 st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)))
CELL = st.one_of(st.none(), TEXT, NUMBER, DATE, st.booleans())


def _clean_everywhere(plan) -> None:
    """No text the reader returns (raw or parsed, any sheet) keeps a character no document may hold."""
    def check(v):
        if isinstance(v, str):
            assert not LEFT_OVER.search(v), repr(v)
        elif isinstance(v, (list, tuple)):
            for x in v:
                check(x)
    for cell in plan.info.values():
        check(cell.raw), check(cell.value)
    for rows in (plan.projects, plan.liaison):
        if rows:
            table = rows[0].table
            for col in table.raw + table.val:
                for v in col:
                    check(v)


# -- the workbook reader ------------------------------------------------------------------------------------
@st.composite
def workbooks(draw):
    n_rows = draw(st.integers(min_value=0, max_value=5))
    return {
        "info": draw(st.lists(st.tuples(st.sampled_from(["县（市、区）", "报送日期", "牵头单位", "联系人", "联系电话",
                                                         "目标任务", "x"]), CELL), max_size=6)),
        "rows": draw(st.lists(st.lists(CELL, min_size=0, max_size=40), min_size=n_rows, max_size=n_rows)),
        "liaison": draw(st.lists(st.lists(CELL, max_size=8), max_size=3)),
        "merges": draw(st.lists(st.tuples(st.integers(2, 7), st.integers(1, 36), st.integers(0, 2), st.integers(0, 2)),
                                max_size=3)),
        "header_row": draw(st.integers(min_value=1, max_value=3)),
    }


def _xlsx_value(v):
    if isinstance(v, str):
        return as_xlsx_cell(v)
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 2**53:
        return str(v)                                   # openpyxl writes Python ints as they are; keep it text
    return v


def _write_workbook(spec, contract, path: Path) -> None:
    from openpyxl import Workbook
    wb = Workbook()
    info = wb.active
    info.title = "基本信息"
    info.append(["项目", "内容"])
    for k, v in spec["info"]:
        info.append([k, _xlsx_value(v)])
    ws = wb.create_sheet("项目清单")
    for _ in range(spec["header_row"] - 1):
        ws.append(["标题（示例数据）"])
    ws.append([c.name for c in contract.projects])
    for row in spec["rows"]:
        ws.append([_xlsx_value(v) for v in row])
    for r, c, dr, dc in spec["merges"]:
        try:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
        except ValueError:
            pass
    lws = wb.create_sheet("联系点")
    lws.append([c.name for c in contract.liaison])
    for row in spec["liaison"]:
        lws.append([_xlsx_value(v) for v in row])
    wb.save(path)


@settings(max_examples=30, **BUDGET)
@given(spec=workbooks())
def test_fuzz_workbook_reader(spec, policy2023):
    from generator.ledger.contract import build_contract
    from generator.ledger.reader import read_plan
    from generator.validate import validate_plans
    contract = build_contract(policy2023)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.xlsx"
        try:
            _write_workbook(spec, contract, path)
        except (ValueError, TypeError, OverflowError):
            return                                      # openpyxl cannot write it: no workbook to read
        before = path.read_bytes()
        try:
            plan = read_plan(path, policy2023)
        except GaizaoError:
            return
        assert path.read_bytes() == before              # read, never written
        _clean_everywhere(plan)
        validate_plans([plan], policy2023, dt.date(2023, 7, 1))


def _plain(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    return v


@settings(max_examples=40, **BUDGET)
@given(spec=workbooks(), as_list=st.booleans())
def test_fuzz_json_plan(spec, as_list, policy2023):
    from generator.ledger.contract import build_contract
    from generator.ledger.reader import read_plan
    from generator.validate import validate_plans
    contract = build_contract(policy2023)
    names = [c.name for c in contract.projects]
    records = [{names[j]: (([_plain(v)] if as_list else _plain(v))) for j, v in enumerate(row[:len(names)])}
               for row in spec["rows"]]
    data = {"基本信息": {k: _plain(v) for k, v in spec["info"]}, "项目清单": records, "联系点": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.json"
        path.write_text(json.dumps(data, ensure_ascii=False, allow_nan=True), encoding="utf-8", errors="surrogatepass")
        try:
            plan = read_plan(path, policy2023)
        except GaizaoError:
            return
        _clean_everywhere(plan)
        validate_plans([plan], policy2023, dt.date(2023, 7, 1))


@settings(max_examples=30, **BUDGET)
@given(spec=workbooks(), delimiter=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_fuzz_csv_plan(spec, delimiter, encoding, policy2023):
    import csv
    from generator.ledger.contract import build_contract
    from generator.ledger.reader import read_plan
    contract = build_contract(policy2023)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter)
    w.writerow([c.name for c in contract.projects])
    for row in spec["rows"]:
        w.writerow(["" if v is None else _plain(v) for v in row])
    try:
        data = buf.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return                                          # not a file anyone could save in that encoding
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_bytes(data)
        try:
            plan = read_plan(path, policy2023)
        except GaizaoError:
            return
        _clean_everywhere(plan)


# -- the policy loader -----------------------------------------------------------------------------------------
_BASE_POLICY = None


def _base_policy() -> dict:
    global _BASE_POLICY
    if _BASE_POLICY is None:
        data = yaml.safe_load((POLICY_DIR / "policy.yaml").read_text(encoding="utf-8"))
        data["id"], data["status"] = "fuzz/2023", "draft"      # a draft copy: never the issued one's hash
        _BASE_POLICY = data
    return _BASE_POLICY


def _paths(node, at=()):
    yield at
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, at + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, at + (i,))


REPLACEMENT = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
                        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                        st.sampled_from(["{{ 7*7 }}", "{{ missing }}", "2023-02-30", "../../../etc/passwd", "", [], {},
                                         "{% for x in range(10**9) %}x{% endfor %}", "xuchang/2023", 0.7999]),
                        st.lists(st.integers(), max_size=2))
MUTATION = st.tuples(st.sampled_from(["replace", "drop", "empty", "duplicate"]), st.integers(min_value=0),
                     REPLACEMENT)


def _mutate(data: dict, mutations) -> dict:
    data = copy.deepcopy(data)
    for kind, pick, value in mutations:
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = paths[pick % len(paths)]
        parent = data
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        if kind == "replace":
            parent[key] = value
        elif kind == "drop":
            del parent[key]
        elif kind == "empty":
            parent[key] = type(parent[key])() if isinstance(parent[key], (list, dict, str)) else None
        elif kind == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return data


def _load(folder: Path):
    from generator.policy import load_policy
    try:
        load_policy(str(folder))
    except GaizaoError:
        pass
    except RecursionError:                      # a GaizaoError is expected; this is a finding of the fuzzer
        raise


@settings(max_examples=30, **BUDGET)
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_fuzz_policy_loader_structure(mutations):
    data = _mutate(_base_policy(), mutations)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "fuzz" / "2023"
        folder.mkdir(parents=True)
        shutil.copy(POLICY_DIR / "text.yaml", folder / "text.yaml")
        (folder / "policy.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
        _load(folder)


@settings(max_examples=20, **BUDGET)
@given(edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=40), st.binary(max_size=6)),
                      min_size=1, max_size=3))
def test_fuzz_policy_loader_bytes(edits):
    text = yaml.safe_dump(_base_policy(), allow_unicode=True, sort_keys=False).encode("utf-8")
    for at, cut, new in edits:
        at %= len(text)
        text = text[:at] + new + text[at + cut:]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "fuzz" / "2023"
        folder.mkdir(parents=True)
        shutil.copy(POLICY_DIR / "text.yaml", folder / "text.yaml")
        (folder / "policy.yaml").write_bytes(text)
        _load(folder)


# -- the register input ---------------------------------------------------------------------------------------
_TRIMMED: list[bytes] = []


def _small_workbook() -> bytes:
    """The 魏都区 sample cut to 4 projects (register add validates it: small keeps the budget)."""
    if not _TRIMMED:
        from openpyxl import load_workbook
        wb = load_workbook(SAMPLE)
        ws = wb["项目清单"]
        ws.delete_rows(7, ws.max_row)
        buf = io.BytesIO()
        wb.save(buf)
        _TRIMMED.append(buf.getvalue())
    return _TRIMMED[0]


_IN_YEAR = st.dates(min_value=dt.date(2022, 6, 1), max_value=dt.date(2024, 6, 30)).map(dt.date.isoformat)
RECEIVED = st.one_of(_IN_YEAR, _IN_YEAR, _IN_YEAR,          # mostly recordable: the recording path is fuzzed too
                     st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
                     st.text(max_size=12),
                     st.sampled_from(["2013-07-05", "2023-02-30", "2023/6/30", "2023-06-31", "0000-00-00", "2099-01-01",
                                      "2023-7-5", "２０２３-０２-２０", "20230220", "-1", "2023-02-20T00:00"]))
PERIOD = st.one_of(st.none(), st.none(), st.text(max_size=8),
                   st.dates(min_value=dt.date(2022, 6, 1), max_value=dt.date(2024, 6, 30)).map(lambda d: d.strftime("%Y-%m")),
                   st.sampled_from(["2023-06", "2023-13", "2023-00", "2022-12", "2024-01", "2023/06", "06", "2023-6"]))


@st.composite
def workbook_bytes(draw):
    base = _small_workbook()
    how = draw(st.sampled_from(["as is", "as is", "as is", "random", "flip", "truncate", "empty"]))
    if how == "random":
        return draw(st.binary(max_size=200))
    if how == "flip":
        at = draw(st.integers(min_value=0, max_value=len(base) - 1))
        return base[:at] + bytes([base[at] ^ 0xFF]) + base[at + 1:]
    if how == "truncate":
        return base[:draw(st.integers(min_value=0, max_value=len(base) - 1))]
    return b"" if how == "empty" else base


@settings(max_examples=30, **BUDGET)
@given(received=RECEIVED, period=PERIOD, data=workbook_bytes(), force=st.booleans())
def test_fuzz_register_add(received, period, data, force):
    from generator.cli import main
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "魏都区.xlsx"
        f.write_bytes(data)
        args = ["register", "add", str(f), "--received", received, "--by", "测试", "--db", str(Path(tmp) / "y.db"),
                "--policy", "xuchang/2023"]
        if period is not None:
            args += ["--period", period]
        if force:
            args.append("--force")
        r = CliRunner().invoke(main, args)
        output = r.output + (r.stderr if r.stderr_bytes is not None else "")
        assert r.exception is None or isinstance(r.exception, SystemExit), f"{r.exception!r}\n{output[-2000:]}"
        assert "Traceback" not in output
        assert r.exit_code in (0, 1, 2), output[-2000:]
        assert f.read_bytes() == data                   # the input is never modified
