"""The tests of a `pytest --durations=0` output that are over the slow threshold and not marked `slow`.

    python3 -m pytest -m "not office and not browser" --durations=0 > /tmp/durations.txt
    python3 scripts/slow_tests.py /tmp/durations.txt       # or: ... | python3 scripts/slow_tests.py

A test's time is its call + setup, all its parameter cases summed; the threshold is tests/conftest.py's
SLOW_SECONDS. Marking the listed tests slow (@pytest.mark.slow) keeps the quick run quick. Exit 1 when any is listed.
"""
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINE = re.compile(r"^\s*([0-9.]+)s (call|setup)\s+(\S.*?)\s*$")


def threshold() -> float:
    found = re.search(r"^SLOW_SECONDS = ([0-9.]+)", (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"), re.M)
    assert found, "tests/conftest.py defines no SLOW_SECONDS"
    return float(found.group(1))


def marked_slow() -> set[str]:
    """The tests (without their parameter cases) marked slow, from a collection of every test."""
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-o", "addopts=", "--full",
                          "-m", "slow"], cwd=ROOT, capture_output=True, text=True).stdout
    return {line.split("[")[0] for line in out.splitlines() if "::" in line}


def main(argv: list[str]) -> int:
    text = Path(argv[1]).read_text(encoding="utf-8") if len(argv) > 1 else sys.stdin.read()
    seconds: Counter[str] = Counter()
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            seconds[m.group(3).split("[")[0]] += float(m.group(1))
    limit, slow = threshold(), marked_slow()
    over = [(s, test) for test, s in seconds.items() if s >= limit and test not in slow]
    for s, test in sorted(over, reverse=True):
        print(f"{s:6.2f} s  {test}")
    print(f"{len(over)} tests at or over {limit} s not marked slow ({sum(s for s, _ in over):.1f} s)", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
