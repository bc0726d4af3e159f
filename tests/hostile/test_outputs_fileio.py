"""Issue 9, item 2: outputs never destroy (devices, inputs, symlinks, names, failed writes, modes)."""
from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import fileio
from generator.cli import main
from generator.errors import OutputError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample-魏都区.xlsx"


def run(args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_clean_error(res, code=2):
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output and not (res.exception and not isinstance(res.exception, SystemExit))


# -- what is not a regular file --------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["/dev/null", "/dev/full", "/dev/stdout", "/dev/new-file", "/proc/self/fd/1",
                                    "/proc/x", "/sys/kernel/x"])
def test_devices_proc_and_sys_are_refused_without_writing(target):
    # checked without writing: were the check broken, running as root would replace the device
    with pytest.raises(OutputError) as exc:
        fileio.check_output(target, b"x")
    assert exc.value.exit_code == 2 and "拒绝写入" in exc.value.render("zh")


@pytest.mark.slow
def test_a_fifo_and_a_folder_are_refused_by_the_command(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    res = run(["diff", "xuchang/2023", "xuchang/2024-draft", "--format", "json", "-o", fifo])
    one_clean_error(res)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)          # still the pipe, not a regular file
    folder = tmp_path / "marked.xlsx"
    folder.mkdir()
    res = run(["validate", SAMPLE, "--annotate", folder])
    one_clean_error(res)
    assert "文件夹" in res.output and folder.is_dir() and not list(folder.iterdir())


# -- the command's own inputs -----------------------------------------------------------------------------
@pytest.mark.slow
def test_progress_chart_name_forgotten_keeps_the_workbook(tmp_path):
    a, b = tmp_path / "A.xlsx", tmp_path / "B.xlsx"
    shutil.copy(SAMPLE, a)
    shutil.copy(SAMPLE, b)
    before = a.read_bytes()
    res = run(["progress", "--chart", a, b, "--as-of", "2023-10-31"])
    one_clean_error(res)
    assert a.read_bytes() == before


@pytest.mark.slow
def test_progress_chart_over_an_input_by_another_path(tmp_path):
    a = tmp_path / "A.xlsx"
    shutil.copy(SAMPLE, a)
    os.link(a, tmp_path / "chart.png")                   # same inode, another name (and the right suffix)
    before = a.read_bytes()
    res = run(["progress", a, "--as-of", "2023-10-31", "--chart", tmp_path / "chart.png"])
    one_clean_error(res)
    assert "输入" in res.output and a.read_bytes() == before


@pytest.mark.slow
def test_diff_refuses_to_overwrite_the_policy_it_read(policy_copy):
    pf = policy_copy / "policy.yaml"
    before = pf.read_bytes()
    for path in (pf, policy_copy / "." / ".." / policy_copy.name / "policy.yaml"):
        res = run(["diff", policy_copy, "xuchang/2024-draft", "--format", "md", "-o", path])
        one_clean_error(res)
        assert pf.read_bytes() == before


def test_annotate_refuses_its_input_through_a_symlink(tmp_path):
    src = tmp_path / "plan.xlsx"
    shutil.copy(SAMPLE, src)
    (tmp_path / "alias.xlsx").symlink_to(src)
    before = src.read_bytes()
    res = run(["validate", src, "--annotate", tmp_path / "alias.xlsx"])
    one_clean_error(res)
    assert src.read_bytes() == before and (tmp_path / "alias.xlsx").is_symlink()


def test_a_render_never_replaces_its_template_override(tmp_path):
    tpl = tmp_path / "tpl"
    shutil.copytree(ROOT / "templates" / "notice", tpl / "notice")
    docx = tpl / "notice" / "notice.docx"
    before = docx.read_bytes()
    # -o is the template folder and the notice's own name is the template's: refused by inode
    fileio_target = tpl / "notice"
    with fileio.command_scope():
        fileio.register_input(docx)
        with pytest.raises(OutputError):
            fileio.atomic_write_bytes(fileio_target / "notice.docx", b"PK\x03\x04 new")
    assert docx.read_bytes() == before


