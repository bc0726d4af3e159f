"""write_documents: the whole set from plain data; what the policy leaves open is skipped with its reason."""
from __future__ import annotations

import datetime as dt

from generator.ledger.reader import read_plan
from generator.reports.duties import Received
from generator.reports.year import write_documents


def test_the_years_documents_and_what_is_skipped(policy2023, tmp_path):
    plan = read_plan("data/sample-禹州市.xlsx", policy2023)
    scores = {r.id: {c.name: 80 + i for i, c in enumerate(policy2023.policy.counties_with_target)}
              for r in policy2023.policy.inspections.rounds}
    res = write_documents(policy2023, tmp_path, as_of=dt.date(2023, 12, 31), plans={"禹州市": plan},
                          findings={"禹州市": []}, scores=scores, weights=None,
                          received=[Received("禹州市", dt.date(2023, 3, 3), "2023-02")], sample=True, pdf=False)
    names = sorted(p.name for p in res.written)
    assert any(n.startswith("禹州市城镇老旧小区改造开工项目认定汇总表") and n.endswith(".xlsx") for n in names)
    assert any(n.startswith("进度通报") for n in names) and any(n.startswith("反馈意见函") for n in names)
    # weights and the monthly due day are not in the 2023 policy: skipped, with the reason, never guessed
    assert not any("结果" in n for n in names)
    assert any("权重" in s for s in res.skipped) and any("--monthly-due-day" in s for s in res.skipped)
