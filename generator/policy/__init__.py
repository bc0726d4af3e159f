"""The policy model: load (``load_policy``), check (``check_policy``), render its clause text."""
from generator.policy.loader import LoadedPolicy, list_ids, load_policy, policies_root
from generator.policy.model import Policy

__all__ = ["LoadedPolicy", "Policy", "list_ids", "load_policy", "policies_root", "check_policy"]


def check_policy(lp):
    from generator.policy.check import check_policy as _check
    return _check(lp)
