"""No test can hide a broken import of gaizao or of a declared dependency (issue 24.5).

A test module that skips when `generator.x` (or python-docx, openpyxl …) does not import turns a broken
package into a green run. External tools the package does not install (LibreOffice, Chromium, nginx,
playwright of the test extra) may still skip, each with its reason.
"""
import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


def _required_modules() -> set[str]:
    """Top-level module names of gaizao and of its declared (non-optional) dependencies."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    dists = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in deps}
    found = {"generator"}
    for module, owners in packages_distributions().items():
        if any(o.lower().replace("_", "-") in dists for o in owners):
            found.add(module)
    return found


def _test_sources():
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if "fixtures" not in path.relative_to(ROOT).parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _names(handler_type) -> set[str]:
    if handler_type is None:
        return {"BaseException"}
    nodes = handler_type.elts if isinstance(handler_type, ast.Tuple) else [handler_type]
    return {n.id if isinstance(n, ast.Name) else getattr(n, "attr", "") for n in nodes}


def test_no_test_skips_or_swallows_a_broken_import_of_our_own_code():
    required = _required_modules()
    assert {"generator", "docx", "openpyxl"} <= required, required        # the scan sees what it must
    bad = []
    for path, tree in _test_sources():
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "importorskip" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and str(node.args[0].value).split(".")[0] in required):
                bad.append(f"{where}:{node.lineno} importorskip({node.args[0].value!r})")
            if isinstance(node, ast.Try):
                imports = any(isinstance(n, (ast.Import, ast.ImportFrom)) for b in node.body for n in ast.walk(b))
                for h in node.handlers:
                    if _names(h.type) & IMPORT_ERRORS or (imports and _names(h.type) & {"Exception", "BaseException"}):
                        bad.append(f"{where}:{h.lineno} except {', '.join(sorted(_names(h.type)))} around an import")
    assert not bad, "\n".join(bad)
