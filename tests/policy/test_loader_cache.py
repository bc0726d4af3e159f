"""A policy's YAML is parsed once a process (generator/policy/loader.py, _parse_policy_file): an edited file is
read as edited, a file that no longer parses fails, and no load sees what another load's caller changed."""
import pytest

from generator.errors import PolicyLoadError
from generator.policy import load_policy
from generator.policy import loader


def test_an_edited_policy_file_is_loaded_as_edited(policy_copy):
    first = load_policy(str(policy_copy))
    pf = policy_copy / "policy.yaml"
    text = pf.read_text(encoding="utf-8")
    old = first.policy.version
    assert f'\nversion: "{old}"\n' in text
    pf.write_text(text.replace(f'\nversion: "{old}"\n', '\nversion: "9.9.9"\n', 1), encoding="utf-8")
    assert load_policy(str(policy_copy)).policy.version == "9.9.9"
    pf.write_text(text, encoding="utf-8")                        # back as it was: the first result again
    assert load_policy(str(policy_copy)).policy.version == old


def test_a_file_that_stops_parsing_fails_each_time(policy_copy):
    load_policy(str(policy_copy))
    pf = policy_copy / "policy.yaml"
    pf.write_text(pf.read_text(encoding="utf-8") + "\n: : [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PolicyLoadError):
            load_policy(str(policy_copy))


def test_a_caller_changing_what_it_loaded_changes_no_other_load():
    a = load_policy("xuchang/2023")
    a.docs["policy"].data["title"] = "changed"
    a.docs["policy"].lines.clear()
    a.own.clear()
    a.effective.clear()
    b = load_policy("xuchang/2023")
    assert b.docs["policy"].data["title"] != "changed" and b.docs["policy"].lines
    assert b.own and b.effective
    assert b.docs["policy"].data is not a.docs["policy"].data
    kept = list(loader._PARSED.values())
    assert all(b.docs["policy"].data is not k.data for k in kept)


def test_the_same_text_under_another_name_says_its_own_name(tmp_path, policy_copy):
    import shutil
    other = tmp_path / "other"
    shutil.copytree(policy_copy, other)
    a, b = load_policy(str(policy_copy)), load_policy(str(other))
    assert a.docs["policy"].name != b.docs["policy"].name
    assert a.content_hash == b.content_hash


def test_only_so_many_texts_are_kept(monkeypatch):
    monkeypatch.setattr(loader, "_PARSED", type(loader._PARSED)())
    monkeypatch.setattr(loader, "_PARSED_MAX", 2)
    for i in range(5):
        loader._parse_policy_file(f"a: {i}\n", f"f{i}.yaml")
    assert [k[0] for k in loader._PARSED] == ["f3.yaml", "f4.yaml"]
    big = "a: " + "x" * (loader._PARSED_MAX_CHARS + 1) + "\n"
    assert loader._parse_policy_file(big, "big.yaml").data["a"].startswith("x")
    assert "big.yaml" not in [k[0] for k in loader._PARSED]


def test_a_template_made_unsafe_is_refused_each_time(policy_copy):
    from generator.errors import UnsafeTemplateError
    load_policy(str(policy_copy))                                # its safe strings are remembered
    tf = policy_copy / "text.yaml"
    text = tf.read_text(encoding="utf-8")
    assert "{{ city_target.projects }}" in text
    tf.write_text(text.replace("{{ city_target.projects }}", "{{ city_target.__class__ }}", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(UnsafeTemplateError):
            load_policy(str(policy_copy))
    assert not any("__class__" in s for s in loader._NO_UNSAFE)
