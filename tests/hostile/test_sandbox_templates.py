"""Issue 9, item 1: no code runs from policy text, templates or overrides; git revisions are not options."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}"


def run(args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _no_traceback(res):
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit), res.output


# -- the environments ------------------------------------------------------------------------------
def test_every_environment_is_the_immutable_sandbox_without_globals():
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from generator.policy.text import environment
    from generator.render.forms_templates import TemplateSet, new_environment
    for env in (environment(), new_environment(), TemplateSet().env):
        assert isinstance(env, ImmutableSandboxedEnvironment)
        assert not env.globals                        # no cycler, joiner, namespace, range, lipsum, dict
        assert "attr" not in env.filters and "safe" not in env.filters and "format" not in env.filters
    assert "cn_date" in environment().filters and "money" in new_environment().filters


@pytest.mark.parametrize("source", [
    "{{ ''.__class__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ x['__class__'] }}",
    "{{ x|attr('__class__') }}",
    "{{ '{0.__class__}'.format(1) }}",
    "{% for i in x.__class__.__mro__ %}{% endfor %}",
])
def test_reaching_outside_is_refused_before_rendering(source):
    from generator.errors import UnsafeTemplateError
    from generator.policy.text import render_string
    with pytest.raises(UnsafeTemplateError) as exc:
        render_string(source, {"x": "a"})
    assert exc.value.exit_code == 2 and exc.value.findings[0].line == 1


def test_the_sandbox_itself_stops_what_the_static_check_cannot_see():
    """A dunder name built at render time is not in the source: the sandbox refuses it when used."""
    from jinja2.exceptions import SecurityError

    from generator.policy.text import render_string
    with pytest.raises(SecurityError):
        render_string("{{ ''[name] }}", {"name": "__class__"})
    with pytest.raises(SecurityError):                 # immutable: no list.append from a template
        render_string("{{ xs.append(1) }}", {"xs": []})


# -- a policy folder with a payload -------------------------------------------------------------------
@pytest.fixture
def hostile_policy(policy_copy, tmp_path):
    marker = tmp_path / "PWNED"
    text = policy_copy / "text.yaml"
    lines = text.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.strip().startswith("banner:"))
    lines[i] = lines[i].split("banner:")[0] + 'banner: "' + (PAYLOAD % marker) + '文件"'
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return policy_copy, marker, i + 1


def test_policy_check_reports_the_attempt_with_file_and_line(hostile_policy):
    folder, marker, line = hostile_policy
    res = run(["policy", "check", folder, "--json"])
    assert res.exit_code == 1, res.output
    import json
    [f] = [f for f in json.loads(res.output)["findings"] if f["code"] == "P171"]
    assert f["severity"] == "error" and f["file"].endswith("text.yaml") and f["line"] == line
    assert "__globals__" in f["value"]
    assert not marker.exists()


@pytest.mark.parametrize("cmd", [["policy", "show", "{p}"], ["diff", "xuchang/2023", "{p}"],
                                 ["render", "notice", "{p}", "--no-pdf", "-o", "{out}"]])
def test_commands_rendering_it_exit_2_with_one_line(hostile_policy, cmd, tmp_path):
    folder, marker, line = hostile_policy
    args = [a.format(p=folder, out=tmp_path / "out") for a in cmd]
    res = run(args)
    assert res.exit_code == 2, res.output
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and f"text.yaml:{line}" in lines[0] and "Traceback" not in res.output
    assert not marker.exists() and not (tmp_path / "out").exists()


def test_criterion_text_in_policy_yaml_is_checked_too(policy_copy, tmp_path):
    pf = policy_copy / "policy.yaml"
    src = pf.read_text(encoding="utf-8")
    i = src.index("text:", src.index("start_criteria"))
    pf.write_text(src[:i] + "text: \"{{ ''.__class__.__mro__ }}\"\n" + src[i:].split("\n", 1)[1], encoding="utf-8")
    res = run(["policy", "show", policy_copy])
    assert res.exit_code == 2 and "policy.yaml:" in res.output and "__class__" in res.output, res.output


# -- template overrides ----------------------------------------------------------------------------------
@pytest.fixture
def hostile_templates(tmp_path):
    marker = tmp_path / "PWNED"
    folder = tmp_path / "tpl" / "checklist"
    shutil.copytree(ROOT / "templates" / "checklist", folder)
    html = folder / "checklist.html"
    lines = html.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if "{{" in line)
    lines[i] = lines[i] + (PAYLOAD % marker)
    html.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, marker, i + 1


@pytest.mark.slow
def test_templates_check_reports_html_payload_with_line(hostile_templates):
    folder, marker, line = hostile_templates
    res = run(["templates", "check", folder, "--json"])
    assert res.exit_code == 1
    import json
    found = [f for f in json.loads(res.output)["findings"] if f["code"] == "T005"]
    assert [(f["file"], f["line"], f["severity"]) for f in found] == [("checklist.html", line, "error")]
    assert not marker.exists()


def _docx_with(source: Path, dest: Path, extra: str) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", f"<w:p><w:r><w:t>{extra}</w:t></w:r></w:p></w:body>".encode())
            zout.writestr(item, data)


@pytest.mark.slow
def test_templates_check_and_render_refuse_docx_payload(tmp_path):
    marker = tmp_path / "PWNED"
    folder = tmp_path / "tpl" / "checklist"
    folder.mkdir(parents=True)
    payload = PAYLOAD % marker                      # quotes need no escaping in XML text
    _docx_with(ROOT / "templates" / "checklist" / "checklist.docx", folder / "checklist.docx", payload)
    res = run(["templates", "check", folder])
    assert res.exit_code == 1 and "T005" in res.output, res.output
    out = tmp_path / "out"
    res = run(["render", "checklists", ROOT / "data" / "sample-魏都区.xlsx", "--templates", folder.parent, "-o", out])
    assert res.exit_code == 2 and "checklist.docx" in res.output and "Traceback" not in res.output, res.output
    assert not marker.exists() and not list(out.rglob("*.docx"))


def test_render_with_html_override_exits_2_and_runs_nothing(hostile_templates, tmp_path):
    folder, marker, line = hostile_templates
    res = run(["render", "acceptance", "xuchang/2023", "--round", "mid-year", "--county", "魏都区",
               "--templates", folder.parent, "-o", tmp_path / "out"])
    # acceptance does not use the checklist template: unaffected; the checklist PDF path is refused
    assert res.exit_code == 0, res.output
    res = run(["render", "checklists", ROOT / "data" / "sample-魏都区.xlsx", "--pdf", "--templates", folder.parent,
               "-o", tmp_path / "out2"])
    assert res.exit_code == 2 and f"checklist.html:{line}" in res.output and "Traceback" not in res.output
    assert not marker.exists()


@pytest.mark.slow
def test_bundled_templates_and_policies_pass_the_check():
    from generator.policy import list_ids, load_policy
    for pid in list_ids():
        load_policy(pid)                                 # no UnsafeTemplateError from our own text
    res = run(["templates", "check", ROOT / "templates", "--json"])
    assert "T005" not in res.output


# -- git revisions -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("rev", ["--output=/tmp/x", "-p", "HEAD;rm", "a b", "HEAD..main", "$(id)", "x\ny", ""])
def test_bad_revisions_are_refused(rev):
    from generator.errors import PolicyLoadError
    from generator.policy.loader import _check_rev
    with pytest.raises(PolicyLoadError):
        _check_rev(rev)


@pytest.mark.parametrize("rev", ["HEAD", "HEAD~3", "HEAD^2", "v1.0.0", "main@{1}", "feature/x-1", "a1b2c3d"])
def test_ordinary_revisions_pass(rev):
    from generator.policy.loader import _check_rev
    assert _check_rev(rev) == rev


def test_option_like_revision_writes_nothing(tmp_path, monkeypatch):
    target = tmp_path / "leak"
    res = run(["policy", "show", f"xuchang/2023@--output={target}"])
    assert res.exit_code == 2 and not target.exists()
    # even with the validation gone, git reads it after --end-of-options as a revision, not an option
    from generator.policy import loader
    monkeypatch.setattr(loader, "_check_rev", lambda rev: rev)
    res = run(["policy", "show", f"xuchang/2023@--output={target}"])
    assert res.exit_code == 2 and not target.exists(), res.output


def test_a_real_revision_still_loads():
    res = run(["policy", "show", "xuchang/2023@HEAD", "--json"])
    assert res.exit_code == 0, res.output


@pytest.mark.slow
def test_no_jinja_environment_outside_the_sandbox_module():
    """A new renderer must take generator.sandbox (via policy.text.environment or forms_templates.new_environment):
    a plain jinja2.Environment/Template or a docxtpl render without our environment would run template code."""
    import re
    offenders = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        if path.name == "sandbox.py":
            continue
        src = path.read_text(encoding="utf-8")
        # \b keeps DocxTemplate( and TemplateSyntaxError out of the match; a file that uses docxtpl is not exempt
        if re.search(r"\b(Environment|Template)\s*\(|import\s+[^\n]*\b(Environment|Template)\b", src):
            offenders.append(path.name)
        for m in re.finditer(r"\.render\(([^)]*)\)", src):
            if "DocxTemplate(" in src and "jinja_env=" not in m.group(1) and "tpl.render" in src[m.start() - 4:m.end()]:
                offenders.append(f"{path.name}: {m.group(0)}")
    assert not offenders, offenders
