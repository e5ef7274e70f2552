"""
The accounting identities and soft rules of the format, and the checks that apply them.

Rules are data (:data:`RULES`): a stable id, a severity, the formula and a
description in Chinese and English.  Each rule expands, for an edition, into
equations over cell keys taken from the catalogue (:mod:`._equations`);
:func:`check` evaluates every equation of one report and returns every finding
(it never stops at the first), :func:`continuity` does the same across two
consecutive years.

The layer sits above the catalogue, the model, the cell view and the locales,
and below everything that reports on many reports: it knows nothing of
aggregation.  A subclass of :class:`~gov_disclosure.AnnualReport` can explain
its own findings (an :class:`~gov_disclosure.Aggregate` names the contributors
at fault) by a ``_explain_findings(findings)`` method that :func:`check` calls.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from ..catalogue import register_cell_rules
from ._check import check, rules_for_cell
from ._continuity import continuity
from ._finding import Contribution, Finding, finding_text
from ._rules import RULES, Rule, Severity, rule

__all__ = [
    "RULES",
    "Contribution",
    "Finding",
    "Rule",
    "Severity",
    "check",
    "continuity",
    "finding_text",
    "rule",
    "rules_for_cell",
]

register_cell_rules(rules_for_cell)
