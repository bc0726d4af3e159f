"""The policy model: load (``load_policy``), check (``check_policy``), render its clause text.

The names below are imported on first use (PEP 562): a command that only reads what a register recorded
(``register status``) never builds the pydantic model classes (a third of its start-up; issue 19.9)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.policy.loader import LoadedPolicy, list_ids, load_policy, policies_root
    from generator.policy.model import Policy

__all__ = ["LoadedPolicy", "Policy", "list_ids", "load_policy", "policies_root", "check_policy"]

_LAZY = {"LoadedPolicy": "loader", "list_ids": "loader", "load_policy": "loader", "policies_root": "loader",
         "Policy": "model"}


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    globals()[name] = value
    return value


def check_policy(lp):
    from generator.policy.check import check_policy as _check
    return _check(lp)
