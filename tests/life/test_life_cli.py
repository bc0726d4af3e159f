"""gaizao project: a thin layer; hostile evidence refused with a located message and exit 2, never a traceback."""
import json

from click.testing import CliRunner

from generator.cli import main
from tests.life.conftest import jpeg_bytes


def run(*args):
    return CliRunner().invoke(main, ["project", *args], catch_exceptions=False)


def test_record_show_and_extract(reg, tmp_path):
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(jpeg_bytes())
    db = ["--db", str(reg.path), "--policy", "xuchang/2023"]
    r = run("verify", "XC01-001", "--criterion", "3", "--verdict", "符合", "--inspector", "王五", "--day",
            "2023-05-01", "--by", "市住建局", "--evidence", str(photo), *db)
    assert r.exit_code == 0, r.output
    assert "已记录 #1" in r.output and "[现场.jpg]" in r.output
    r = run("show", "XC01-001", "--format", "json", "--db", str(reg.path))
    data = json.loads(r.output)
    assert data["county"] == "禹州市" and data["events"][0]["fields"]["verdict"] == "符合"
    out = tmp_path / "取出.jpg"
    r = run("evidence", "1", "-o", str(out), "--db", str(reg.path))
    assert r.exit_code == 0 and out.read_bytes() == jpeg_bytes()


def test_hostile_evidence_exit_2_located(reg, tmp_path):
    evil = tmp_path / "evil.jpg"
    evil.write_bytes(jpeg_bytes() + b"PK\x05\x06" + b"\x00" * 18)
    db = ["--db", str(reg.path), "--policy", "xuchang/2023"]
    r = run("declare", "XC01-001", "--criterion", "2", "--day", "2023-04-01", "--by", "县", "--evidence", str(evil), *db)
    assert r.exit_code == 2 and f"{evil}: 证据文件不予接收" in r.output and "Traceback" not in r.output
    r = run("declare", "XC01-001", "--criterion", "2", "--day", "2023-04-01", "--by", "县", "--evidence", str(evil),
            "--lang", "en", *db)
    assert r.exit_code == 2 and "evidence refused: a ZIP archive is appended" in r.output
    assert evil.read_bytes().startswith(b"\xff\xd8")                  # the input is never touched


def test_check_exits_1_on_a_consent_shortfall(reg):
    db = ["--db", str(reg.path), "--policy", "xuchang/2023"]
    for subject in ("改造方案", "物业管理模式"):
        r = run("consult", "XC01-001", "--subject", subject, "--method", "会议", "--asked", "250", "--agreed", "200",
                "--day", "2023-03-10", "--by", "县", *db)
        assert r.exit_code == 0, r.output
    r = run("check", "--county", "禹州市", "--as-of", "2023-06-30", "--format", "json", *db)
    assert r.exit_code == 0                                                               # exactly 80 % meets
    # the workbook types 95.8 % for XC01-001 (data/year-2023): both subjects' counts say 80 %
    fs = json.loads(r.output)["findings"]
    assert [(f["code"], f["value"]) for f in fs] == [("G103", "0.958"), ("G103", "0.958")]
    assert fs[0]["message"].startswith("工作簿中改造方案填报同意率95.8%，按征求意见户数计为200/250户（80%）")
    run("consult", "XC01-001", "--subject", "改造方案", "--method", "表决", "--asked", "250", "--agreed", "199",
        "--day", "2023-03-20", "--by", "县", *db)
    r = run("check", "--county", "禹州市", "--as-of", "2023-06-30", "--format", "json", *db)
    assert r.exit_code == 1
    codes = sorted(f["code"] for f in json.loads(r.output)["findings"])
    assert codes == ["G101", "G103", "G104"]       # short; 95.8 % typed hides 79.6 %; the other subject's 80 %


def test_build_records_the_sample_life_right_after_the_import(tmp_path):
    from generator.build import steps
    from tests.life.conftest import ROOT
    plan = [args for _, args in steps("xuchang/2023", tmp_path, ROOT / "data")]
    heads = [a[:2] for a in plan]
    i = heads.index(["register", "import"])
    assert heads[i + 1] == ["project", "sample"]                      # before any count is made
    docs = next(a for a in plan if a[:2] == ["project", "documents"])
    assert docs[docs.index("--as-of") + 1] == "2023-05-31"          # the month before 全部开工 (6月底前)
    assert ["project", "works"] in heads


def test_sample_refuses_a_register_with_real_submissions(reg, tmp_path, policy2023):
    import datetime as dt
    import io

    import openpyxl

    from generator.ledger import contract as C
    from generator.register import Register
    from tests.life.conftest import PLAN
    r = run("sample", "--db", str(reg.path), "--policy", "xuchang/2023")
    assert r.exit_code == 0 and "示例记录" in r.output                 # a register of sample data: recorded
    again = run("sample", "--db", str(reg.path), "--policy", "xuchang/2023")
    assert "示例记录0条" in again.output                                 # once only
    wb = openpyxl.load_workbook(PLAN)
    for row in wb[C.SHEET_INFO].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "示例数据" in cell.value:
                cell.value = cell.value.replace("示例数据", "").strip() or None
    buf = io.BytesIO()
    wb.save(buf)
    real = Register(tmp_path / "real.db")
    assert not real.add(buf.getvalue(), file_name="禹州市.xlsx", received=dt.date(2023, 2, 24), by="x",
                        policy=policy2023).submission.sample
    r = run("sample", "--db", str(real.path), "--policy", "xuchang/2023")
    assert r.exit_code == 2 and "非示例数据" in r.output


def test_list_shows_each_project_s_stage(reg, life):
    import datetime as dt
    life.record("completed", project="XC01-002", day=dt.date(2023, 11, 1), by="县")
    r = run("list", "--county", "禹州市", "--as-of", "2023-12-31", "--format", "json", "--db", str(reg.path))
    rows = {x["project"]: x for x in json.loads(r.output)}
    assert rows["XC01-002"]["stage_words"] == "完工" and rows["XC01-002"]["events"] == 1
    assert rows["XC01-001"]["stage_words"] == "入库/计划"
    assert run("list", "--county", "禹州市", "--as-of", "2023-01-01", "--db", str(reg.path)).exit_code == 2
