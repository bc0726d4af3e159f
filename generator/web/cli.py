"""``gaizao serve`` (the web application on waitress) and ``gaizao web`` (accounts from the command line)."""
from __future__ import annotations

import click

from generator.options import db_option, handle_errors, lang_option, monthly_due_day_option, policy_option

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _db(db_path):
    from generator.register import db
    return db.target(db_path) if db_path else db.default_path()


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="端口 / port.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="工作线程数 / waitress worker threads.")
@click.option("--behind-proxy", is_flag=True,
              help="在 HTTPS 反向代理（nginx、Caddy，本机）之后：采信本机代理的 X-Forwarded-For/Proto/Host / "
                   "trust the X-Forwarded-* headers of a proxy on this machine.")
@click.option("--idle-minutes", default=30.0, show_default=True, type=click.FloatRange(1, 24 * 60),
              help="无操作多少分钟后自动退出登录 / minutes of inactivity that end a session.")
@click.option("--workers", default=None, type=click.IntRange(1, 16),
              help="生成 PDF 等文件的后台进程数（默认：CPU 核数减一，至少 1）/ document worker processes.")
@click.option("--jobs-per-user", default=2, show_default=True, type=click.IntRange(1, 20),
              help="每个账号同时生成的文件数上限 / documents one account may have on the way.")
@click.option("--today", "today_", default=None, type=click.DateTime(["%Y-%m-%d"]),
              help="培训、演示（示例年度）：以这一天为“今天”（收到日期）；默认北京时间的今天 / "
                   "the day taken as today (training with the sample year).")
