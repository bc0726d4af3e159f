"""Issue 21.1: no internal trace in any document a leader signs or a county fills in.

Every document kind is built once on the sample data (``gaizao build`` plus the 检查验收结果通报 and 汇总表 that
need the office's scores and weights) and the text a reader can see — DOCX body, headers and footers (Word
comments are not printed), XLSX cells and page headers, PDF pages — is scanned for what belongs to gaizao, not
to the office: register ids (#23), file names, policy ids and versions (xuchang/2023@1.0.0), command-line syntax,
provenance remarks (政策未规定, 表格约定), clause citations in parentheses (（二、目标任务）, （附件 第1条）), and the
wrong word 数据截止 (截至).

Allowed: the county workbook's 填表说明 sheet is the separate instructions sheet the issue names as the place for
citations; the 新旧对照表 has a 条款 column by nature (its entries are not in parentheses, so they do not match).
The patterns are written here, by hand, from the issue's examples.
"""
from __future__ import annotations

import re

import pytest

from support.issued import documents, printed_text

TRACES = {
    "register id": re.compile(r"#\d+"),
    "file name": re.compile(r"\.(xlsx|docx|csv|ya?ml|json|pdf)\b", re.I),
    "policy id": re.compile(r"\b[a-z]+/\d{4}"),
    "version": re.compile(r"@\d|(?<![\d.])\d+\.\d+\.\d+(?![\d.])"),
    "command line": re.compile(r"(?<![\w-])--[a-z]|gaizao"),
    "provenance remark": re.compile(r"政策未规定|表格约定|政策未明确|取自政策|不另行录入|（[^（）]{0,12}确定）"),
    "clause citation": re.compile(r"（[一二三四五六七八九十]+、[^（）]{1,14}）"
                                  r"|（[一二三四五六七八九十]+（[一二三四五六七八九十]+）[^（）]{0,14}）"
                                  r"|（附件 ?第\d+条）"),
    "数据截止 for 截至": re.compile(r"数据截止"),
}
INSTRUCTION_SHEETS = {"填表说明"}       # the workbook's own instructions sheet may cite clauses
OFFICE_NOTES = ("内部核查用",)          # a 说明 for the office itself may carry its sources (issue 21.1)
# Documents of other areas not yet scanned clean (reported to the lead; remove an entry when its area is fixed).
NOT_YET: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def built(issued):
    return issued


def scan(path) -> list[str]:
    found = []
    for part, text in printed_text(path).items():
        for name, pattern in TRACES.items():
            if name == "clause citation" and part in INSTRUCTION_SHEETS:
                continue
            for m in pattern.finditer(text):
                found.append(f"{path.name} [{part}] {name}: …{text[max(0, m.start() - 20):m.end() + 20]}…")
    return found


def test_every_kind_is_built(built):
    """The scan covers every kind the issue names (a missing kind would pass the scan unseen)."""
    names = [p.name for p in documents(built)]
    for kind in ("号.docx", "更正通知", "实施方案（模板）.docx", "报送表）.xlsx", "开工认定核查表.pdf", "自查自评表.pdf",
                 "市级检查验收表.pdf", "检查验收汇总表.docx", "进度通报", "反馈意见函", "汇总表（截至", "开工项目认定汇总表",
                 "检查验收结果通报", "对照表"):
        assert any(kind in n for n in names), kind


def test_no_internal_trace_in_any_document(built):
    found = [hit for path in documents(built) if not any(x in path.name for x in OFFICE_NOTES + NOT_YET)
             for hit in scan(path)]
    assert not found, "\n".join(found[:40]) + f"\n({len(found)} in all)"


def test_the_scan_sees_each_trace():
    """The patterns catch the issue's own examples (a scan that finds nothing proves nothing)."""
    examples = ["第5次报送（2023-06-30收到，#23）", "报送的材料（2023-12-31-禹州市-月报.xlsx）", "依据许百城提质办〔2023〕3号（xuchang/2023@1.0.0）",
                "由 --weights 提供", "（0—100分，表格约定，政策未规定分值）", "权重：政策未规定，由许昌市百城建设提质工程指挥部办公室确定",
                "涉及居民19380户（二、目标任务）", "要求：80%以上居民同意（三（二）拟定小区改造方案）", "（附件 第1条）", "数据截止：2023年7月31日",
                "2023-12-31（#52）", "综合得分＝年中得分×0.4＋年终得分×0.6（市百城办确定）"]
    for text in examples:
        assert any(p.search(text) for p in TRACES.values()), text
    for clean in ("许百城提质办〔2023〕3号", "截至2023年12月31日", "三（二）拟定小区改造方案", "（一）全部开工（2023年6月底前）。",
                  "四、保障措施（原五、保障措施）", "得分按百分制（0—100分）"):
        assert not any(p.search(clean) for p in TRACES.values()), clean
