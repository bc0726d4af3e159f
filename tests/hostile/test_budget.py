"""Issue 18, item 6: template and policy-text rendering is bounded.

The sandbox stopped attribute access, not work: nested loops in a template or a text.yaml clause hung every
command that renders. One render now has a budget (generator/sandbox.py: loop iterations and calls, output
characters, the size of one computed value); exceeding it is a located TemplateBudgetError (exit 2), and
``templates check`` / ``policy check`` report it before a bureau uses the template.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
TEN = "'abcdefghij'"
# 10^7 iterations: far beyond MAX_STEPS (3,000,000), each level alone harmless
NESTED = "".join(f"{{% for v{i} in {TEN} %}}" for i in range(7)) + "." + "{% endfor %}" * 7


def run(args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _budget_error():
    from generator.sandbox import _budget_error_class
    from generator.errors import TemplateError
    return _budget_error_class(TemplateError)


def _render(source: str, **ctx):
    from generator.sandbox import new_environment
    return new_environment().from_string(source).render(**ctx)


# -- the sandbox ---------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_nested_loops_stop_with_the_line_of_the_loop():
    with pytest.raises(_budget_error()) as exc:
        _render("x\n" + NESTED)
    assert exc.value.exit_code == 2
    assert "循环与调用超过 3,000,000 次" in exc.value.message and "第 2 行的循环" in exc.value.message
    assert "3,000,000 loop iterations" in exc.value.message_en


def test_the_budget_is_per_render_and_ordinary_loops_pass():
    from generator.sandbox import new_environment
    t = new_environment(max_steps=1_000).from_string("{% for a in x %}{% for b in x %}{{ a }}{% endfor %}{% endfor %}")
    for _ in range(3):                                  # 900 steps each time: a fresh budget per render
        assert len(t.render(x=list(range(30)))) == 30 * 30 + sum(len(str(a)) - 1 for a in range(30)) * 30
    with pytest.raises(_budget_error(), match="超过 1,000 次"):
        t.render(x=list(range(40)))                     # 1,640 steps


@pytest.mark.parametrize("source", [
    "{{ 'x' * 10**10 }}",
    "{{ ['x'] * 10**10 }}",
    "{{ 'x'|center(10**10) }}",
    "{{ 'x'|indent(10**10) }}",
    "{{ 'x'.ljust(10**10) }}",
    "{{ 'x'.zfill(10**10) }}",
    "{{ (['y' * 1000000] * 100) | join }}",
    "{{ ','.join(['y' * 1000000] * 100) }}",
    "{{ ('x' * 1000)|replace('', 'y' * 100000) }}",
    "{{ [1]|batch(10**10, 0)|list }}",
    "{{ 2 ** (10 ** 8) }}",
    "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ f('x', 60) }}",
])
def test_values_that_would_exhaust_memory_are_refused(source):
    with pytest.raises(_budget_error(), match="一个值超出限额"):
        _render(source)


@pytest.mark.slow
def test_a_macro_calling_itself_twice_is_stopped():
    with pytest.raises(_budget_error(), match="循环与调用超过"):
        _render("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}")


@pytest.mark.parametrize("source", [
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "{% for a in x recursive %}{{ loop(x) }}{% endfor %}",
])
def test_endless_recursion_is_a_budget_error_not_a_recursion_error(source):
    with pytest.raises(_budget_error(), match="嵌套过深"):
        _render(source, x=[1])


def test_output_is_bounded(monkeypatch):
    from generator import sandbox
    monkeypatch.setattr(sandbox, "MAX_OUTPUT_CHARS", 1000)
    assert len(_render("{% for a in x %}{{ a }}{% endfor %}", x=["y" * 10] * 100)) == 1000
    with pytest.raises(_budget_error(), match="输出超出限额：超过 1,000 个字符"):
        _render("{% for a in x %}{{ a }}{% endfor %}", x=["y" * 10] * 101)


@pytest.mark.slow
def test_budget_error_names_the_template_file(tmp_path):
    from jinja2 import FileSystemLoader

    from generator.sandbox import new_environment
    (tmp_path / "t.html").write_text("a\n\n" + NESTED, encoding="utf-8")
    env = new_environment(loader=FileSystemLoader(str(tmp_path)))
    with pytest.raises(_budget_error()) as exc:
        env.get_template("t.html").render()
    assert exc.value.location == "t.html" and "第 3 行的循环" in exc.value.message


# -- templates: render and check -----------------------------------------------------------------------------------
def _pack(tmp_path: Path, snippet: str) -> Path:
    pack = tmp_path / "pack"
    (pack / "notice").mkdir(parents=True)
    src = (TEMPLATES / "notice" / "notice.html.j2").read_text(encoding="utf-8")
    (pack / "notice" / "notice.html.j2").write_text(src.replace("<body>", "<body>" + snippet, 1), encoding="utf-8")
    return pack


@pytest.mark.slow
def test_render_notice_with_a_nested_loop_template_stops_with_exit_2(tmp_path):
    out = tmp_path / "out"
    res = run(["render", "notice", "--templates", _pack(tmp_path, NESTED), "-o", out])
    assert res.exit_code == 2, res.output
    assert "模板运算超出限额" in res.output and "Traceback" not in res.output
    assert not (out.exists() and list(out.iterdir()))


@pytest.mark.slow
def test_templates_check_flags_a_template_that_blows_the_budget(tmp_path):
    res = run(["templates", "check", _pack(tmp_path, NESTED), "--json"])
    assert res.exit_code == 1, res.output
    assert "T007" in res.output and "模板运算超出限额" in res.output


@pytest.mark.slow
def test_templates_check_passes_the_bundled_templates_within_the_budget():
    res = run(["templates", "check", TEMPLATES, "--json"])
    assert "T007" not in res.output, res.output


# -- text.yaml -------------------------------------------------------------------------------------------------------
@pytest.fixture
def looping_policy(tmp_path):
    """xuchang/2023 as a draft whose clause 三（三） opens with nested loops over the counties."""
    pol = tmp_path / "pol"
    shutil.copytree(ROOT / "policies" / "xuchang" / "2023", pol)
    text = (pol / "text.yaml").read_text(encoding="utf-8")
    loops = "".join(f"{{% for c{i} in counties %}}" for i in range(9)) + "{{ c0.name }}" + "{% endfor %}" * 9
    assert "项目实施前，改造方案应按要求" in text
    (pol / "text.yaml").write_text(text.replace("项目实施前，改造方案应按要求", loops + "项目实施前，改造方案应按要求", 1),
                                   encoding="utf-8")
    p = (pol / "policy.yaml").read_text(encoding="utf-8")
    (pol / "policy.yaml").write_text(p.replace("\nstatus: issued", "\nstatus: draft", 1), encoding="utf-8")
    return pol


@pytest.mark.slow
def test_policy_check_reports_the_clause_that_blows_the_budget(looping_policy):
    res = run(["policy", "check", looping_policy, "--json"])
    assert res.exit_code == 1, res.output
    assert "三（三）" in res.output and "模板运算超出限额" in res.output and "100,000" in res.output


@pytest.mark.slow
def test_render_notice_of_a_looping_text_stops_naming_the_clause(looping_policy, tmp_path):
    res = run(["render", "notice", looping_policy, "-o", tmp_path / "out", "--no-pdf"])
    assert res.exit_code == 2, res.output
    assert "三（三）" in res.output and "模板运算超出限额" in res.output and "Traceback" not in res.output
