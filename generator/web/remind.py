"""Reminders of what is due, by mail (issue 22.5): the same duties the county's own page shows, sent to the
addresses an office keeps in its own contact list, over the office's SMTP server.

Nothing here is policy: the duties come from the policy and the register (``county.county_duties``), the
addresses from the office's contact list (a YAML mapping of unit name -> addresses), never from the policy and
never invented. Mail is optional: without ``--smtp`` nothing is sent and the reminders show in the page only.
"""
from __future__ import annotations

import datetime as dt
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from generator.errors import InputError, UsageError
from generator.policy.cnfmt import cn_date

ADDRESS = re.compile(r"^[^@\s<>\"'`;,]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
MAX_CONTACTS_BYTES = 256 * 1024
STATES = {"overdue": "已逾期", "due": "即将到期"}


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 587
    security: str = "starttls"          # starttls | ssl | none (none only to a server on this machine)
    user: str | None = None
    password: str | None = None
    sender: str = ""
    timeout: float = 30.0


@dataclass
class Mail:
    county: str
    to: list[str]
    subject: str
    body: str
    items: list = field(default_factory=list)


def read_contacts(path: Path, units: list[str]) -> dict[str, list[str]]:
    """The office's contact list: ``禹州市: [a@x.cn, b@x.cn]``. Unknown unit names and malformed addresses are
    refused with the line they are on (a typo would otherwise silently leave a county without reminders)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取通讯录：{exc.strerror or exc}", f"cannot read the contact list: {exc}",
                         location=str(p)) from None
    if len(raw) > MAX_CONTACTS_BYTES:
        raise InputError("通讯录文件过大", "the contact list is too large", location=str(p))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"通讯录不是 UTF-8 编码的 YAML：{exc}", f"the contact list is not UTF-8 YAML: {exc}",
                         location=str(p)) from None
    from generator.policy.yamlsrc import parse_yaml      # bounded, located; a date that does not exist stays text
    data = parse_yaml(text, str(p), InputError).data
    if not isinstance(data, dict):
        raise InputError("通讯录应为“单位名称: [邮箱, …]”的列表", "the contact list must map unit names to addresses",
                         location=str(p))
    out: dict[str, list[str]] = {}
    for name, addrs in data.items():
        unit = str(name).strip()
        if unit not in units:
            raise InputError(f"通讯录中的单位“{unit}”不在政策所列单位中（{'、'.join(units)}）",
                             f"unit {unit!r} of the contact list is not one of the policy's units",
                             location=f"{p}: {unit}")
        items = [addrs] if isinstance(addrs, str) else list(addrs or [])
        for a in items:
            if not isinstance(a, str) or not ADDRESS.match(a.strip()):
                raise InputError(f"“{unit}”的邮箱“{a}”格式不正确", f"address {a!r} of {unit} is malformed",
                                 location=f"{p}: {unit}")
        out[unit] = [a.strip() for a in items]
    return out


def compose(app, day: dt.date, contacts: dict[str, list[str]]) -> tuple[list[Mail], list[str]]:
    """One mail per unit with something overdue or due soon (as its own page shows it on ``day``), and the units
    with something due but no address in the contact list."""
    from flask import current_app

    from generator.web.app import policy
    from generator.web.county import county_duties
    mails, unreached = [], []
    with app.app_context():
        lp = policy()
        d = lp.policy.document.doc_number
        # the policy as a county reader cites it: no policy id, version, hash or server folder (lp.said is the log's)
        said = f"《{lp.policy.title}》" + (f"（{d.value}）" if d is not None else "")
        for unit in [c.name for c in lp.policy.counties]:
            duties, monthly = county_duties(unit, day)
            items = [d for d in duties if d.state in STATES]
            # 漏报 of the 信息月报 (only where the office set its due day: serve/remind --monthly-due-day)
            missing = [f"{int(p[:4])}年{int(p[5:7])}月" for p in (getattr(monthly, "missing", None) or [])]
            if not items and not missing:
                continue
            if not contacts.get(unit):
                unreached.append(unit)
                continue
            lines = [f"{unit}：", "", f"截至{cn_date(day)}，以下事项请及时办理："]
            for i, d in enumerate(items, 1):
                lines.append(f"{i}. {d.label}（{STATES[d.state]}，期限 {cn_date(d.date)}）：{d.text}")
            if missing:
                lines.append(f"{len(items) + 1}. 信息月报（已逾期）：{'、'.join(missing)}的信息月报尚未报送"
                             f"（每月{current_app.config['MONTHLY_DUE_DAY']}日前报送上月）")
            lines += ["", f"依据：{said}", "本邮件由填报系统自动发送，请登录系统查看详情，勿直接回复。"]
            overdue = sum(d.state == "overdue" for d in items) + (1 if missing else 0)
            total = len(items) + (1 if missing else 0)
            subject = (f"【提醒】{unit}：{overdue} 项已逾期" + (f"，{total - overdue} 项即将到期" if total > overdue
                                                        else "")) if overdue else f"【提醒】{unit}：{total} 项即将到期"
            mails.append(Mail(unit, contacts[unit], subject, "\n".join(lines) + "\n", items))
    return mails, unreached


def _message(mail: Mail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(mail.to)
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(mail.body, charset="utf-8")
    return msg


def send(mails: list[Mail], smtp: Smtp) -> list[tuple[Mail, str | None]]:
    """Send each mail over one connection; (mail, None) when sent, (mail, reason) when the server refused it.
    A server that cannot be reached at all is a UsageError (exit 2) before anything is sent."""
    if not ADDRESS.match(smtp.sender or ""):
        raise UsageError(f"发件地址“{smtp.sender}”格式不正确（--from）", f"bad sender address {smtp.sender!r} (--from)")
    results: list[tuple[Mail, str | None]] = []
    try:
        if smtp.security == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                                  context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with conn:
            if smtp.security == "starttls":
                conn.starttls(context=ssl.create_default_context())
            if smtp.user:
                conn.login(smtp.user, smtp.password or "")
            for m in mails:
                try:
                    refused = conn.send_message(_message(m, smtp.sender))
                    results.append((m, "、".join(refused) + " 被拒收" if refused else None))
                except smtplib.SMTPException as exc:
                    results.append((m, str(exc)))
    except (OSError, smtplib.SMTPException) as exc:
        raise UsageError(f"无法通过邮件服务器 {smtp.host}:{smtp.port} 发送：{exc}",
                         f"cannot send through {smtp.host}:{smtp.port}: {exc}") from None
    return results
