"""gaizao render doc --db takes what every other --db takes: a register file or a postgresql://… URL (docs/web.md)."""
from __future__ import annotations

from click.testing import CliRunner

from generator.cli import main


def test_a_postgresql_url_is_a_server_not_a_file_name(tmp_path):
    url = "postgresql://office:s3cret-pw@127.0.0.1:1/register"      # nothing listens on port 1
    r = CliRunner().invoke(main, ["render", "doc", "start-result", "--policy", "xuchang/2023", "--db", url,
                                  "--as-of", "2023-06-30", "-o", str(tmp_path / "out")])
    assert r.exit_code == 2 and "无法连接登记库服务器" in r.output, r.output
    assert "登记库不存在" not in r.output and "s3cret" not in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()
