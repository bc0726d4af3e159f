"""The checks of ``gaizao policy check``, one module per family (as ``generator/validate/rules/`` is split by
theme); ``generator/policy/check.py`` runs them in the order of ``CHECKS``. Codes and their meanings:
``generator/policy/codes.py``.

base (Ctx) · document P18x/P200/P21x · inheritance P22x · targets P10x/P12x/P15x/P190 · dates P11x/P13x ·
text P14x/P16x/P170 · draft P164 · copies P24x.
"""
from generator.policy.checks.base import Ctx
from generator.policy.checks.copies import check_copy_safety
from generator.policy.checks.dates import check_deadlines, check_milestones
from generator.policy.checks.document import check_completeness, check_document, check_versioning
from generator.policy.checks.draft import check_draft_confirmation
from generator.policy.checks.inheritance import check_grants, check_inheritance
from generator.policy.checks.targets import (check_county_names, check_liaison_quotas, check_partial_level,
                                             check_target_sums, check_thresholds)
from generator.policy.checks.text import check_numbering, check_provenance, check_text_renders, check_title_marks

# the order findings are reported in
CHECKS = [check_versioning, check_inheritance, check_grants, check_partial_level, check_completeness, check_document,
          check_target_sums, check_county_names, check_milestones, check_deadlines, check_liaison_quotas,
          check_thresholds, check_numbering, check_title_marks, check_text_renders, check_draft_confirmation,
          check_provenance, check_copy_safety]

__all__ = ["CHECKS", "Ctx"]
