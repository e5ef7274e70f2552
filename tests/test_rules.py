"""The rules on hand-built reports: every expected value below is worked out by hand in the test."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest

import gov_disclosure as gd

AC = gd.ApplicantCounts
# The seven columns of section 三, from the catalogue (test_catalogue checks it against CELLS.md).
COLUMNS = tuple(c.key for c in gd.catalogue("2021").table("t3").parts[0].columns)


def row(
    natural_person: int = 0, commercial: int = 0, total: int | None = None
) -> gd.ApplicantCounts:
    """A section 三 row with two non-zero columns; ``total`` as printed (their sum unless given)."""
    return AC(
        natural_person=natural_person,
        commercial=commercial,
        research=0,
        social_welfare=0,
        legal_service=0,
        other_org=0,
        total=natural_person + commercial if total is None else total,
    )


def requests_2021(**changes: Any) -> gd.Requests:
    """
    A balanced 2021 section 三, written out cell by cell.

    new 5/2 (total 7) + carried over 1/0 (1) = 8
    outcomes: granted 3/0, partial 0/1, deny.third_party 1/0, other.unpaid_fee 1/0 -> 5/1 (6)
    carried forward 1/1 (2); 6 + 2 = 8.
    """
    base: dict[str, Any] = {
        "new_received": row(5, 2),
        "carried_over": row(1, 0),
        "granted": row(3, 0),
        "partial": row(0, 1),
        "deny": gd.Denials(third_party=row(1, 0)),
        "other": gd.OtherHandling(unpaid_fee=row(1, 0)),
        "total_processed": row(5, 1),
        "carried_forward": row(1, 1),
    }
    return gd.Requests(**{**base, **changes})


def report_2021(**changes: Any) -> gd.AnnualReport:
    """A clean 2021 report: the section 三 above, one reconsideration group, fees mentioned in 六."""
    base: dict[str, Any] = {
        "agency": "某县科技和工业信息化局",
        "year": 2021,
        "requests": requests_2021(),
        "appeals": gd.Appeals(
            review=gd.AppealCounts(upheld=1, corrected=0, other=0, pending=1, total=2)
        ),
        "other_matters": gd.OtherMatters(paragraphs=("本年度未收取信息处理费。",)),
    }
    return gd.AnnualReport(**{**base, **changes})


def report_2019(**changes: Any) -> gd.AnnualReport:
    """A clean 2019-edition report (year 2020): one granted application and its 2019 （六） row."""
    base: dict[str, Any] = {
        "agency": "某市人民政府办公室",
        "year": 2020,
        "requests": gd.Requests(
            new_received=row(3, 0),
            granted=row(2, 0),
            other=row(1, 0),
            total_processed=row(3, 0),
            carried_forward=row(0, 0),
        ),
    }
    return gd.AnnualReport(**{**base, **changes})


def summary(findings: list[gd.Finding]) -> list[tuple[str, str, Any, Any]]:
    """(rule, subject, expected, actual) of each finding, in order."""
    return [(f.rule, f.subject, f.expected, f.actual) for f in findings]


def t3(row_key: str, *columns: str) -> set[str]:
    """The section 三 keys of one row and some columns."""
    return {f"t3.{row_key}.{c}" for c in columns}


class TestClean:
    def test_hand_built_reports_are_clean(self) -> None:
        """The hand-built reports of this module satisfy every rule (the baseline of the tests below)."""
        assert gd.check(report_2021()) == []
        assert gd.check(report_2019()) == []

    def test_empty_reports_are_clean(self) -> None:
        """An all-zero report of either edition has no findings."""
        assert gd.check(gd.AnnualReport(agency="某局", year=2020)) == []
        assert gd.check(gd.AnnualReport(agency="某局", year=2021)) == []


class TestBalance:
    def test_h1_broken_in_one_column(self) -> None:
        """H1: carried forward 2 natural persons instead of 1 breaks that column and the total column."""
        r = report_2021(requests=requests_2021(carried_forward=row(2, 1)))
        # natural persons: new 5 + over 1 = 6; outcomes 5 + forward 2 = 7.
        # total: 7 + 1 = 8; 6 + 3 = 9.
        assert summary(gd.check(r)) == [
            ("requests.balance", "natural_person", 6, 7),
            ("requests.balance", "total", 8, 9),
        ]

    def test_h1_cells(self) -> None:
        """An H1 finding names the four cells of its column, in reading order."""
        r = report_2021(requests=requests_2021(carried_forward=row(2, 1)))
        first = gd.check(r)[0]
        assert first.cells == (
            "t3.new_received.natural_person",
            "t3.carried_over.natural_person",
            "t3.total_processed.natural_person",
            "t3.carried_forward.natural_person",
        )
        assert first.severity is gd.Severity.ERROR
        assert first.years == (2021,)


class TestOutcomeTotal:
    def test_a2_broken_with_h1(self) -> None:
        """A2: （七）总计 printed 4/1 (5) for outcomes 5/1 (6) breaks A2 and H1; H1 comes first (rules order)."""
        r = report_2021(requests=requests_2021(total_processed=row(4, 1)))
        assert summary(gd.check(r)) == [
            # H1: 5 + 1 = 6 vs 4 + 1 = 5; total 7 + 1 = 8 vs 5 + 2 = 7.
            ("requests.balance", "natural_person", 6, 5),
            ("requests.balance", "total", 8, 7),
            # A2: granted 3 + deny 1 + unpaid fee 1 = 5 vs 4; total 3 + 1 + 1 + 1 = 6 vs 5.
            ("requests.outcome_total", "natural_person", 5, 4),
            ("requests.outcome_total", "total", 6, 5),
        ]

    def test_a2_cells_cover_every_outcome_row(self) -> None:
        """An A2 finding names the column's cell in each outcome row （一）…（六） and in （七）总计."""
        r = report_2021(requests=requests_2021(total_processed=row(4, 1)))
        f = next(f for f in gd.check(r) if f.rule == "requests.outcome_total")
        outcome_rows = (
            ["granted", "partial"]
            + [
                f"deny.{n}"
                for n in (
                    "state_secret",
                    "prohibited_by_law",
                    "three_safety_one_stability",
                    "third_party",
                    "internal_affairs",
                    "process_info",
                    "enforcement_file",
                    "query_matter",
                )
            ]
            + [f"unable.{n}" for n in ("not_held", "needs_creation", "unclear_after_correction")]
            + [
                f"not_processed.{n}"
                for n in ("petition", "duplicate", "publication", "excessive", "confirm_existing")
            ]
            + [f"other.{n}" for n in ("no_correction", "unpaid_fee", "other")]
            + ["total_processed"]
        )
        assert f.cells == tuple(f"t3.{r}.natural_person" for r in outcome_rows)

    def test_a2_2019_single_other_row(self) -> None:
        """In the 2019 edition （六）其他处理 is one row that counts in A2."""
        r = report_2019()
        bad = attrs.evolve(r, requests=attrs.evolve(r.requests, other=row(2, 0)))
        # outcomes 2 + 2 = 4 vs （七） 3, in the natural person and total columns.
        assert summary(gd.check(bad)) == [
            ("requests.outcome_total", "natural_person", 4, 3),
            ("requests.outcome_total", "total", 4, 3),
        ]
        assert "t3.other.natural_person" in gd.check(bad)[0].cells


