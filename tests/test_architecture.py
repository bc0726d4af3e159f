"""The floors of the house (docs/architecture.md): a module imports only from its own floor or below, click
lives only in the command layer, and no import circle exists. Fails when an upward import or a new circle
appears; the ALLOWED lists are debts written down, to shrink, never to grow."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"

# lower number = lower floor; a module may import from its floor or any lower one
FLOORS = {
    "errors": 0, "safetext": 0, "paths": 0, "upstream": 0,
    "fileio": 1, "findings": 1, "sandbox": 1, "workers": 1, "zipdoc": 1,
    "policy": 2,
    "ledger": 3,
    "validate": 4, "render": 4,
    "reports": 5, "diff": 5,
    "register": 6,
    "life": 7,
    "web": 8,
}
# the command layer: click commands and shared options; may import anything, imported by nothing below
COMMAND_LAYER = {"cli", "options", "build", "__main__"}

# debts (file: imported module), each to be removed by moving the code to its floor
ALLOWED_UPWARD: set[tuple[str, str]] = set()
ALLOWED_CYCLES: list[set[str]] = [
    # the notice issues its 更正通知 through the 公文 writer (render/official.py), which asks the notice for the
    # banner and seal layout of its text; both imports are lazy. To pay: move banner_fit/seal_layout and the
    # banner of the notice text into render/gbt9704.py.
    {"generator.render.notice", "generator.render.official"},
    # Flask's application factory registers the blueprints, which import the app's shared helpers (session,
    # CSRF, register access): a plugin registry, documented in docs/architecture.md. To pay: the helpers into
    # web/common.py.
    {"generator.web.app", "generator.web.auth", "generator.web.city", "generator.web.county",
     "generator.web.projects", "generator.web.workflow"},
]


def _modules() -> dict[str, Path]:
    mods = {}
    for f in PACKAGE.rglob("*.py"):
        parts = list(f.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = f
    return mods


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_command_layer(module: str) -> bool:
    parts = module.split(".")
    return parts[-1] == "cli" or (len(parts) == 2 and parts[1] in COMMAND_LAYER)


def _imports(path: Path, mods: dict[str, Path]):
    """(line, imported module) for every import of a generator module, lazy ones included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in mods]
            for m in subs or [node.module]:
                yield node.lineno, m
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("generator"):
                    yield node.lineno, a.name


def test_every_unit_has_a_floor():
    mods = _modules()
    units = {_unit(m) for m in mods if not _is_command_layer(m)} - {"__init__"}
    assert units <= set(FLOORS), f"give these a floor in FLOORS and docs/architecture.md: {units - set(FLOORS)}"


@pytest.mark.slow
def test_no_upward_import_and_click_only_in_the_command_layer():
    mods = _modules()
    bad = []
    for mod, path in mods.items():
        if _is_command_layer(mod):
            continue
        rel = path.relative_to(PACKAGE.parent).as_posix()
        src = path.read_text(encoding="utf-8")
        if "import click" in src and (rel, "click") not in ALLOWED_UPWARD:
            bad.append(f"{rel}: imports click outside the command layer (*/cli.py, options.py)")
        me = _unit(mod)
        for line, target in _imports(path, mods):
            t = _unit(target)
            upward = _is_command_layer(target) or (t != me and FLOORS.get(t, -1) > FLOORS.get(me, 99))
            if upward and (rel, target) not in ALLOWED_UPWARD:
                bad.append(f"{rel}:{line}: {me} (floor {FLOORS.get(me)}) imports {target}")
    assert not bad, "\n".join(bad)


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in graph:
        if v not in index:
            visit(v)
    return out


@pytest.mark.slow
def test_no_import_circle():
    mods = _modules()
    graph = {m: set() for m in mods}
    for mod, path in mods.items():
        for _, target in _imports(path, mods):
            while target not in mods and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in mods and target != mod and not mod.startswith(target + "."):
                graph[mod].add(target)
    found = [c for c in _cycles(graph) if c not in ALLOWED_CYCLES]
    assert not found, "import circles: " + "; ".join(" <-> ".join(sorted(c)) for c in found)
