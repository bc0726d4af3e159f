"""Issue 18 item 9: a weight given twice, an unknown round, a weight or score for a round the policy does not
have, a score given twice or for an unknown county: exit 2 naming it, never the last one winning in silence.
ONE parser: generator.render.ranking.parse_weights / load_scores (render acceptance and report results)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import GaizaoError
from generator.render.ranking import load_scores, parse_weights

ACCEPTANCE = ["render", "acceptance", "xuchang/2023", "--round", "year-end", "--all", "--no-pdf"]


def run(args, tmp_path):
    return CliRunner().invoke(main, [*ACCEPTANCE, *map(str, args), "-o", str(tmp_path / "out")])


@pytest.mark.parametrize("weights,says", [
    ("mid-year=0.9,year-end=0.6,mid-year=0.4", "年中的权重给了两次（mid-year=0.9，mid-year=0.4）"),
    ("mid-year=0.4,年中=0.4,year-end=0.6", "“mid-year”与“年中”是同一轮次"),
    ("year-end=0.6,年终=0.6,mid-year=0.4", "年终的权重给了两次"),
    ("final=0.4,year-end=0.6", "未知的检查轮次“final”"),            # a round the 2023 policy does not have
    ("mid-year=0.4,year-end=0.6,year-start=0", "未知的检查轮次“year-start”"),
    ("=0.4,year-end=0.6", "未知的检查轮次“”"),
])
def test_weights_refused_naming_the_key(weights, says, tmp_path):
    r = run(["--weights", weights], tmp_path)
    assert r.exit_code == 2, r.output
    assert says in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()                   # refused before anything is written


def test_weights_file_with_one_round_twice(tmp_path, policy2023):
    f = tmp_path / "w.yaml"
    f.write_text("mid-year: 0.4\n年中: 0.5\nyear-end: 0.6\n", encoding="utf-8")
    with pytest.raises(GaizaoError) as e:
        parse_weights(str(f), policy2023.policy)
    assert e.value.exit_code == 2 and "年中的权重给了两次" in e.value.render("zh") and str(f) in e.value.render("zh")


def test_good_weights_are_read_both_spellings(policy2023):
    w, src = parse_weights("年中=0.4，year-end=0.6", policy2023.policy)
    assert w == {"mid-year": 0.4, "year-end": 0.6} and src == "user"


@pytest.mark.parametrize("name,text,says", [
    ("rows.csv", "单位,年中,年终\n魏都区,80,90\n魏都区,70,90\n", "rows.csv:3 年中: 魏都区 年中得分重复（先见于 rows.csv:2 年中）"),
    ("blank-first.csv", "单位,年中,年终\n魏都区,,90\n魏都区,70,90\n", "魏都区 年中得分重复"),
    ("columns.csv", "单位,年中,mid-year\n魏都区,80,90\n", "魏都区 年中得分重复"),
    ("round.csv", "单位,年中,期末\n魏都区,80,90\n", "round.csv:2 期末: 未知的检查轮次“期末”"),
    ("county.csv", "单位,年中,年终\n某某区,80,90\n", "政策中没有“某某区”"),
    ("extra.csv", "单位,年中,年终\n魏都区,80,90,70\n", "第2行比表头多出数据"),
    ("twice.yaml", "mid-year:\n  魏都区: 80\n年中:\n  魏都区: 70\n", "twice.yaml:4: 魏都区 年中得分重复（先见于 twice.yaml:2）"),
    ("key.yaml", "mid-year:\n  魏都区: 80\n  魏都区: 70\n", "duplicate key"),
    ("round.yaml", "final:\n  魏都区: 80\n", "round.yaml:1: 未知的检查轮次“final”"),
    ("county.yaml", "mid-year:\n  魏都县: 80\n", "政策中没有“魏都县”"),
])
def test_score_files_refused_naming_the_place(name, text, says, tmp_path, monkeypatch):
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)              # the file named as a user types it: the message shows that name
    r = CliRunner().invoke(main, [*ACCEPTANCE, "--weights", "mid-year=0.4,year-end=0.6", "--scores", name,
                                  "-o", str(tmp_path / "out")])
    assert r.exit_code == 2, r.output
    assert says in r.output and "Traceback" not in r.output


def test_a_county_name_with_an_invisible_character_is_the_county(tmp_path, policy2023):
    f = tmp_path / "s.yaml"
    f.write_text("mid-year:\n  魏都区\u200b: 80\n", encoding="utf-8")
    assert load_scores(f, policy2023.policy) == {"mid-year": {"魏都区": 80.0}}
