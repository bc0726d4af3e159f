"""Copy-safety (issue 11, item 4): a 德州 2022 policy started by copying 许昌 2023 and changing only its id, city
and year keeps 许昌's issuer, title, erratum and 河南's 2023 documents; `policy check` flags each where it is."""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]


def copied_dezhou(tmp_path: Path) -> Path:
    folder = tmp_path / "dezhou-2022"
    shutil.copytree(ROOT / "policies" / "xuchang" / "2023", folder)
    f = folder / "policy.yaml"
    text = f.read_text(encoding="utf-8")
    for old, new in (("id: xuchang/2023", "id: dezhou/2022"), ("status: issued", "status: draft"),
                     ("  city:\n    value: 许昌市", "  city:\n    value: 德州市"),
                     ("  plan_year:\n    value: 2023", "  plan_year:\n    value: 2022")):
        assert old in text
        text = text.replace(old, new, 1)
    f.write_text(text, encoding="utf-8")
    return folder


def findings(folder):
    res = CliRunner().invoke(main, ["policy", "check", str(folder), "--json"])
    return res, json.loads(res.output)["findings"]


def line_of(folder: Path, file: str, needle: str) -> int:
    return next(i + 1 for i, x in enumerate((folder / file).read_text(encoding="utf-8").splitlines()) if needle in x)


def test_a_copied_policy_is_flagged_where_it_still_belongs_to_xuchang(tmp_path):
    folder = copied_dezhou(tmp_path)
    res, fs = findings(folder)
    assert res.exit_code == 1
    by = {}
    for f in fs:
        by.setdefault(f["code"], []).append(f)
    issuer = next(f for f in by["P240"] if f["path"] == "document.issuer.value")
    assert "许昌市百城建设提质工程指挥部办公室" in issuer["message"] and "德州市" in issuer["message"]
    assert issuer["line"] == line_of(folder, "policy.yaml", "value: 许昌市百城建设提质工程指挥部办公室")
    assert any(f["path"] == "title" for f in by["P240"])
    # 河南's 2023 documents cited in a 2022 plan
    assert sorted(f["value"] for f in by["P242"]) == ["豫办〔2023〕1号", "豫建城建〔2023〕17号"]
    assert all("晚于本政策的2022年度" in f["message"] for f in by["P242"])
    # 许昌's erratum (2022年3月15日 → 2023年3月15日) makes no sense in a 2022 plan
    (err,) = by["P241"]
    assert err["path"] == "deadlines[renovation_plans].erratum" and "2023年3月15日" in err["message"]
    assert err["line"] == line_of(folder, "policy.yaml", "    erratum:")
    # 许昌 in the clause text: the banner, title and signature among others, in text.yaml
    text_hits = {f["path"] for f in by["P244"]}
    assert {"text.notice.banner", "text.notice.signature"} <= text_hits
    assert all(f["file"].endswith("text.yaml") for f in by["P244"])


def test_the_id_year_must_be_the_plan_year(tmp_path):
    folder = copied_dezhou(tmp_path)
    f = folder / "policy.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("id: dezhou/2022", "id: dezhou/2021"), encoding="utf-8")
    _, fs = findings(folder)
    assert any(x["code"] == "P243" and "2021" in x["message"] for x in fs)


@pytest.mark.slow
def test_the_bundled_policies_belong_to_themselves():
    from generator.policy import check_policy, list_ids, load_policy
    for pid in list_ids():
        codes = {f.code for f in check_policy(load_policy(pid)).findings}
        assert not codes & {"P240", "P241", "P242", "P243", "P244"}, pid


def test_a_city_may_cite_its_province_without_naming_a_parent():
    # xuchang/2023 cites 河南's documents and has no `parent`: no P242/P244 for 河南
    from generator.policy import check_policy, load_policy
    assert not [f for f in check_policy(load_policy("xuchang/2023")).findings if f.code.startswith("P24")]
