"""reports.year.write_documents from the register's snapshot: the 通报 it writes tells the snapshot's figures."""
import datetime as dt


def test_the_year_documents_take_the_days_picture(year_register, policy2023, tmp_path):
    from docx import Document

    from generator.reports.year import write_documents
    snap = year_register.snapshot(dt.date(2023, 12, 31), policy=policy2023, due_day=5)
    res = write_documents(policy2023, tmp_path, as_of=snap.as_of, snapshot=snap, pdf=False)
    doc = Document(next(p for p in res.written if p.name.startswith("进度通报") and p.suffix == ".docx"))
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in doc.tables[0].rows}
    for c in snap.status.counties:
        if c.line.submission is not None:
            assert rows[c.line.county][2] == str(c.line.started)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "漏报" in text and "错报" in text          # 建安区's August, 禹州市's July rewrite (the sample year)
