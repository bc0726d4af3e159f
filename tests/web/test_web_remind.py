"""Reminders by mail (issue 22.5): the duties a unit's own page shows, sent to the office's contact list over SMTP
(a real SMTP server on this machine, aiosmtpd), optional, audited; a dry run without --smtp."""
import datetime as dt
import socket

import pytest
from click.testing import CliRunner

from generator.cli import main


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    got = []

    class Keep(Message):
        def handle_message(self, message):
            got.append(message)

    port = _free_port()
    ctl = Controller(Keep(), hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        yield port, got
    finally:
        ctl.stop()


def _run(args):
    return CliRunner().invoke(main, ["web", "remind", *args], catch_exceptions=False)


@pytest.fixture
def deadline(policy2023):
    """The county plan's deadline as the notice states it (三（一）: 2月底前)."""
    d = policy2023.policy.deadline("county_plan")
    assert "2月底前" in d.quote
    return d


@pytest.mark.slow
def test_a_unit_that_missed_its_plan_deadline_is_mailed(web, tmp_path, smtp_server, deadline):
    from email import message_from_bytes, policy as email_policy
    port, got = smtp_server
    contacts = tmp_path / "通讯录.yaml"
    contacts.write_text("禹州市: [zjj@yuzhou.example.cn]\n", encoding="utf-8")
    day = deadline.date + dt.timedelta(days=1)
    r = _run(["--contacts", str(contacts), "--smtp", f"127.0.0.1:{port}", "--security", "none",
              "--from", "bcb@xuchang.example.cn", "--as-of", day.isoformat(), "--db", str(tmp_path / "web.db")])
    assert r.exit_code == 0, r.output
    assert len(got) == 1                                     # only 禹州市 has an address
    msg = message_from_bytes(got[0].as_bytes(), policy=email_policy.default)
    assert msg["To"] == "zjj@yuzhou.example.cn"
    assert "禹州市" in msg["Subject"] and "已逾期" in msg["Subject"]
    body = msg.get_content()
    assert deadline.label in body and "2023年2月28日" in body and "已逾期" in body
    assert "依据" in body
    assert "建安区：有待办事项，但通讯录中没有邮箱，未发送" in r.output
    sent = [a for a in web.accounts.audit_rows(20) if a["action"] == "reminder-sent"]
    assert len(sent) == 1 and sent[0]["county"] == "禹州市"


def test_on_the_deadline_day_the_plan_is_due_not_overdue(web, tmp_path, deadline):
    contacts = tmp_path / "c.yaml"
    contacts.write_text("禹州市: zjj@yuzhou.example.cn\n", encoding="utf-8")
    r = _run(["--contacts", str(contacts), "--as-of", deadline.date.isoformat(), "--db", str(tmp_path / "web.db")])
    assert r.exit_code == 0, r.output
    assert "即将到期" in r.output and "已逾期" not in r.output
    assert "试运行：1 封提醒，未发送" in r.output            # a dry run without --smtp


@pytest.mark.slow
@pytest.mark.parametrize("text, words", [
    ("许昌县: [a@b.cn]\n", "不在政策所列单位中"),
    ("禹州市: [not-an-address]\n", "格式不正确"),
    ("- 禹州市\n", "单位名称: [邮箱"),
    ("禹州市: [a@b.cn\n", "YAML"),
])
def test_a_bad_contact_list_is_refused_with_its_place(web, tmp_path, text, words):
    contacts = tmp_path / "c.yaml"
    contacts.write_text(text, encoding="utf-8")
    r = _run(["--contacts", str(contacts), "--as-of", "2023-03-01", "--db", str(tmp_path / "web.db")])
    assert r.exit_code == 2 and words in r.output and "Traceback" not in r.output


def test_plain_text_mail_only_to_this_machine(web, tmp_path):
    contacts = tmp_path / "c.yaml"
    contacts.write_text("禹州市: [a@b.cn]\n", encoding="utf-8")
    r = _run(["--contacts", str(contacts), "--smtp", "mail.example.cn:25", "--security", "none",
              "--from", "x@y.cn", "--as-of", "2023-03-01", "--db", str(tmp_path / "web.db")])
    assert r.exit_code == 2 and "只能用于本机" in r.output


def test_an_unreachable_server_is_a_located_error(web, tmp_path):
    contacts = tmp_path / "c.yaml"
    contacts.write_text("禹州市: [a@b.cn]\n", encoding="utf-8")
    r = _run(["--contacts", str(contacts), "--smtp", f"127.0.0.1:{_free_port()}", "--security", "none",
              "--from", "x@y.cn", "--as-of", "2023-03-01", "--db", str(tmp_path / "web.db")])
    assert r.exit_code == 2 and "无法通过邮件服务器" in r.output and "Traceback" not in r.output


def test_the_mail_cites_the_policy_without_internal_traces(web, tmp_path, deadline, policy2023):
    """A county reads the mail: the policy by its title and 文号, never its id, version, hash or the server's folder."""
    contacts = tmp_path / "c.yaml"
    contacts.write_text("禹州市: zjj@yuzhou.example.cn\n", encoding="utf-8")
    day = deadline.date + dt.timedelta(days=1)
    r = _run(["--contacts", str(contacts), "--as-of", day.isoformat(), "--db", str(tmp_path / "web.db")])
    assert r.exit_code == 0, r.output
    body = r.output.split("依据：", 1)[1].splitlines()[0]
    assert "许百城提质办〔2023〕3号" in body and "《许昌市2023年城镇老旧小区改造工作实施方案》" in body
    for trace in ("xuchang/2023", "版本", "哈希", policy2023.content_hash[:12], "policies/"):
        assert trace not in body, trace


@pytest.mark.slow
@pytest.mark.parametrize("port", ["abc", "0", "99999"])
def test_a_bad_smtp_port_is_refused(web, tmp_path, deadline, port):
    contacts = tmp_path / "c.yaml"
    contacts.write_text("禹州市: zjj@yuzhou.example.cn\n", encoding="utf-8")
    day = deadline.date + dt.timedelta(days=1)
    r = _run(["--contacts", str(contacts), "--smtp", f"127.0.0.1:{port}", "--security", "none", "--from",
              "bcb@xuchang.example.cn", "--as-of", day.isoformat(), "--db", str(tmp_path / "web.db")])
    assert r.exit_code == 2 and f"端口“{port}”" in r.output, r.output


@pytest.mark.slow
def test_a_missing_monthly_report_is_mailed_where_the_office_set_its_due_day(web, tmp_path, policy2023):
    """With the office's due day (the 5th), 禹州市 sends its plan and its March 月报 and nothing more: on 07-10 its
    April, May and June 信息月报 are 漏报 (June's was due 07-05), and the mail says so. Without a due day nothing
    about 月报 is said (no rule, no reminder)."""
    from generator.register import Register
    from web_helpers import DATA
    year = DATA / "year-2023"
    reg = Register(tmp_path / "web.db")
    reg.add(year / "2023-02-24-禹州市-方案.xlsx", received=dt.date(2023, 2, 24), by="登记员", policy=policy2023)
    reg.add(year / "2023-03-31-禹州市-月报.xlsx", received=dt.date(2023, 3, 31), by="登记员", policy=policy2023,
            kind="信息月报", period="2023-03")
    contacts = tmp_path / "c.yaml"
    contacts.write_text("禹州市: [a@b.cn]\n", encoding="utf-8")
    base = ["--contacts", str(contacts), "--as-of", "2023-07-10", "--db", str(tmp_path / "web.db")]
    r = _run([*base, "--monthly-due-day", "5"])
    assert r.exit_code == 0, r.output
    assert "信息月报（已逾期）：2023年4月、2023年5月、2023年6月的信息月报尚未报送（每月5日前报送上月）" in r.output
    on_due_day = ["--contacts", str(contacts), "--as-of", "2023-07-05", "--db", str(tmp_path / "web.db")]
    r = _run([*on_due_day, "--monthly-due-day", "5"])              # June's is due that day: not yet missing
    assert "信息月报（已逾期）：2023年4月、2023年5月的信息月报尚未报送" in r.output
    r = _run(base)
    assert r.exit_code == 0 and "信息月报（已逾期）" not in r.output
