import sys
from pathlib import Path

# the rule tests' in-memory plan builders (tests/validate/validate_builders.py)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validate"))
