"""
:func:`check`: every equation and soft rule of one report, and the index of which rules each cell takes part in.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from ..catalogue import APPEAL_GROUPS, APPLICANT_COLUMNS, Edition, catalogue
from ..cells import CellValue, _getters
from ..model import AnnualReport
from ._equations import (
    _APPEAL_PARTS,
    _equations,
    _finding,
    _ordered,
    _require_report,
    _rows_with,
    _t3_row_keys,
    fee_amount_suspect,
    fees_mentioned,
)
from ._finding import Finding
from ._rules import _RULES_BY_ID, RULES


def check(report: AnnualReport) -> list[Finding]:
    """
    Check every rule of one report and return every finding, errors and warnings.

    An empty list means every identity holds.  Findings come in the order of
    :data:`RULES`, then in reading order of the table.

    >>> import attrs
    >>> from gov_disclosure import AnnualReport, ApplicantCounts, Requests, OtherHandling
    >>> ok = AnnualReport(agency="某局", year=2021)
    >>> check(ok)
    []
    >>> bad = attrs.evolve(ok, requests=attrs.evolve(ok.requests,
    ...     granted=ApplicantCounts.of(natural_person=2)))
    >>> [(f.rule, f.subject, f.expected, f.actual) for f in check(bad)][:2]
    [('requests.outcome_total', 'natural_person', 2, 0), ('requests.outcome_total', 'total', 2, 0)]

    On the sum of several reports (an :class:`~gov_disclosure.Aggregate`),
    each finding names the contributing reports that break the same rule on
    their own (:attr:`Finding.contributions`), and its message says so.

    .. versionadded:: 0.1.0
    """
    _require_report(report, "check(report)")
    verdict = _CLEAN_REPORTS.get(id(report))
    if verdict is not None and verdict() is report:  # proven clean when it was built
        return []
    edition = report.edition
    if _clean(edition)(report):  # no finding at all: compiled from the same equations
        return []
    blank = report.blank_cells
    years = (report.year,)
    by_rule: dict[str, list[Finding]] = {r.id: [] for r in RULES}
    equations = _equations(edition)
    for i, lhs, rhs in _failing(edition)(report):  # compiled: the broken equations only
        eq = equations[i]
        by_rule[eq.rule].append(_finding(eq.rule, eq.subject, eq.keys, lhs, rhs, blank, years))
    for rule_id, found in _soft_checks(report, _Values(report)):
        by_rule[rule_id].extend(found)
    findings = [f for r in RULES for f in by_rule[r.id]]
    if type(report) is not AnnualReport:
        # A subclass may say more about its findings: a sum (an Aggregate)
        # names the contributors that break each rule.  The rules know
        # nothing of aggregation; the subclass brings the knowledge.
        explain = getattr(report, "_explain_findings", None)
        if explain is not None:
            explained: list[Finding] = explain(findings)
            return explained
    return findings


class _Values:
    """The cells the soft rules read, each read from the report when asked (not the whole ``cells()`` view)."""

    __slots__ = ("_get", "_report")

    def __init__(self, report: AnnualReport) -> None:
        self._report = report
        self._get = _cell_getters(report.edition)

    def __getitem__(self, key: str) -> CellValue:
        value: CellValue = self._get[key](self._report)
        return value


@functools.cache
def _cell_getters(edition: Edition) -> dict[str, Callable[[AnnualReport], CellValue]]:
    # Section 六's optional fee cells are not among them: no soft rule reads them.
    return dict(_getters(edition))


def _soft_checks(report: AnnualReport, values: _Values) -> Iterator[tuple[str, list[Finding]]]:
    edition = report.edition
    blank = report.blank_cells
    years = (report.year,)

    def mk(
        rule_id: str,
        subject: str,
        keys: Iterable[str],
        expected: CellValue | None,
        actual: CellValue | None,
    ) -> Finding:
        return _finding(rule_id, subject, _ordered(edition, keys), expected, actual, blank, years)

    # S9: a blank total next to non-zero parts (compiled: only blank totals are read).
    by_rule: dict[str, list[Finding]] = {rule_id: [] for rule_id, _ in _blank_totals(edition)}
    groups = _blank_total_list(edition)
    for i, parts_sum, total in _blank_totals_broken(edition)(report):
        rule_id, (group, _, _, keys) = groups[i]
        by_rule[rule_id].append(_finding(rule_id, group, keys, parts_sum, total, blank, years))
    yield from by_rule.items()

    if edition is Edition.V2021:
        unpaid = values["t3.other.unpaid_fee.total"]
        mentioned = fees_mentioned(report.other_matters)
        yield (
            "requests.unpaid_fee_mention",
            [
                mk(
                    "requests.unpaid_fee_mention",
                    "other.unpaid_fee",
                    ["t3.other.unpaid_fee.total"],
                    None,
                    unpaid,
                )
            ]
            if unpaid and not mentioned
            else [],
        )
        amount = values["t2.fees.amount"]
        yield (
            "proactive.fee_unit",
            [mk("proactive.fee_unit", "fees", ["t2.fees.amount"], None, amount)]
            if isinstance(amount, Decimal) and fee_amount_suspect(amount)
            else [],
        )
    else:
        found = []
        for r in _rows_with(edition, "t2", "total_published"):
            new = values[f"t2.{r}.new_published"]
            total = values[f"t2.{r}.total_published"]
            if total < new:
                found.append(
                    mk(
                        "proactive.total_published",
                        r,
                        [f"t2.{r}.new_published", f"t2.{r}.total_published"],
                        new,
                        total,
                    )
                )
        yield "proactive.total_published", found


def _blank_total_groups(
    edition: Edition,
) -> tuple[tuple[str, str, list[str], list[str]], ...]:
    """The rule S9's groups: rule, table, the rows (or groups) with a total, and the parts of a total."""
    return (
        (
            "requests.blank_total",
            "t3",
            _t3_row_keys(edition),
            [c.key for c in APPLICANT_COLUMNS[:-1]],
        ),
        (
            "appeals.blank_total",
            "t4",
            [g for g, _ in APPEAL_GROUPS],
            list(_APPEAL_PARTS),
        ),
    )