@click.option("--cookie-secure", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Cookie 的 Secure 标记：auto 为 HTTPS 请求时加 / the cookies' Secure flag.")
@click.option("--max-upload-mb", default=16.0, show_default=True, type=click.FloatRange(0.1, 512),
              help="上传文件大小上限（MB）/ upload size limit.")
@monthly_due_day_option
@policy_option
@lang_option
@handle_errors
def serve(db_path, host, port, threads, behind_proxy, idle_minutes, workers, jobs_per_user, today_, cookie_secure,
          max_upload_mb, due_day, policy_ref, lang):
    """启动网上报送系统（各下级单位上传工作簿、本级查看进度）。 Start the web application."""
    from generator.errors import UsageError
    from generator.web.accounts import Accounts
    from generator.web.app import create_app
    from generator.web.server import create_server

    path = _db(db_path)
    en = lang == "en"
    if not Accounts(path).has_admin():
        raise UsageError("还没有管理员账号：请先运行 gaizao web create-admin 用户名",
                         "no administrator yet: run gaizao web create-admin NAME first", location=str(path))
    app = create_app(path, policy=policy_ref, cookie_secure=cookie_secure, max_upload_mb=max_upload_mb,
                     monthly_due_day=due_day, idle_minutes=idle_minutes, behind_proxy=behind_proxy,
                     workers=workers, jobs_per_user=jobs_per_user, worker_processes=True,
                     today=(lambda: today_.date()) if today_ else None)
    if host not in LOOPBACK and not behind_proxy:
        click.echo("Warning: listening beyond this machine without HTTPS: put it behind an HTTPS proxy "
                   "(--behind-proxy)" if en else
                   "警告：对外监听但未经 HTTPS：密码将以明文传输。请置于 HTTPS 反向代理之后并加 --behind-proxy。", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"gaizao web: http://{shown}:{port}/  ({path})  Ctrl+C to stop" if en else
               f"gaizao 网上报送系统：http://{shown}:{port}/ （登记库 {path}），按 Ctrl+C 停止", err=True)
    server = create_server(app, host=host, port=port, threads=threads)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@click.group("web")
def web():
    """网上报送系统的账号（create-admin / add-user / list）。 Accounts of the web application."""


def _password(prompt_name: str) -> str:
    return click.prompt(f"{prompt_name} 的密码 / password", hide_input=True, confirmation_prompt=True)


@web.command("create-admin")
@click.argument("username")
@click.option("--name", "display_name", default=None, help="姓名或科室 / display name.")
@db_option
@lang_option
@handle_errors
def create_admin(username, display_name, db_path, lang):
    """创建管理员（可管理账号；密码从提示或标准输入读取，输入两次）。 Create an administrator."""
    from generator.web.accounts import Accounts
    acc = Accounts(_db(db_path)).create(username, _password(username), role="admin", display_name=display_name,
                                        by="command line")
    click.echo(f"created administrator {acc.username}" if lang == "en" else f"已创建管理员“{acc.username}”")


@web.command("add-user")
@click.argument("username")
@click.option("--county", default=None, help="下级单位（县、市、区）账号所属的单位 / the county of a county account.")
@click.option("--city", "city", is_flag=True, help="本级工作人员账号（只读）/ a staff account of the policy's own level (read-only).")
@click.option("--name", "display_name", default=None, help="姓名或科室 / display name.")
@db_option
@policy_option
@lang_option
@handle_errors
def add_user(username, county, city, display_name, db_path, policy_ref, lang):
    """创建下级单位或本级工作人员账号。 Create a county (or with --city a city staff) account."""
    from generator.errors import UsageError
    from generator.policy import load_policy
    from generator.policy.wording import policy_level
    from generator.web.accounts import Accounts, role_names
    if bool(county) == bool(city):
        raise UsageError("请给出 --county 单位名称 或 --city 之一", "give either --county NAME or --city")
    p = load_policy(policy_ref).policy
    acc = Accounts(_db(db_path), [c.name for c in p.counties], policy_level(p)).create(
        username, _password(username), role="city" if city else "county", county=county,
        display_name=display_name, by="command line", must_change=True)     # its user sets their own at login
    click.echo(f"created {acc.role} account {acc.username}" if lang == "en" else
               f"已创建{role_names(policy_level(p))[acc.role]}账号“{acc.username}”"
               + (f"（{acc.county}）" if acc.county else ""))


@web.command("list")
@db_option
@lang_option
@handle_errors
def list_accounts(db_path, lang):
    """列出账号。 List the accounts."""
    from generator.safetext import terminal
    from generator.web.accounts import Accounts
    for a in Accounts(_db(db_path)).list():
        click.echo(terminal(f"{a.username}\t{a.role}\t{a.county or ''}\t{'active' if a.active else 'disabled'}\t"
                            f"{a.display_name}"))


@web.command("unlock")
@click.argument("username")
@click.option("--ip", default=None, help="同时解除这个地址的登录限制 / also forget the failures from this address.")
@db_option
@lang_option
@handle_errors
def unlock(username, ip, db_path, lang):
    """解除账号的登录限制（忘记此前的失败次数，记入操作记录）。 Forget an account's failed logins."""
    from generator.errors import UsageError
    from generator.web.accounts import Accounts
    acc = Accounts(_db(db_path))
    if acc.get_by_name(username) is None:
        raise UsageError(f"没有账号“{username}”", f"no account {username!r}")
    acc.unlock(username, by="命令行", ip=ip)
    click.echo(f"unlocked {username}" if lang == "en" else f"已解除“{username}”的登录限制")


@web.command("remind")
@click.option("--contacts", "contacts_path", required=True, type=click.Path(dir_okay=False),
              help="本单位的通讯录（YAML：单位名称: [邮箱, …]）/ the office's contact list.")
@click.option("--smtp", "smtp_host", default=None,
              help="邮件服务器 主机[:端口]；不给则只列出将要发送的提醒 / SMTP server HOST[:PORT]; without it, a dry run.")
@click.option("--security", type=click.Choice(["starttls", "ssl", "none"]), default="starttls", show_default=True,
              help="加密方式（none 仅限本机的邮件服务器）/ transport security (none: a server on this machine only).")
@click.option("--smtp-user", default=None, help="登录邮件服务器的用户名；密码取自环境变量 GAIZAO_SMTP_PASSWORD。")
@click.option("--from", "sender", default=None, help="发件地址 / sender address.")
@click.option("--as-of", "as_of", default=None, type=click.DateTime(["%Y-%m-%d"]),
              help="按哪一天计算待办（默认今天）/ the day the duties are judged on (default today).")
@db_option
@monthly_due_day_option
@policy_option
@lang_option
@handle_errors
def remind(contacts_path, smtp_host, security, smtp_user, sender, as_of, db_path, due_day, policy_ref, lang):
    """按各单位自己页面上的待办（逾期、即将到期）发送提醒邮件；不给 --smtp 时只列出。 Mail each unit its due duties."""
    import os

    from generator.errors import UsageError
    from generator.web import remind as rm
    from generator.web.accounts import Accounts
    from generator.web.app import create_app

    en = lang == "en"
    path = _db(db_path)
    app = create_app(path, policy=policy_ref, monthly_due_day=due_day)
    with app.app_context():
        from generator.web.app import policy
        units = [c.name for c in policy().policy.counties]
    day = as_of.date() if as_of else None
    if day is None:
        from generator.web.app import _city_today
        day = _city_today()
    contacts = rm.read_contacts(contacts_path, units)
    mails, unreached = rm.compose(app, day, contacts)
    for unit in unreached:
        click.echo(f"{unit}: no address in the contact list, not sent" if en else
                   f"{unit}：有待办事项，但通讯录中没有邮箱，未发送", err=True)
    if smtp_host is None:
        for m in mails:
            click.echo(f"--- {', '.join(m.to)}\n{m.subject}\n\n{m.body}")
        click.echo(f"dry run: {len(mails)} reminder(s), none sent (give --smtp to send)" if en else
                   f"试运行：{len(mails)} 封提醒，未发送（加 --smtp 发送）", err=True)
        return
    host, _, port = smtp_host.rpartition(":") if ":" in smtp_host else (smtp_host, "", "")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise UsageError(f"邮件服务器端口“{port}”不正确（--smtp 主机[:端口]）", f"bad SMTP port {port!r} (--smtp HOST[:PORT])")
    if security == "none" and host not in LOOPBACK:
        raise UsageError("不加密（--security none）只能用于本机的邮件服务器", "--security none only to a server on this machine")
    if not sender:
        raise UsageError("请用 --from 给出发件地址", "give the sender with --from")
    smtp = rm.Smtp(host=host, port=int(port) if port.isdigit() else (465 if security == "ssl" else 587),
                   security=security, user=smtp_user, password=os.environ.get("GAIZAO_SMTP_PASSWORD"), sender=sender)
    results = rm.send(mails, smtp)
    acc = Accounts(path)
    failed = 0
    for m, why in results:
        acc.audit("reminder-sent" if why is None else "reminder-failed", username="命令行", county=m.county,
                  detail=f"{', '.join(m.to)}：{m.subject}" + (f"（{why}）" if why else ""))
        if why:
            failed += 1
            click.echo(f"{m.county}: not sent: {why}" if en else f"{m.county}：发送失败：{why}", err=True)
    click.echo(f"{len(results) - failed} reminder(s) sent ({day.isoformat()})" if en else
               f"已发送 {len(results) - failed} 封提醒（按 {day.isoformat()} 计算）", err=True)
    if failed:
        raise SystemExit(1)