class TestRowTotal:
    def test_a1_row_total(self) -> None:
        """A1: granted printed with total 4 for parts 3 gives a row finding and the A2 total-column one."""
        r = report_2021(requests=requests_2021(granted=row(3, 0, total=4)))
        assert summary(gd.check(r)) == [
            # total column outcomes: 4 + 1 + 1 + 1 = 7 vs （七）总计 6.
            ("requests.outcome_total", "total", 7, 6),
            ("requests.row_total", "granted", 3, 4),
        ]
        f = gd.check(r)[1]
        assert set(f.cells) == t3("granted", *COLUMNS)

    def test_a1_rows_in_reading_order(self) -> None:
        """Several broken rows are reported top to bottom."""
        r = report_2021(
            requests=requests_2021(
                carried_forward=row(1, 1, total=3),
                new_received=row(5, 2, total=8),
                deny=gd.Denials(third_party=row(1, 0, total=0)),
            )
        )
        rows = [f.subject for f in gd.check(r) if f.rule == "requests.row_total"]
        assert rows == ["new_received", "deny.third_party", "carried_forward"]


class TestAppeals:
    def test_a3(self) -> None:
        """A3: a group's total must be upheld + corrected + other + pending."""
        bad = gd.Appeals(
            review=gd.AppealCounts(upheld=1, corrected=0, other=0, pending=1, total=3),
            litigation_after_review=gd.AppealCounts(
                upheld=0, corrected=2, other=1, pending=0, total=0
            ),
        )
        findings = gd.check(report_2021(appeals=bad))
        assert summary(findings) == [
            ("appeals.total", "review", 2, 3),
            ("appeals.total", "litigation_after_review", 3, 0),
        ]
        assert findings[1].cells == tuple(
            f"t4.litigation_after_review.{p}"
            for p in ("upheld", "corrected", "other", "pending", "total")
        )