@functools.cache
def _blank_totals(
    edition: Edition,
) -> tuple[tuple[str, tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]], ...]:
    """Per rule of S9: each group's name, total key, part keys and all its keys in reading order."""
    out = []
    for rule_id, prefix, groups, parts in _blank_total_groups(edition):
        totals = []
        for g in groups:
            keys = tuple(f"{prefix}.{g}.{p}" for p in parts)
            total = f"{prefix}.{g}.total"
            totals.append((g, total, keys, _ordered(edition, (*keys, total))))
        out.append((rule_id, tuple(totals)))
    return tuple(out)


@functools.cache
def _blank_total_list(
    edition: Edition,
) -> list[tuple[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]]]:
    """The groups of :func:`_blank_totals` in one list, each with its rule (the compiled S9's indexes)."""
    return [(rule_id, t) for rule_id, totals in _blank_totals(edition) for t in totals]


@functools.cache
def _blank_totals_broken(
    edition: Edition,
) -> Callable[[AnnualReport], list[tuple[int, CellValue, CellValue]]]:
    """The compiled rule S9 of *edition* (see ``._fast``), over the groups of :func:`_blank_totals` in order."""
    from ._fast import compile_blank_totals

    return compile_blank_totals(
        edition,
        [(total, parts) for _, totals in _blank_totals(edition) for _, total, parts, _ in totals],
    )


def _clean_rules(edition: Edition) -> dict[str, Any]:
    """What the clean test of *edition* tests besides the equations: the soft rules' rows and the S9 totals."""
    return {
        "total_published_rows": _rows_with(edition, "t2", "total_published"),
        "blank_totals": [
            (f"{prefix}.{g}.total", [f"{prefix}.{g}.{p}" for p in parts])
            for _, prefix, groups, parts in _blank_total_groups(edition)
            for g in groups
        ],
    }


@functools.cache
def _clean(edition: Edition) -> Callable[[AnnualReport], bool]:
    """The compiled "check() would find nothing" test of *edition* (see ``._fast``)."""
    from ._fast import compile_clean

    return compile_clean(
        edition,
        _equations(edition),
        fees_mentioned=fees_mentioned,
        fee_amount_suspect=fee_amount_suspect,
        **_clean_rules(edition),
    )


#: The names the conditions of :func:`clean_conditions` use.
CLEAN_NAMESPACE: dict[str, Any] = {"MENTIONED": fees_mentioned, "SUSPECT": fee_amount_suspect}