# -- symlinked folders -----------------------------------------------------------------------------------
def test_a_symlinked_county_folder_leading_outside_o_is_refused(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    outside.mkdir()
    (out / "禹州市").symlink_to(outside, target_is_directory=True)
    res = run(["render", "county-plan", "xuchang/2023", "--county", "禹州市", "-o", out])
    one_clean_error(res)
    assert not list(outside.iterdir())


def test_symlink_under_o_checked_in_atomic_write_too(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    outside.mkdir()
    (out / "sub").symlink_to(outside, target_is_directory=True)
    with fileio.command_scope():
        fileio.register_output_root(out)
        with pytest.raises(OutputError):
            fileio.atomic_write_bytes(out / "sub" / "x.txt", b"x")
        fileio.atomic_write_bytes(out / "ok" / "x.txt", b"x")      # an ordinary subfolder is fine
    assert not list(outside.iterdir()) and (out / "ok" / "x.txt").read_bytes() == b"x"


# -- names ------------------------------------------------------------------------------------------------
def test_long_chinese_names_keep_their_extension_and_fit_255_bytes():
    stem = "许昌市魏都区" * 20                             # 120 characters, 360 bytes
    for ext in (".docx", ".pdf", ".xlsx"):
        name = fileio.safe_filename(stem + ext)
        assert name.endswith(ext) and len(name.encode("utf-8")) <= 255
        assert fileio.safe_filename(name) == name          # cutting a cut name changes nothing
    cut = fileio.safe_filename("项" * 79 + "ab" + "é" * 200)
    cut.encode("utf-8").decode("utf-8")                    # cut on a character boundary
    assert len(cut.encode("utf-8")) <= fileio.STEM_BYTES


@pytest.mark.parametrize("name, want", [("CON.docx", "_CON.docx"), ("nul", "_nul"), ("com1.pdf", "_com1.pdf"),
                                        ("LPT9", "_LPT9"), ("aux.tar.gz", "_aux.tar.gz"), ("CONSOLE.docx", "CONSOLE.docx"),
                                        ("名称. . .docx", "名称.docx"), ("名称 ..", "名称"), ("..", "_"),
                                        ("a/b\\c:d", "a_b_c_d")])
def test_windows_reserved_names_and_trailing_dots(name, want):
    assert fileio.safe_filename(name) == want


def test_unique_stems_within_a_batch():
    taken: dict = {}
    long = "项" * 80
    with fileio.command_scope() as scope:
        got = [fileio.unique_stem(taken, "魏都区", s) for s in ("XC-1", "xc-1", "ＸＣ-1", long, long, "XC-1")]
    assert got[:3] == ["XC-1", "xc-1 (2)", "ＸＣ-1 (3)"] and got[5] == "XC-1 (4)"
    assert got[4].endswith(" (2)") and len((got[4] + ".docx").encode()) <= 255 and got[3] != got[4]
    assert len(scope.notes) == 4
    assert fileio.unique_stem(taken, "禹州市", "XC-1") == "XC-1"       # another folder: no clash


def _colliding_plan(tmp_path, n: int = 3):
    """The sample with ``n`` projects whose 项目编号_小区名称 agree in far more than the 80 characters a name
    keeps (issue 18 item 7: "PDF 3 份" reported, 1 on disk), and two more with one number and one name."""
    from openpyxl import load_workbook

    from generator.ledger import contract as C
    wb = load_workbook(SAMPLE)
    ws = wb[C.SHEET_PROJECTS]
    head = next(r for r in range(1, 6) if C.PROJECT_ID in [c.value for c in ws[r]])
    cols = {c.value: c.column for c in ws[head]}
    prefix = "XC-2023-魏都区-" + "某某街道某某社区老旧小区综合改造提升工程" * 5
    for k in range(n):
        ws.cell(head + 1 + k, cols[C.PROJECT_ID], f"{prefix}-{k + 1}")
    for r in (head + 1 + n, head + 2 + n):
        ws.cell(r, cols[C.PROJECT_ID], "XC01-SAME")
        ws.cell(r, cols["小区名称"], "同名小区")
    src = tmp_path / "plan.xlsx"
    wb.save(src)
    return src, sum(1 for r in range(head + 1, ws.max_row + 1) if ws.cell(r, cols[C.PROJECT_ID]).value)


@pytest.mark.slow
def test_checklists_with_names_alike_once_cut_all_kept(tmp_path):
    """N projects -> N DOCX and N PDFs on disk, and the count the command reports is the count on disk."""
    import re
    src, n_projects = _colliding_plan(tmp_path)
    out = tmp_path / "out"
    res = run(["render", "checklists", src, "--pdf", "-o", out])
    assert res.exit_code == 0, res.output
    docx, pdfs = sorted(out.rglob("*.docx")), sorted(out.rglob("*.pdf"))
    assert len(docx) == len(pdfs) == n_projects
    assert re.search(rf"DOCX {n_projects} 份、PDF {n_projects} 份", res.output), res.output
    assert {p.stem for p in docx} == {p.stem for p in pdfs}           # a checklist's two files share a name
    assert all(len(p.name.encode()) <= 255 and len(p.stem) <= 80 for p in docx + pdfs)
    cut = [p.stem for p in docx if p.stem.startswith("XC-2023-")]
    assert len(cut) == 3 and all(re.search(r"~[0-9a-f]{8}$", s) for s in cut)    # cut, then a hash of the whole
    assert any(p.stem.endswith(" (2)") for p in docx) and "文件名重复" in res.output   # one number and name twice


@pytest.mark.slow
def test_checklist_names_are_the_same_on_every_run(tmp_path):
    """Names from a hash of the whole, not the order of rows: a second run over the same plan overwrites the
    same files (no (2) growing), whatever order the projects come in."""
    src, n = _colliding_plan(tmp_path)
    for out in ("a", "b"):
        assert run(["render", "checklists", src, "-o", tmp_path / out]).exit_code == 0
    names = {out: sorted(p.name for p in (tmp_path / out).rglob("*.docx")) for out in ("a", "b")}
    assert names["a"] == names["b"] and len(names["a"]) == n


@pytest.mark.parametrize("stems", [
    ["项" * 200 + str(k) for k in range(5)],                           # differ only after the cut
    ["a" * 300 + "x", "A" * 300 + "x"],                                 # differ in case only: (2)
    ["ＸＣ-1", "XC-1", "xc-1"],                                         # width and case
    ["x" * 75 + " (2)", "x" * 75, "x" * 75],                            # a numbered name that was typed
])
def test_output_stem_unique_within_a_folder_after_cutting(stems):
    taken: dict = {}
    with fileio.command_scope():
        got = [fileio.output_stem(s, taken=taken, group="魏都区") for s in stems]
    keys = {__import__("unicodedata").normalize("NFKC", g).casefold() for g in got}
    assert len(keys) == len(stems), got
    for g in got:
        assert len(g) <= 80 and len(g.encode()) <= fileio.STEM_BYTES
        for ext in (".pdf", ".docx", ".xlsx", ".zip"):
            assert fileio.safe_filename(g + ext) == g + ext              # safe_join leaves it as it is


def test_output_name_drops_invisible_characters():
    assert fileio.output_name("报告\u202efdp.exe", ".pdf") == "报告fdp.exe.pdf"
    assert fileio.safe_filename("a\u200bb.pdf") == "ab.pdf"


# -- failed writes -------------------------------------------------------------------------------------------
def test_disk_full_leaves_the_previous_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "report.txt"
    target.write_text("old")
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.fh.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    with pytest.raises(OutputError) as exc:
        fileio.atomic_write_text(target, "new")
    assert "磁盘已满" in exc.value.render("zh") and exc.value.exit_code == 2
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_read_only_folder_is_exit_2(tmp_path, monkeypatch):
    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(fileio.tempfile, "mkstemp", denied)    # root ignores chmod: simulate the refusal
    res = run(["diff", "xuchang/2023", "xuchang/2024-draft", "--format", "md", "-o", tmp_path / "d.md"])
    one_clean_error(res)
    assert "没有写入权限" in res.output and not (tmp_path / "d.md").exists()


def test_name_too_long_is_exit_2(tmp_path):
    res = run(["diff", "xuchang/2023", "xuchang/2024-draft", "--format", "md", "-o", tmp_path / ("长" * 90 + ".md")])
    one_clean_error(res)
    assert "255" in res.output


@pytest.mark.slow
def test_a_batch_failing_part_way_says_what_was_written(tmp_path, monkeypatch):
    real = fileio.os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace)
    out = tmp_path / "out"
    res = run(["render", "county-plan", "xuchang/2023", "--all", "-o", out, "--lang", "en"])
    one_clean_error(res)
    assert "no space left" in res.output and "2 file(s) had been written" in res.output
    assert all(str(p) in res.output for p in calls[:2])


# -- modes ----------------------------------------------------------------------------------------------------
def test_a_replaced_file_keeps_its_mode_a_new_one_gets_the_umask(tmp_path):
    private = tmp_path / "private.txt"
    private.write_text("old")
    private.chmod(0o600)
    fileio.atomic_write_text(private, "new")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.read_text() == "new"
    old = os.umask(0o027)
    try:
        fileio.atomic_write_text(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_content_of_another_kind_never_replaces_a_file(tmp_path):
    book = tmp_path / "A"
    shutil.copy(SAMPLE, book)                            # a workbook under a name without a telling suffix
    with pytest.raises(OutputError):
        fileio.atomic_write_bytes(book, b"\x89PNG\r\n\x1a\n...")
    with pytest.raises(OutputError):
        fileio.atomic_write_text(book, "text")
    assert book.read_bytes() == SAMPLE.read_bytes()
    with pytest.raises(OutputError):                     # a PNG named .xlsx: refused even when new
        fileio.atomic_write_bytes(tmp_path / "new.xlsx", b"\x89PNG\r\n\x1a\n...")


def test_every_output_parameter_is_known_as_one():
    """handle_errors registers every other file parameter as an input (never written): an output option
    named otherwise would refuse to replace its own previous output."""
    import click

    from generator.options import _is_output_param

    def walk(cmd, path):
        if isinstance(cmd, click.Group):
            ctx = click.Context(cmd)
            for n in cmd.list_commands(ctx):
                yield from walk(cmd.get_command(ctx, n), path + [n])
            return
        for p in cmd.params:
            text = (getattr(p, "help", "") or "").lower()
            if not getattr(p, "is_flag", False) and any(w in text for w in ("写出", "写入文件", "输出文件夹", "write")):
                yield " ".join(path), p.name

    found = list(walk(main, []))
    assert found and all(_is_output_param(name) for _, name in found), [x for x in found if not _is_output_param(x[1])]
