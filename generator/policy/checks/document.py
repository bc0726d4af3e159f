"""The document itself: 发文字号 in GB/T 9704 form (P180/P181), what an issued notice must carry (P200), an
issued policy against its lock and what it supersedes (P210/P211)."""
from __future__ import annotations

import re
from pathlib import Path

from generator.findings import Severity
from generator.policy.checks.base import Ctx


DOC_NUMBER = re.compile(r"^\S+〔(19|20)\d{2}〕[1-9]\d*号$")


def check_document(c: Ctx):
    d = c.p.document
    if d.doc_number is not None:
        num = d.doc_number.value
        if not DOC_NUMBER.match(str(num)):
            yield c.f("P180", Severity.ERROR, f"发文字号“{num}”不符合 GB/T 9704 格式（机关代字〔年份〕序号号，六角括号，不编虚位）",
                      f"document number '{num}' is not in GB/T 9704 form (code〔year〕N号)",
                      loc=("document", "doc_number", "value"), clause=d.doc_number.clause, value=num)
        elif d.issue_date is not None:
            ym = re.search(r"〔(\d{4})〕", num)
            assert ym is not None                     # DOC_NUMBER matched, and it requires 〔YYYY〕
            year = int(ym.group(1))
            if year != d.issue_date.value.year:
                yield c.f("P181", Severity.WARNING, f"发文字号年份{year}与成文日期年份{d.issue_date.value.year}不同",
                          f"document number year {year} differs from the issue date year",
                          loc=("document", "doc_number", "value"), clause=d.doc_number.clause)


def check_completeness(c: Ctx):
    """What a policy states is optional (documents follow what is present: Policy.provisions); what is required
    follows from what is there: a policy carrying its notice text (text.notice) is an issued document, so it
    has a 发文字号 and a 成文日期. No list of 许昌's sections is demanded of anyone."""
    p = c.p
    if p.derived_kind != "full":
        return
    for name in ("doc_number", "issue_date"):
        if getattr(p.document, name) is None:
            yield c.f("P200", Severity.ERROR, f"政策含通知正文（text.notice），但缺少 document.{name}",
                      f"the policy has its notice text (text.notice) but no document.{name}", loc=("document",))


def check_versioning(c: Ctx):
    """Issued policies are immutable: an amendment or next year is a new folder that names what it supersedes."""
    from generator.policy.loader import list_ids, load_issued_lock

    p = c.p
    lp = c.lp
    loaded_by_id = lp.root is not None and "@" not in lp.ref
    if p.status == "issued" and loaded_by_id:
        locked = load_issued_lock(lp.root).get(p.id)     # the lock of the folder the policy was found in
        if locked is None:
            yield c.f("P210", Severity.WARNING, f"已印发政策 {p.id} 未登记在 policies/issued.lock 中",
                      f"issued policy {p.id} is not registered in policies/issued.lock", loc=("status",))
        elif locked.get("sha256") != lp.content_hash or str(locked.get("version")) != p.version:
            yield c.f("P210", Severity.ERROR,
                      f"已印发政策 {p.id} 的内容与登记不符（policies/issued.lock）：已印发的政策不得原地修改，"
                      f"请另建新版本并写明 supersedes",
                      f"issued policy {p.id} differs from its registered hash: never edit an issued policy in place; "
                      f"make a new version with `supersedes`", loc=("version",), value=lp.content_hash,
                      expected=locked.get("sha256"))
    if p.supersedes:
        from generator.policy.inherit import resolve_ref

        from generator.policy.loader import _parent_roots, within

        target = p.supersedes.split("@")[0]
        base = lp.docs["policy"].name if "policy" in lp.docs else None
        found = resolve_ref(target, base)
        # a path counts only inside the policy folders (the same confinement as parent:): nothing else is probed
        inside = base is not None and ":" not in base.split("/")[0] and within(Path(found), _parent_roots(base, None))
        if target not in list_ids() and not (inside and Path(found).exists()):
            yield c.f("P211", Severity.WARNING, f"supersedes 指向的政策“{p.supersedes}”不存在",
                      f"supersedes names '{p.supersedes}', which does not exist", loc=("supersedes",))

