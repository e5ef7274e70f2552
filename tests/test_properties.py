"""
Properties of the core on the public strategies.

The oracle below recomputes the hard identities of FORMAT.md §9 over a plain
cell dict, independently of :mod:`gov_disclosure.rules`; only the table shape
(row and column keys) comes from the catalogue.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.strategies import BREAKABLE_RULES, broken_reports, reports

#: Cell keys that take part in a hard identity: every cell of sections 三 (H1/A1/A2) and 四 (A3).
IDENTITY_KEYS = [
    (edition, key)
    for edition in gd.Edition
    for key in gd.catalogue(edition).cells
    if key.startswith(("t3.", "t4."))
]

#: The single-cell property runs once per key (366 keys, ~20 ms per drawn
#: report), so each key gets 2 examples (10 with the ``thorough`` profile):
#: the keys, not the examples, are what this property ranges over.
PER_KEY = settings(max_examples=max(2, settings().max_examples // 100))
#: Narrower properties (one magnitude, one rule) get a quarter of the profile's examples.
FEWER = settings(max_examples=max(10, settings().max_examples // 4))

ERROR = gd.Severity.ERROR


def errors(report: gd.AnnualReport) -> list[gd.Finding]:
    """The error findings of *report*."""
    return [f for f in gd.check(report) if f.severity is ERROR]


def oracle(edition: gd.Edition, c: dict[str, Any]) -> set[tuple[str, str]]:
    """(rule, subject) of every broken hard identity, computed straight from FORMAT.md §9 on a cell dict."""
    part = gd.catalogue(edition).table("t3").parts[0]
    rows = [r.key for r in part.rows]
    cols = [col.key for col in part.columns]
    outcomes = rows[rows.index("granted") : rows.index("total_processed")]
    out: set[tuple[str, str]] = set()
    for col in cols:
        if (
            c[f"t3.new_received.{col}"] + c[f"t3.carried_over.{col}"]
            != c[f"t3.total_processed.{col}"] + c[f"t3.carried_forward.{col}"]
        ):
            out.add(("requests.balance", col))
        if sum(c[f"t3.{r}.{col}"] for r in outcomes) != c[f"t3.total_processed.{col}"]:
            out.add(("requests.outcome_total", col))
    for r in rows:
        if sum(c[f"t3.{r}.{col}"] for col in cols if col != "total") != c[f"t3.{r}.total"]:
            out.add(("requests.row_total", r))
    for g in ("review", "litigation_direct", "litigation_after_review"):
        parts = ("upheld", "corrected", "other", "pending")
        if sum(c[f"t4.{g}.{p}"] for p in parts) != c[f"t4.{g}.total"]:
            out.add(("appeals.total", g))
    return out


def with_cell(report: gd.AnnualReport, key: str, value: Any) -> gd.AnnualReport:
    """*report* with one cell set to *value* (through the cell view, narratives kept)."""
    c = gd.cells(report)
    c[key] = value
    changed = gd.from_cells(c, agency=report.agency, year=report.year, edition=report.edition)
    return attrs.evolve(
        report, proactive=changed.proactive, requests=changed.requests, appeals=changed.appeals
    )


def numeric_projection(report: gd.AnnualReport) -> gd.AnnualReport:
    """
    What ``from_cells(cells(r))`` keeps of a report: exactly the part the cell view carries.

    Dropped: the narratives (preamble, 一, 五, 六's paragraphs), extra rows,
    blank-cell marks, the procurement amount's printed unit; section 六's fee
    figures are kept when at least one is stated (all unstated reads back as
    no figures at all).
    """
    proactive = report.proactive
    if isinstance(proactive, gd.Proactive2019):
        proactive = attrs.evolve(
            proactive, procurement=attrs.evolve(proactive.procurement, amount_unit=None)
        )
    fees = report.other_matters.fees
    if fees is not None and all(v is None for v in attrs.astuple(fees)):
        fees = None
    return gd.AnnualReport(
        agency=report.agency,
        year=report.year,
        edition=report.edition,
        proactive=proactive,
        requests=report.requests,
        appeals=report.appeals,
        other_matters=gd.OtherMatters(fees=fees),
    )


class TestValidReports:
    @given(reports())
    def test_no_errors(self, report: gd.AnnualReport) -> None:
        """Every identity holds in a drawn valid report: no error findings (warnings may remain), and the oracle agrees."""
        assert errors(report) == []
        assert oracle(report.edition, dict(gd.cells(report))) == set()

    @FEWER
    @given(reports(max_count=10**6, text=False))
    def test_no_errors_large(self, report: gd.AnnualReport) -> None:
        """Very large magnitudes still balance."""
        assert errors(report) == []

    @FEWER
    @given(reports(max_count=0, text=False))
    def test_zero_heavy(self, report: gd.AnnualReport) -> None:
        """With ``max_count=0`` every count is zero, as in a small agency's report, and it checks clean of errors."""
        c = gd.cells(report)
        assert all(v == 0 for k, v in c.items() if k.startswith(("t3.", "t4.")))
        assert errors(report) == []


class TestSingleCellChange:
    @pytest.mark.parametrize(
        ("edition", "key"), IDENTITY_KEYS, ids=[f"{e.value}-{k}" for e, k in IDENTITY_KEYS]
    )
    @PER_KEY
    @given(data=st.data())
    def test_change_is_named(self, edition: gd.Edition, key: str, data: st.DataObject) -> None:
        """Changing any one identity cell of a valid report by a non-zero amount gives an error finding naming it."""
        report = data.draw(reports(edition, text=False), label="report")
        value = gd.cells(report)[key]
        assert isinstance(value, int)
        delta = data.draw(st.integers(-value, 1000).filter(bool), label="delta")
        broken = with_cell(report, key, value + delta)
        named = [f for f in errors(broken) if key in f.cells]
        assert named, f"no error finding names {key}"


class TestCellView:
    @given(reports(text=False))
    def test_round_trip_without_text(self, report: gd.AnnualReport) -> None:
        """``from_cells(cells(r))`` equals *r* once the procurement unit and all-unstated fee figures are projected away."""
        back = gd.from_cells(gd.cells(report), agency=report.agency, year=report.year)
        assert numeric_projection(report) == back

    @given(reports())
    def test_round_trip_projection(self, report: gd.AnnualReport) -> None:
        """With narratives too, the round trip keeps exactly the numeric projection of the report."""
        back = gd.from_cells(gd.cells(report), agency=report.agency, year=report.year)
        assert numeric_projection(report) == back
        assert gd.cells(back) == gd.cells(report)

    @given(reports())
    def test_keys_are_the_catalogue(self, report: gd.AnnualReport) -> None:
        """``cells()`` gives the catalogue's required keys, plus only the stated ``t6`` keys, with values of the cell's kind."""
        cat = gd.catalogue(report.edition)
        c = gd.cells(report)
        assert {k for k, d in cat.cells.items() if not d.optional} <= set(c) <= set(cat.cells)
        for key, value in c.items():
            kind = cat.cells[key].kind
            assert isinstance(value, Decimal if kind is gd.ValueKind.MONEY else int), key


class TestFindings:
    @given(reports(text=False), st.data())
    def test_check_matches_oracle(self, report: gd.AnnualReport, data: st.DataObject) -> None:
        """After changing a few cells at random, ``check()`` reports exactly the identities the oracle finds broken."""
        keys = [k for k in gd.catalogue(report.edition).cells if k.startswith(("t3.", "t4."))]
        for key in data.draw(
            st.lists(st.sampled_from(keys), max_size=4, unique=True), label="keys"
        ):
            report = with_cell(report, key, data.draw(st.integers(0, 50), label=key))
        found = {(f.rule, f.subject) for f in errors(report)}
        assert oracle(report.edition, dict(gd.cells(report))) == found

    @given(reports(text=False), st.data())
    def test_deterministic_and_ordered(self, report: gd.AnnualReport, data: st.DataObject) -> None:
        """Findings are the same on every call, come in rules order, then in reading order within a rule."""
        keys = [k for k in gd.catalogue(report.edition).cells if k.startswith(("t3.", "t4."))]
        for key in data.draw(
            st.lists(st.sampled_from(keys), max_size=6, unique=True), label="keys"
        ):
            report = with_cell(report, key, data.draw(st.integers(0, 50), label=key))
        first, second = gd.check(report), gd.check(report)
        assert first == second
        assert [f.message for f in first] == [f.message for f in second]
        order = {r.id: i for i, r in enumerate(gd.RULES)}
        reading = {k: i for i, k in enumerate(gd.catalogue(report.edition).cells)}
        positions = [(order[f.rule], reading[f.cells[0]]) for f in first]
        assert positions == sorted(positions)
        assert len(set(positions)) == len(positions)
        for f in first:
            assert list(f.cells) == sorted(f.cells, key=reading.__getitem__)
            assert f.expected != f.actual

    @pytest.mark.parametrize("rule", BREAKABLE_RULES)
    @FEWER
    @given(data=st.data())
    def test_broken_reports_break_exactly_one_rule(self, rule: str, data: st.DataObject) -> None:
        """``broken_reports(rule)`` gives reports whose only error findings are of *rule*."""
        report = data.draw(broken_reports(rule))
        rules = {f.rule for f in errors(report)}
        assert rules == {rule}

    def test_broken_reports_refuses_unknown_rule(self) -> None:
        """Asking to break a rule that is not a hard identity fails at the call, naming the rule."""
        with pytest.raises(ValueError, match=r"requests\.blank_total"):
            broken_reports("requests.blank_total")

    @FEWER
    @given(reports(text=False))
    def test_blank_marks_do_not_change_errors(self, report: gd.AnnualReport) -> None:
        """Marking zero cells of a valid report as printed blank adds no error finding."""
        zeros = sorted(k for k, v in gd.cells(report).items() if v == 0 and k.startswith("t3."))[:5]
        marked = attrs.evolve(report, blank_cells=frozenset(zeros))
        assert errors(marked) == []
