"""``gaizao diff OLD NEW``: compare two policy versions (exit 0 identical, 1 different, 2 error)."""
from __future__ import annotations

from pathlib import Path

import click

from generator.options import format_option, handle_errors, lang_option

DEFAULT_DIR = Path("output") / "diff"


@click.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@format_option("text", "md", "json", "docx")
@click.option("--county", metavar="NAME", help="只看与该下级单位（县、市、区）有关的变化 / only what changes for this county.")
@click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False), default=None,
              help="写入文件（docx 默认 output/diff/）/ write to a file (docx default: output/diff/).")
@lang_option
@handle_errors
def diff(old, new, fmt, county, output_file, lang):
    """比较两个政策版本：参数变化与条文文字变化，可输出新旧对照表。

    OLD、NEW 可以是政策编号（xuchang/2023）、政策文件夹或文件的路径，或某一 git 修订版本
    （xuchang/2023@HEAD~1）。退出码：0 无变化，1 有变化，2 出错。

    Compare two policy versions (ids, paths, or id@git-rev). Exit 0 identical, 1 different, 2 error.
    """
    from generator.diff.kinds.duizhao import diff_document
    from generator.fileio import atomic_write_text
    from generator.policy import load_policy

    old_lp, new_lp = load_policy(old), load_policy(new)
    document = diff_document(old_lp, new_lp, county, lang)       # the 对照表 kind's context (generator/diff/kinds)
    result = document.context["diff"]

    if fmt == "docx":
        from generator.diff.kinds.duizhao import KIND
        from generator.render import pipeline
        if output_file is None:
            output_file = DEFAULT_DIR / f"{document.stem}.docx"
        pipeline.save([(Path(output_file), pipeline.produce(KIND, new_lp, document, "docx"))])
        click.echo(("wrote " if lang == "en" else "已生成 ") + str(output_file))
        click.echo(result.summary(lang))
    elif fmt == "json":
        _emit(result.to_json(lang), output_file)
    elif fmt == "md":
        from generator.diff.render_text import to_markdown
        _emit(to_markdown(result, lang), output_file)
    elif output_file is not None:
        import io

        from generator.diff.render_text import print_diff
        from rich.console import Console
        console = Console(record=True, width=120, highlight=False, file=io.StringIO())
        print_diff(result, lang, console)
        atomic_write_text(output_file, console.export_text())
    else:
        from generator.diff.render_text import print_diff
        print_diff(result, lang)
    raise SystemExit(result.exit_code())


def _emit(text: str, output_file) -> None:
    """Print ``text``, or write it atomically to ``output_file`` when one is given."""
    from generator.fileio import atomic_write_text
    if output_file is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output_file, text)
