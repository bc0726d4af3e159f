"""The main job's plan: every document kind, dates taken from the policy."""
from pathlib import Path

from generator.build import steps

ROOT = Path(__file__).resolve().parents[1]


def test_build_renders_every_document_kind(policy2023, tmp_path):
    plan = steps("xuchang/2023", tmp_path, ROOT / "data")
    commands = [" ".join(args[:2]) for _, args in plan]
    for expected in ("policy check", "render notice", "render county-plan", "render checklists",
                     "render acceptance", "diff xuchang/2023"):
        assert any(c.startswith(expected) for c in commands), expected
    assert any("--corrected" in args for _, args in plan)
    progress = next(args for _, args in plan if args[0] == "progress")
    completed = min(m.date for m in policy2023.policy.milestones if m.measure == "completed")
    assert progress[progress.index("--as-of") + 1] == completed.isoformat()