class TestBlankTotals:
    def test_s9_blank_row_total(self) -> None:
        """S9: a blank 总计 next to non-zero parts warns with the inferred total and marks the blank cell."""
        r = report_2021(
            requests=requests_2021(granted=row(3, 0, total=0)),
            blank_cells={"t3.granted.total"},
        )
        findings = gd.check(r)
        assert summary(findings) == [
            # total column outcomes 0 + 1 + 1 + 1 = 3 vs 6.
            ("requests.outcome_total", "total", 3, 6),
            ("requests.row_total", "granted", 3, 0),
            ("requests.blank_total", "granted", 3, 0),
        ]
        assert [f.blank_cells for f in findings] == [("t3.granted.total",)] * 3
        assert findings[2].severity is gd.Severity.WARNING
        assert "t3.granted.total" in findings[2].message

    def test_s9_blank_zero_row_is_fine(self) -> None:
        """A blank total on a row whose parts are all zero is no finding."""
        assert (
            gd.check(
                report_2021(blank_cells={"t3.deny.state_secret.total", "t3.unable.not_held.total"})
            )
            == []
        )

    def test_s9_appeals(self) -> None:
        """S9 in section 四: a blank group total next to parts."""
        r = report_2021(
            appeals=gd.Appeals(
                review=gd.AppealCounts(upheld=1, corrected=0, other=0, pending=1, total=0)
            ),
            blank_cells={"t4.review.total"},
        )
        assert summary(gd.check(r)) == [
            ("appeals.total", "review", 2, 0),
            ("appeals.blank_total", "review", 2, 0),
        ]

    def test_blank_cells_only_among_the_equation(self) -> None:
        """A finding lists as blank only the blank cells of its own equation."""
        r = report_2021(
            appeals=gd.Appeals(
                review=gd.AppealCounts(upheld=1, corrected=0, other=0, pending=1, total=3)
            ),
            blank_cells={"t3.partial.research"},
        )
        (f,) = gd.check(r)
        assert f.blank_cells == ()


class TestSoftRules:
    def test_s5_unpaid_fee_without_mention(self) -> None:
        """S5: applications dropped for an unpaid fee, but section 六 silent on 信息处理费: a warning."""
        r = report_2021(other_matters=gd.OtherMatters(paragraphs=("无。",)))
        (f,) = gd.check(r)
        assert (f.rule, f.severity, f.cells, f.actual) == (
            "requests.unpaid_fee_mention",
            gd.Severity.WARNING,
            ("t3.other.unpaid_fee.total",),
            1,
        )

    def test_s5_satisfied_by_figures(self) -> None:
        """Stated 信息处理费 figures count as the mention."""
        fees = gd.OtherMatters(fees=gd.InformationFees(notices=1))
        assert gd.check(report_2021(other_matters=fees)) == []

    def test_s5_not_in_2019(self) -> None:
        """The 2019 edition has no fee row, so S5 never fires there."""
        assert "requests.unpaid_fee_mention" not in {f.rule for f in gd.check(report_2019())}

    @pytest.mark.parametrize(
        ("amount", "warn"),
        [
            (Decimal("250000"), True),
            (Decimal("100000.00"), True),
            (Decimal("99999"), False),
            (Decimal("250000.5"), False),
            (Decimal("12.34"), False),
        ],
    )
    def test_s6_fee_unit(self, amount: Decimal, warn: bool) -> None:
        """S6: a whole fee amount of 100000 万元 or more suggests it was entered in 元."""
        r = report_2021(proactive=gd.Proactive2021(fees=gd.FeeAmount(amount=amount)))
        found = [f for f in gd.check(r) if f.rule == "proactive.fee_unit"]
        assert [(f.cells, f.actual) for f in found] == (
            [(("t2.fees.amount",), amount)] if warn else []
        )

    def test_s4_within_year(self) -> None:
        """S4 (2019 edition): 对外公开总数量 below 本年新公开数量 warns for that row."""
        docs = gd.Documents2019(new_made=4, new_published=5, total_published=3)
        r = report_2019(proactive=gd.Proactive2019(normative_documents=docs))
        (f,) = gd.check(r)
        assert (f.rule, f.subject, f.expected, f.actual, f.cells) == (
            "proactive.total_published",
            "normative_documents",
            5,
            3,
            ("t2.normative_documents.new_published", "t2.normative_documents.total_published"),
        )

    def test_s4_equal_is_fine(self) -> None:
        """A total equal to the newly published (a first year) is fine."""
        docs = gd.Documents2019(new_made=4, new_published=5, total_published=5)
        assert gd.check(report_2019(proactive=gd.Proactive2019(regulations=docs))) == []


