"""The few filters the web pages use (added to the sandboxed environment, nothing else)."""
from __future__ import annotations

import datetime as dt


def cn_date(d) -> str:
    from generator.policy.cnfmt import cn_date as fmt
    if isinstance(d, str):
        try:
            d = dt.date.fromisoformat(d[:10])
        except ValueError:
            return d
    return fmt(d) if isinstance(d, dt.date) else ""


def when(ts) -> str:
    """An ISO UTC timestamp as the city's local time, to the minute."""
    try:
        t = dt.datetime.fromisoformat(str(ts))
    except ValueError:
        return str(ts or "")
    try:
        from zoneinfo import ZoneInfo
        t = t.astimezone(ZoneInfo("Asia/Shanghai"))
    except Exception:
        pass
    return t.strftime("%Y-%m-%d %H:%M")


def severity(s) -> str:
    return getattr(s, "zh", str(s))


# the audit log's actions as the office reads them (the stored codes stay stable)
ACTIONS = {
    "login": "登录", "login-failed": "登录失败", "login-blocked": "登录过频，被要求稍候", "login-password-ok": "密码正确，待动态口令",
    "logout": "退出", "totp-failed": "动态口令错误", "totp-used": "动态口令已使用（时间步）", "totp-on": "启用动态口令", "totp-off": "关闭动态口令",
    "totp-cleared": "管理员清除动态口令", "password-changed": "修改密码", "password-failed": "修改密码时原密码错误",
    "password-reset": "管理员重置密码", "account-created": "创建账号", "account-enabled": "启用账号",
    "account-disabled": "停用账号", "unlock": "解除登录限制", "reminder-sent": "发送提醒邮件", "reminder-failed": "提醒邮件发送失败", "unlock-ip": "解除地址的登录限制",
    "upload": "正式报送", "trial": "试填报", "upload-refused": "上传未登记", "download": "下载",
    "withdrawn": "撤回报送", "received": "接收报送", "accepted": "审核通过", "returned": "退回报送",
    "life-declare": "开工条件申报", "life-verify": "开工条件核查", "life-refused": "项目记录未登记",
    # the other life forms (lifeforms.py): "life-" + the record's kind
    "life-consultation": "征求意见", "life-inspection": "巡检抽检", "life-hazard": "质量安全隐患",
    "life-rectified": "整改销号", "life-completed": "完工", "life-acceptance": "竣工验收", "life-handover": "移交",
    "life-warranty": "保修", "life-complaint": "投诉", "life-complaint_closed": "投诉办结",
}
# what was downloaded
DOWNLOADS = {
    "original": "原文件", "annotated": "标注副本", "checklists-docx": "开工认定核查表 DOCX", "checklists-pdf": "开工认定核查表 PDF",
    "checklists-merged": "开工认定核查表（合并 PDF）", "kaigong-xlsx": "开工项目认定汇总表 XLSX",
    "kaigong-pdf": "开工项目认定汇总表 PDF", "summary": "汇总表", "tongbao-docx": "进度通报 DOCX", "tongbao-pdf": "进度通报 PDF",
    "notice-docx": "政策原文 DOCX", "notice-pdf": "政策原文 PDF", "county-template-docx": "实施方案模板 DOCX",
    "county-template-xlsx": "报送表 XLSX", "receipt": "回执", "feedback-letter": "反馈意见函",
    "life-evidence": "项目证据文件",
}


def action(code) -> str:
    return ACTIONS.get(str(code), str(code))


def detail(row) -> str:
    d = row.get("detail") or ""
    return DOWNLOADS.get(d, d) if row.get("action") == "download" else d


FILTERS = {"cn_date": cn_date, "when": when, "severity": severity, "action": action, "detail": detail}
