"""Whatever a county types into the cells, read_plan returns a Plan (errors stay in their cells)."""
import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from generator.ledger import contract as C
from generator.ledger.contract import build_contract
from generator.ledger.reader import read_plan
from generator.policy import load_policy

LP = load_policy("xuchang/2023")
CON = build_contract(LP.policy)

# values openpyxl can store in a cell
cell_values = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.sampled_from(["合计", "小计", "注：", "85%", "２０２３年６月３０日", "2023.11.31", "√", "0374-1234567", " ", "是"]),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 1, 1)),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(cell_values, min_size=3, max_size=len(CON.projects)), min_size=0, max_size=4),
       info=st.lists(cell_values, min_size=0, max_size=len(CON.info)))
def test_random_cells_never_crash(rows, info):
    wb = Workbook()
    ws = wb.active
    ws.title = C.SHEET_INFO
    ws.append([C.INFO_KEY_HEADER, C.INFO_VALUE_HEADER])
    for col, v in zip(CON.info, info):
        ws.append([col.name, v])
    ws = wb.create_sheet(C.SHEET_PROJECTS)
    ws.append([c.name for c in CON.projects])
    for r in rows:
        ws.append(r)
    wb.create_sheet(C.SHEET_LIAISON).append([c.name for c in CON.liaison])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.xlsx"
        wb.save(path)
        plan = read_plan(path, LP)
    assert len(plan.projects) <= len(rows)
    for r in plan.projects:
        assert r.row >= 2
        for cell in r.cells.values():
            assert (cell.error is None) == (cell.error_en is None)
            assert cell.error is None or cell.value is None