class TestFindings:
    def test_never_stops_at_first(self) -> None:
        """Every broken equation is reported, across rules and sections."""
        r = report_2021(
            requests=requests_2021(carried_forward=row(2, 1), granted=row(3, 0, total=9)),
            appeals=gd.Appeals(
                review=gd.AppealCounts(upheld=1, corrected=0, other=0, pending=1, total=3)
            ),
        )
        rules = [f.rule for f in gd.check(r)]
        assert {
            "requests.balance",
            "requests.outcome_total",
            "requests.row_total",
            "appeals.total",
        } == set(rules)

    def test_order_is_rules_order(self) -> None:
        """Findings are grouped in the order of ``RULES``."""
        r = report_2021(
            requests=requests_2021(carried_forward=row(2, 1), granted=row(3, 0, total=9)),
            appeals=gd.Appeals(
                review=gd.AppealCounts(upheld=1, corrected=0, other=0, pending=1, total=3)
            ),
            other_matters=gd.OtherMatters(),
        )
        order = [r.id for r in gd.RULES]
        positions = [order.index(f.rule) for f in gd.check(r)]
        assert positions == sorted(positions)

    def test_deterministic(self) -> None:
        """Checking twice gives equal findings with equal messages."""
        r = report_2021(requests=requests_2021(total_processed=row(4, 1)))
        a, b = gd.check(r), gd.check(r)
        assert a == b
        assert [f.message for f in a] == [f.message for f in b]

    def test_message_names_rule_and_values(self) -> None:
        """The English message names the rule, the subject and both values."""
        r = report_2021(requests=requests_2021(carried_forward=row(2, 1)))
        msg = gd.check(r)[0].message
        for part in ("requests.balance", "natural_person", "6", "7"):
            assert part in msg

    def test_chinese_text(self) -> None:
        """``text("zh_Hans_CN")`` uses the official label of the subject (自然人 for natural_person)."""
        r = report_2021(requests=requests_2021(carried_forward=row(2, 1)))
        text = gd.check(r)[0].text("zh_Hans_CN")
        assert "自然人" in text
        assert "6" in text
        assert "7" in text

    def test_unsupported_locale(self) -> None:
        """An unsupported locale raises a ``GovDisclosureError`` naming it."""
        r = report_2021(requests=requests_2021(carried_forward=row(2, 1)))
        with pytest.raises(gd.GovDisclosureError, match="fr"):
            gd.check(r)[0].text("fr")


