"""Issued policies are immutable: policies/issued.lock pins their content hash."""
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.policy.loader import list_ids, load_issued_lock, load_policy

ROOT = Path(__file__).resolve().parents[2]


def test_every_issued_policy_matches_its_lock():
    lock = load_issued_lock()
    for pid in list_ids():
        lp = load_policy(pid)
        if lp.policy.status == "issued":
            assert pid in lock, f"{pid} is issued but not in policies/issued.lock"
            assert lock[pid]["sha256"] == lp.content_hash, f"{pid} was edited in place"


def test_editing_an_issued_policy_in_place_is_an_error(tmp_path, monkeypatch):
    root = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", root)
    f = root / "xuchang" / "2023" / "policy.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("# Issued document", "# edited\n# Issued document")
                 .replace("households: 181, clause: 二, quote: 禹州市改造老旧小区8个，涉及居民181户",
                          "households: 182, clause: 二, quote: 禹州市改造老旧小区8个，涉及居民182户"),
                 encoding="utf-8")
    monkeypatch.setenv("GAIZAO_POLICIES", str(root))
    res = CliRunner().invoke(main, ["policy", "check", "xuchang/2023", "--json"])
    codes = [f["code"] for f in json.loads(res.output)["findings"]]
    assert res.exit_code == 1 and "P210" in codes
