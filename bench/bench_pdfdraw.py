"""Benchmark: the drawn checklist PDF writer (generator.render.pdfdraw) in one process (not a test).

    python bench/bench_pdfdraw.py                  # this checkout
    python bench/bench_pdfdraw.py /path/to/other   # another checkout (e.g. `git worktree add` of an older commit)

One chunk of 32 forms from the sample workbooks (示例数据), drawn once; then, median of 7: the font
subsets (FontObjects) and the 32 files (FontObjects.pdf). Also the font lookup of the nine patterns
checklist_pdf.FAMILIES names: through fontconfig in this process, and as one `fc-match` call each
(the alternative when no fontconfig binding is used).
"""
from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]).resolve()
sys.path.insert(0, str(ROOT))


def main() -> None:
    spec = importlib.util.spec_from_file_location("bench_render", ROOT / "bench" / "bench_render.py")
    bench_render = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_render)
    from generator.policy import load_policy
    from generator.render import checklist_pdf as C
    from generator.render.base import use_project_fonts
    from generator.render.checklists import _context

    batch = bench_render.load_projects(load_policy("xuchang/2023"), 32)
    t = time.perf_counter()
    C.families()
    found = time.perf_counter() - t
    forms = [C.draw_form(_context(batch, i)) for i in batch.items]
    pages = [p for f in forms for p in f]
    info = {"Producer": "gaizao", "Title": "开工认定核查表"}
    subsets, files = [], []
    for _ in range(7):
        t = time.perf_counter()
        fonts = C.FontObjects(pages)
        t1 = time.perf_counter()
        out = [fonts.pdf(f, info) for f in forms]
        subsets.append(t1 - t)
        files.append(time.perf_counter() - t1)
    patterns = [p for chain in C.FAMILIES.values() for p in chain]
    use_project_fonts()
    t = time.perf_counter()
    for p in patterns:
        subprocess.run(["fc-match", "--format", "%{file}\n%{index}", p], capture_output=True, check=True)
    fc_match = time.perf_counter() - t
    print(f"{ROOT}  load {os.getloadavg()[0]:.2f}")
    print(f"fonts found and opened (checklist_pdf.families, first call): {found * 1000:.0f} ms")
    print(f"`fc-match` once per pattern ({len(patterns)}): {fc_match * 1000:.0f} ms")
    print(f"32 forms: subsets {statistics.median(subsets) * 1000:.0f} ms, files "
          f"{statistics.median(files) * 1000:.0f} ms (medians of 7), {sum(map(len, out)) / len(out) / 1000:.0f} KB per file")


if __name__ == "__main__":
    main()
