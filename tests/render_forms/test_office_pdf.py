"""office_pdf.docx_to_pdf: a batch shared by several LibreOffice processes comes back in the caller's order."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_shares_come_back_in_order(monkeypatch, processes):
    from generator.render import office_pdf
    calls = []

    def fake_convert(exe, env, items, tmp, what):          # stands in for one soffice process
        calls.append([dest.name for _, dest in items])
        return [b"%PDF-" + data for data, _ in items]
    monkeypatch.setattr(office_pdf, "PROCESSES", processes)
    monkeypatch.setattr(office_pdf, "_convert", fake_convert)
    monkeypatch.setattr(office_pdf, "require_soffice", lambda what: "soffice")
    items = [(f"doc{i}".encode(), Path(f"f{i}.pdf")) for i in range(7)]
    out = office_pdf.docx_to_pdf(items, "20230714")
    assert [dest for dest, _ in out] == [dest for _, dest in items]
    assert [pdf for _, pdf in out] == [b"%PDF-" + data for data, _ in items]
    assert len(calls) == processes and sorted(n for c in calls for n in c) == sorted(f"f{i}.pdf" for i in range(7))


def test_process_count_from_the_environment(monkeypatch):
    import importlib

    from generator.render import office_pdf
    for value, want in (("2", 2), ("abc", 1), ("", 1), ("0", 1)):
        monkeypatch.setenv("GAIZAO_SOFFICE_PROCESSES", value)
        assert importlib.reload(office_pdf).PROCESSES == want, value
    monkeypatch.delenv("GAIZAO_SOFFICE_PROCESSES")
    importlib.reload(office_pdf)
