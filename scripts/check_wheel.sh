#!/usr/bin/env bash
# Installs gaizao as a user would (a built wheel, not the editable checkout) into a clean virtual environment and
# runs the main job (the bundled 2023 policy, named as a user outside a policy folder names it) from an empty folder: proves the wheel carries templates/, policies/, fonts/ and data/ and
# declares every dependency it imports. Used by .ci/run after the tests; run it by hand after packaging changes.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip wheel -q --disable-pip-version-check --no-deps -w "$work/dist" . 2>&1 | grep -v '^WARNING: Location' || true
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check "$work"/dist/gaizao-*.whl 2>&1 | grep -v '^WARNING: Location' || true
mkdir "$work/run"
cd "$work/run"
"$work/venv/bin/python" - <<'PY'
import generator, pathlib, generator.paths as p
assert "venv" in generator.__file__, generator.__file__          # the wheel's copy, not the checkout
assert p.ROOT == pathlib.Path(generator.__file__).parent / "_bundled", p.ROOT
print("wheel: gaizao from", pathlib.Path(generator.__file__).parent, "resources in", p.ROOT.name)
PY
"$work/venv/bin/gaizao" build --policy xuchang/2023 > build.log 2>&1 || { tail -40 build.log; echo "wheel: gaizao build failed"; exit 1; }
# the notice and a county template workbook were written (a failed step already exited non-zero above)
ls output/notice/*.pdf >/dev/null
find output/county-plans -name '*.xlsx' | grep -q .
echo "wheel: gaizao build from an empty folder: ok ($(find output -type f | wc -l) files)"
