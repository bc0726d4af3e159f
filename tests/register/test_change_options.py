"""`register policy` and `register rule` record a change of the register's footing the same way: one option stack
(--from DATE, --by NAME, --note TEXT), declared once in generator/register/cli.py (issue 24)."""
from click.testing import CliRunner

from generator.cli import main


def _stack(cmd):
    return [(p.name, p.opts, p.required, p.help) for p in cmd.params if p.name in ("applies_from", "by", "note")]


def test_policy_and_rule_share_one_option_stack():
    from generator.register.cli import policy_, rule_
    assert _stack(policy_) == _stack(rule_)
    assert [(n, o, r) for n, o, r, _ in _stack(rule_)] == [("applies_from", ["--from"], True), ("by", ["--by"], True),
                                                           ("note", ["--note"], False)]


def test_a_change_without_its_day_or_recorder_is_refused(tmp_path):
    db = str(tmp_path / "r.db")
    for args, lacking in ((["register", "rule", "monthly_due_day", "5", "--by", "张三"], "--from"),
                          (["register", "rule", "monthly_due_day", "5", "--from", "2023-03-01"], "--by"),
                          (["register", "policy", "xuchang/2023", "--by", "张三"], "--from")):
        res = CliRunner().invoke(main, [*args, "--db", db])
        assert res.exit_code == 2, (args, res.output)
        assert f"Missing option '{lacking}'" in res.output, (args, res.output)      # the option left out, by name


def test_both_record_the_day_and_who(tmp_path):
    db = str(tmp_path / "r.db")
    res = CliRunner().invoke(main, ["register", "rule", "monthly_due_day", "5", "--from", "2023-03-01", "--by", "市百城办",
                                    "--note", "市百城办通知", "--db", db])
    assert res.exit_code == 0, res.output
    assert "自2023-03-01起（市百城办）" in res.output
    res = CliRunner().invoke(main, ["register", "policy", "xuchang/2023", "--from", "2023-03-01", "--by", "市百城办",
                                    "--db", db])
    assert res.exit_code == 0, res.output
    assert "xuchang/2023" in res.output and "自2023-03-01起" in res.output