def clean_conditions(
    edition: Edition,
    *,
    cell: Callable[[str], str],
    obj: Callable[[tuple[str, ...]], str],
    blanks: str,
) -> list[str]:
    """
    The clean test of *edition* as Python conditions for code generated elsewhere (the JSON builders).

    Any condition true means :func:`check` finds something; none true, and it
    finds nothing (the same test as the one :func:`check` runs first).  Cells
    are read through the expressions *cell* gives, objects at an attribute
    path through *obj*, the blank cells through the expression *blanks*; the
    names they use are those of :data:`CLEAN_NAMESPACE`.  Code that proves a
    report clean this way may say so with :func:`mark_clean`.
    """
    from ._fast import broken_conditions

    return broken_conditions(
        edition, _equations(edition), cell=cell, obj=obj, blanks=blanks, **_clean_rules(edition)
    )


class _Verdict(weakref.ref):  # type: ignore[type-arg]
    """A weak reference to a report known clean, which knows its key in :data:`_CLEAN_REPORTS`."""

    __slots__ = ("key",)
    key: int


#: Reports proven clean when they were built, by ``id``: each entry leaves
#: with its report (the weak reference's callback), and is trusted only while
#: it still refers to that very report.
_CLEAN_REPORTS: dict[int, _Verdict] = {}


def _forget(ref: _Verdict) -> None:
    if _CLEAN_REPORTS.get(ref.key) is ref:
        del _CLEAN_REPORTS[ref.key]


def mark_clean(report: AnnualReport) -> None:
    """
    Record that *report* was proven clean by :func:`clean_conditions` while it was built.

    :func:`check` then returns ``[]`` at once for that very object.  The model
    is frozen, so the verdict holds as long as the object lives; it is tied to
    the object (not to its value) and forgotten when the object goes.
    """
    key = id(report)
    ref = _Verdict(report, _forget)
    ref.key = key
    _CLEAN_REPORTS[key] = ref


@functools.cache
def _failing(edition: Edition) -> Callable[[AnnualReport], list[tuple[int, CellValue, CellValue]]]:
    """The compiled list of the equations a report of *edition* breaks (see ``._fast``)."""
    from ._fast import compile_failing

    return compile_failing(edition, _equations(edition))


@functools.cache
def _rules_by_cell(edition: Edition) -> dict[str, tuple[str, ...]]:
    keys = list(catalogue(edition).cells)
    found: dict[str, list[str]] = {k: [] for k in keys}

    def add(rule_id: str, cell_keys: Iterable[str]) -> None:
        if edition not in _RULES_BY_ID[rule_id].editions:
            return
        for k in cell_keys:
            if rule_id not in found[k]:
                found[k].append(rule_id)

    for eq in _equations(edition):
        add(eq.rule, eq.keys)
    add("requests.blank_total", (k for k in keys if k.startswith("t3.")))
    add("appeals.blank_total", (k for k in keys if k.startswith("t4.")))
    add("requests.unpaid_fee_mention", [k for k in keys if k == "t3.other.unpaid_fee.total"])
    add("proactive.fee_unit", [k for k in keys if k == "t2.fees.amount"])
    published = _rows_with(edition, "t2", "total_published")
    add(
        "proactive.total_published",
        [f"t2.{r}.{c}" for r in published for c in ("new_published", "total_published")],
    )
    add(
        "continuity.carried_over",
        (k for k in keys if k.split(".")[1] in ("carried_over", "carried_forward")),
    )
    in_force = _rows_with(edition, "t2", "in_force")
    add(
        "continuity.in_force",
        [f"t2.{r}.{c}" for r in in_force for c in ("in_force", "issued", "repealed")],
    )
    add(
        "continuity.repealed",
        [f"t2.{r}.{c}" for r in in_force for c in ("in_force", "issued", "repealed")],
    )
    items = _rows_with(edition, "t2", "last_year_items")
    add(
        "continuity.last_year_items",
        [f"t2.{r}.{c}" for r in items for c in ("last_year_items", "change")],
    )
    add(
        "continuity.total_published",
        [f"t2.{r}.{c}" for r in published for c in ("new_published", "total_published")],
    )
    order = {r.id: i for i, r in enumerate(RULES)}
    return {k: tuple(sorted(v, key=order.__getitem__)) for k, v in found.items()}


def rules_for_cell(edition: Edition | str, key: str) -> tuple[str, ...]:
    """
    The ids of the rules a cell takes part in, in the order of :data:`RULES`.

    >>> rules_for_cell("2021", "t3.granted.total")
    ('requests.outcome_total', 'requests.row_total', 'requests.blank_total')

    Raises:
        KeyError: *key* is not a cell of *edition*.

    .. versionadded:: 0.1.0
    """
    return _rules_by_cell(catalogue(edition).edition)[key]