class TestRulesCatalogue:
    def test_ids_unique_and_lookup(self) -> None:
        """Rule ids are unique and ``rule(id)`` finds each; an unknown id raises KeyError."""
        ids = [r.id for r in gd.RULES]
        assert len(ids) == len(set(ids))
        for r in gd.RULES:
            assert gd.rule(r.id) is r
        with pytest.raises(KeyError):
            gd.rule("requests.nope")

    def test_bases_cover_the_spec(self) -> None:
        """The rules implement H1, A1-A3, A5, S1-S6 and S9 of FORMAT.md §9."""
        bases = {r.basis for r in gd.RULES}
        assert {"H1", "A1", "A2", "A3", "A5", "S1", "S2", "S3", "S4", "S5", "S6", "S9"} == bases

    def test_identities_are_errors_and_soft_rules_warnings(self) -> None:
        """Hard identities (H*, A1-A3) are errors; soft rules and continuity are warnings."""
        for r in gd.RULES:
            hard = r.basis in ("H1", "A1", "A2", "A3")
            assert (r.severity is gd.Severity.ERROR) == hard, r.id

    def test_descriptions_and_scopes(self) -> None:
        """Every rule has a Chinese and English description, a formula, a scope and editions."""
        for r in gd.RULES:
            assert r.description.zh
            assert r.description.en
            assert r.formula
            assert r.scope in ("report", "continuity")
            assert r.editions
            assert r.scope == ("continuity" if r.id.startswith("continuity.") else "report")

    def test_stable_ids(self) -> None:
        """The ids named in the foundation issue exist."""
        for id_ in (
            "requests.balance",
            "requests.row_total",
            "requests.outcome_total",
            "appeals.total",
        ):
            gd.rule(id_)


def docs21(issued: int, repealed: int, in_force: int) -> gd.Documents2021:
    """A 2021 规章/规范性文件 row."""
    return gd.Documents2021(issued=issued, repealed=repealed, in_force=in_force)


