"""The sample county workbooks (示例数据) written through the document pipeline: a county workbook filled with a plan.

    python -m generator.render.samples data/ [POLICY]     # data/sample-<县>.xlsx and data/mistakes/
    python -m generator.render.district_sample mudanjiang/2022 东安区 data/mudanjiang-2022/ [--clean]

The sample *data* stays on floor 3 (generator.ledger.samples: sample_plan, mistake_plans;
generator.ledger.district_sample: district_plan), which may not import the pipeline; the writing is here. A filled
workbook is the kind ``sample-workbook`` (XLSX): context {"county", "plan", "note"}, layout a Builder whose XLSX is
generator.ledger.writer.plan_workbook_bytes (not made printable: that is the blank 报送表, county-workbook).
``gaizao render doc sample-workbook [--county C]`` writes the sample workbooks of data/ (sample-<县>.xlsx).
"""
from __future__ import annotations

import sys
from pathlib import Path

from generator.ledger.samples import NOTE

TITLE = "示例项目清单工作簿"


def _xlsx(doc, env) -> bytes:
    """The Builder's XLSX: the writer's workbook of the county, with the plan's rows and the note when given."""
    from generator.ledger.writer import plan_workbook_bytes
    ctx = doc.context
    data: bytes = plan_workbook_bytes(env.lp, ctx["county"], ctx["plan"], note=ctx["note"])
    return data


def workbook_document(county, plan=None, *, note: str | None = None, stem: str = ""):
    """The document of a county's workbook filled with ``plan`` (none: the blank workbook), ``note`` (e.g. 示例数据)
    in its title rows and 基本信息 备注."""
    from generator.render.pipeline import Document
    name = getattr(county, "name", county)
    return Document(stem or f"sample-{name}", {"county": county, "plan": plan, "note": note}, sample=note is not None,
                    extra={"county": name})


def _documents(lp, inputs) -> list:
    """gaizao render doc sample-workbook: the sample workbook (data/sample-<县>.xlsx) of every county with a target,
    or of ``--county``."""
    from generator.errors import UsageError
    from generator.ledger.samples import sample_plan
    counties = [c.name for c in lp.policy.counties_with_target]
    if inputs.county is not None:
        if inputs.county not in counties:
            raise UsageError(f"“{inputs.county}”不是本政策有目标任务的下级单位（{'、'.join(counties)}）",
                             f"{inputs.county!r} is not a unit with a target in this policy ({', '.join(counties)})")
        counties = [inputs.county]
    return [workbook_document(c, sample_plan(lp, c), note=NOTE) for c in counties]


def _kind():
    from generator.render.pipeline import Builder, DocumentKind, register
    return register(DocumentKind(
        "sample-workbook", TITLE, "sample county workbook (示例数据)", _documents, Builder(xlsx=_xlsx),
        help="示例数据：按政策生成的下级单位项目清单工作簿（data/sample-<单位>.xlsx），每个有目标任务的单位一份"))


KIND = _kind()


def write_plan_workbook(lp, county, path, plan=None, *, note: str | None = None) -> Path:
    """The workbook of ``county`` (name or County) filled with ``plan`` (none: blank), ``note`` added to its title
    rows and 基本信息 备注, produced by the pipeline and written atomically to ``path``."""
    from generator.render.pipeline import produce, save
    dest = Path(path)
    doc = workbook_document(county, plan, note=note, stem=dest.stem)
    return save([(dest, produce(KIND, lp, doc, "xlsx"))])[0]


def write_samples(lp, folder) -> list[Path]:
    """data/sample-<县>.xlsx for every county with a target, and data/mistakes/ with sidecars."""
    import yaml
    from generator.fileio import atomic_write_text
    from generator.ledger.samples import mistake_plans, sample_plan
    folder = Path(folder)
    written = []
    for c in lp.policy.counties_with_target:
        path = folder / f"sample-{c.name}.xlsx"
        written.append(write_plan_workbook(lp, c.name, path, sample_plan(lp, c.name), note=NOTE))
    for stem, (county, plan, planted) in mistake_plans(lp).items():
        path = folder / "mistakes" / f"{stem}.xlsx"
        written.append(write_plan_workbook(lp, county, path, plan, note=f"{NOTE}·错误示例"))
        side = {"file": path.name, "county": county, "policy": f"{lp.policy.id}@{lp.policy.version}",
                "mistakes": planted}
        text = ("# Planted mistakes: the validator must report each at exactly this place and nothing else.\n"
                "# row: Excel row (null: a sheet-level finding such as a total); column: header text\n"
                + yaml.safe_dump(side, allow_unicode=True, sort_keys=False))
        written.append(atomic_write_text(path.with_suffix(".planted.yaml"), text))
    return written


def write_district_sample(lp, county_name: str, folder, *, plant: bool = True) -> Path:
    """``<folder>/<单位>（示例数据）.xlsx``: the district workbook of generator.ledger.district_sample."""
    from generator.ledger.district_sample import district_plan
    path = Path(folder) / f"{county_name}（{NOTE}）.xlsx"
    return write_plan_workbook(lp, county_name, path, district_plan(lp, county_name, plant=plant), note=NOTE)


def main(argv=None) -> int:
    from generator.policy import load_policy
    argv = list(sys.argv[1:] if argv is None else argv)
    folder = argv[0] if argv else "data"
    lp = load_policy(argv[1] if len(argv) > 1 else "xuchang/2023")
    for path in write_samples(lp, folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