class TestContinuity:
    def test_2021_to_2022_clean(self) -> None:
        """Consecutive 2021-edition years that carry over and move documents consistently: no finding."""
        prev = report_2021(proactive=gd.Proactive2021(regulations=docs21(1, 0, 10)))
        cur = attrs.evolve(
            report_2021(year=2022, proactive=gd.Proactive2021(regulations=docs21(2, 1, 11))),
            requests=requests_2021(carried_over=row(1, 1), carried_forward=row(1, 2)),
        )
        # The current year's own identities hold too: new 5/2 + over 1/1 = outcomes 5/1 + forward 1/2.
        assert gd.check(cur) == []
        assert gd.continuity(prev, cur) == []

    def test_a5_carry_over(self) -> None:
        """A5: last year's 结转下年度 (1/1) is not this year's 上年结转 (1/0): the commercial and total columns warn."""
        prev = report_2021()
        cur = report_2021(year=2022)
        findings = gd.continuity(prev, cur)
        assert summary(findings) == [
            ("continuity.carried_over", "commercial", 1, 0),
            ("continuity.carried_over", "total", 2, 1),
        ]
        assert findings[0].years == (2021, 2022)
        # Reading order of the table (carried over is row 二, carried forward row 四).
        assert findings[0].cells == ("t3.carried_over.commercial", "t3.carried_forward.commercial")
        assert findings[0].severity is gd.Severity.WARNING

    def test_s1_s2(self) -> None:
        """S1: in force 10 + issued 2 - repealed 1 = 11, printed 12; S2: 20 repealed > 10 + 2 for normative documents."""
        prev = report_2021(
            proactive=gd.Proactive2021(
                regulations=docs21(0, 0, 10), normative_documents=docs21(0, 0, 10)
            ),
            requests=requests_2021(carried_forward=row(1, 0)),
        )
        cur = report_2021(
            year=2022,
            proactive=gd.Proactive2021(
                regulations=docs21(2, 1, 12), normative_documents=docs21(2, 20, 0)
            ),
        )
        findings = gd.continuity(prev, cur)
        assert summary(findings) == [
            ("continuity.in_force", "regulations", 11, 12),
            # 10 + 2 - 20 = -8 expected, 0 printed.
            ("continuity.in_force", "normative_documents", -8, 0),
            ("continuity.repealed", "normative_documents", 12, 20),
        ]
        assert findings[0].cells == (
            "t2.regulations.issued",
            "t2.regulations.repealed",
            "t2.regulations.in_force",
        )

    def test_2019_to_2020(self) -> None:
        """S3: items 10 and change -3 last year make 7, printed 8; S4: 20 published + 5 new = 25, printed 24."""
        prev = report_2019(
            year=2019,
            proactive=gd.Proactive2019(
                licensing=gd.Items2019(last_year_items=10, change=-3, decisions=0),
                regulations=gd.Documents2019(new_made=0, new_published=0, total_published=20),
            ),
        )
        cur = report_2019(
            proactive=gd.Proactive2019(
                licensing=gd.Items2019(last_year_items=8, change=0, decisions=0),
                regulations=gd.Documents2019(new_made=5, new_published=5, total_published=24),
            ),
        )
        findings = gd.continuity(prev, cur)
        assert summary(findings) == [
            ("continuity.last_year_items", "licensing", 7, 8),
            ("continuity.total_published", "regulations", 25, 24),
        ]
        assert findings[0].cells == ("t2.licensing.last_year_items", "t2.licensing.change")

    def test_2019_to_2020_clean(self) -> None:
        """Consistent 2019-edition years give no finding (fees row: 4 items - 1 = 3)."""
        prev = report_2019(
            year=2019,
            proactive=gd.Proactive2019(fees=gd.FeeItems2019(last_year_items=4, change=-1)),
        )
        cur = report_2019(
            proactive=gd.Proactive2019(fees=gd.FeeItems2019(last_year_items=3, change=0))
        )
        assert gd.continuity(prev, cur) == []

    def test_edition_change_only_carry_over(self) -> None:
        """2020 → 2021: section 二 counts different things, so only A5 is checked across the change."""
        prev = report_2019(
            proactive=gd.Proactive2019(
                regulations=gd.Documents2019(new_made=0, new_published=0, total_published=99),
                licensing=gd.Items2019(last_year_items=50, change=5, decisions=0),
            ),
            requests=gd.Requests(
                new_received=row(3, 0),
                granted=row(2, 0),
                other=row(0, 0),
                total_processed=row(2, 0),
                carried_forward=row(1, 0),
            ),
        )
        cur = report_2021(proactive=gd.Proactive2021(regulations=docs21(0, 5, 0)))
        # carried forward in 2020: 1/0 (1); carried over in 2021: 1/0 (1): balanced.
        assert gd.continuity(prev, cur) == []
        broken = report_2021(requests=requests_2021(carried_over=row(0, 0), new_received=row(6, 2)))
        assert summary(gd.continuity(prev, broken)) == [
            ("continuity.carried_over", "natural_person", 1, 0),
            ("continuity.carried_over", "total", 1, 0),
        ]

    @pytest.mark.parametrize(("y0", "y1"), [(2021, 2023), (2022, 2021), (2021, 2021)])
    def test_non_consecutive_years(self, y0: int, y1: int) -> None:
        """Years that are not consecutive raise ``InvalidValueError`` naming both years."""
        with pytest.raises(gd.InvalidValueError, match=str(y1)):
            gd.continuity(report_2021(year=y0), report_2021(year=y1))

    def test_order_and_determinism(self) -> None:
        """Continuity findings come in rules order and are the same on every call."""
        prev = report_2021(proactive=gd.Proactive2021(regulations=docs21(0, 0, 10)))
        cur = report_2021(year=2022, proactive=gd.Proactive2021(regulations=docs21(0, 20, 0)))
        a = gd.continuity(prev, cur)
        assert a == gd.continuity(prev, cur)
        order = [r.id for r in gd.RULES]
        assert [order.index(f.rule) for f in a] == sorted(order.index(f.rule) for f in a)
        assert {"continuity.carried_over", "continuity.in_force", "continuity.repealed"} == {
            f.rule for f in a
        }


class TestFindingObjects:
    """Findings are made cheaply by check(); they are the same objects the public constructor makes."""

    def _broken(self) -> gd.AnnualReport:
        return report_2021(
            requests=requests_2021(carried_forward=row(2, 1), granted=row(3, 0, total=9))
        )

    def test_same_as_constructed(self) -> None:
        """Every field is set, and the finding equals (and reprs as) one built by Finding(...)."""
        found = gd.check(self._broken())
        assert found
        for f in found:
            names = [a.alias or a.name for a in attrs.fields(gd.Finding)]
            built = gd.Finding(**{n: getattr(f, n) for n in names})
            assert built == f
            assert repr(built) == repr(f)
            assert hash(built) == hash(f)

    def test_message_written_when_read(self) -> None:
        """The English message is the template filled in, made on first read; a given message is kept."""
        f = gd.check(self._broken())[0]
        assert f.message.startswith(f"{f.rule} (")
        assert str(f.expected) in f.message
        assert str(f.actual) in f.message
        assert attrs.evolve(f, message="given").message == "given"
        custom = gd.Finding(
            rule="my.rule", severity=gd.Severity.ERROR, subject="x", cells=(), expected=1, actual=2
        )
        assert custom.message == ""  # no template for a rule the library does not know
