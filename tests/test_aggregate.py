"""Tests of gov_disclosure.aggregate(): the 汇总 of several reports, and tracing its findings."""

from __future__ import annotations

import doctest
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.strategies import BREAKABLE_RULES, broken_reports, reports


def _same_year(drawn: list[gd.AnnualReport]) -> list[gd.AnnualReport]:
    """Make drawn reports one year's reports of distinct agencies, with one procurement unit."""
    first = drawn[0]
    out = []
    for i, r in enumerate(drawn):
        r = attrs.evolve(r, agency=f"第{i}局", year=first.year)
        if isinstance(r.proactive, gd.Proactive2019):
            assert isinstance(first.proactive, gd.Proactive2019)
            unit = first.proactive.procurement.amount_unit
            proc = attrs.evolve(r.proactive.procurement, amount_unit=unit)
            r = attrs.evolve(r, proactive=attrs.evolve(r.proactive, procurement=proc))
        out.append(r)
    return out


@st.composite
def report_sets(draw: st.DrawFn, min_size: int = 1) -> list[gd.AnnualReport]:
    """One to five valid reports of one edition and year, from distinct agencies."""
    edition = draw(st.sampled_from(list(gd.Edition)))
    drawn = draw(st.lists(reports(edition, text=False), min_size=min_size, max_size=5))
    return _same_year(drawn)


def _errors(findings: list[gd.Finding]) -> list[gd.Finding]:
    return [f for f in findings if f.severity is gd.Severity.ERROR]


def _with_requests(agency: str, year: int, natural_person: int) -> gd.AnnualReport:
    other: gd.ApplicantCounts | gd.OtherHandling = (
        gd.ApplicantCounts.zero() if year < 2021 else gd.OtherHandling()
    )
    row = gd.ApplicantCounts.of(natural_person=natural_person)
    return gd.AnnualReport(
        agency=agency,
        year=year,
        requests=gd.Requests.of(new_received=row, granted=row, other=other),
    )


def _with_procurement(agency: str, amount: str, unit: str | None) -> gd.AnnualReport:
    r = gd.AnnualReport(agency=agency, year=2019)
    assert isinstance(r.proactive, gd.Proactive2019)
    proc = gd.Procurement2019(items=1, amount=Decimal(amount), amount_unit=unit)
    return attrs.evolve(r, proactive=attrs.evolve(r.proactive, procurement=proc))


class TestSum:
    @given(report_sets())
    def test_cells_are_per_key_sums(self, rs: list[gd.AnnualReport]) -> None:
        """Every cell of the sum is the sum of that cell over the contributors."""
        total = gd.aggregate(rs, agency="某市（汇总）")
        got = gd.cells(total)
        per_report = [gd.cells(r) for r in rs]
        for key, cell in gd.catalogue(rs[0].edition).cells.items():
            if cell.optional:
                if all(key in c for c in per_report):
                    assert sum(c[key] for c in per_report) == got[key], key
                else:
                    assert key not in got, key
            else:
                assert sum(c[key] for c in per_report) == got[key], key

    @given(report_sets())
    def test_sum_of_valid_reports_is_valid(self, rs: list[gd.AnnualReport]) -> None:
        """Adding up reports whose identities hold gives a report whose identities hold."""
        total = gd.aggregate(rs, agency="某市（汇总）")
        assert _errors(gd.check(total)) == []

    @given(report_sets())
    def test_is_a_report_of_the_year(self, rs: list[gd.AnnualReport]) -> None:
        """The sum is a report of the contributors' year and edition, under the caller's agency, without narratives."""
        total = gd.aggregate(rs, agency="某市（汇总）")
        assert isinstance(total, gd.AnnualReport)
        assert (total.agency, total.year, total.edition) == (
            "某市（汇总）",
            rs[0].year,
            rs[0].edition,
        )
        assert total.general == gd.General()
        assert total.problems == gd.Problems()
        assert total.other_matters.paragraphs == ()
        assert total.preamble == ()
        assert total.contributors == tuple(rs)

    def test_example_numbers(self) -> None:
        """Three agencies' granted applications add up to the printed sum."""
        rs = [_with_requests(a, 2022, n) for a, n in (("甲局", 3), ("乙局", 40), ("丙局", 0))]
        total = gd.aggregate(rs, agency="某县人民政府（汇总）")
        assert total.requests.granted.natural_person == 43
        assert total.requests.new_received.total == 43
        assert gd.check(total) == []

    def test_single_report(self) -> None:
        """The sum of one report has that report's cells."""
        r = _with_requests("甲局", 2021, 7)
        assert gd.cells(gd.aggregate([r], agency="汇总")) == gd.cells(r)

    def test_accepts_any_iterable(self) -> None:
        """A generator of reports is accepted, and its reports are kept as contributors."""
        rs = [_with_requests(a, 2021, 1) for a in ("甲局", "乙局")]
        total = gd.aggregate((r for r in rs), agency="汇总")
        assert total.requests.granted.total == 2
        assert total.contributors == tuple(rs)

    def test_narratives_supplied_by_the_caller(self) -> None:
        """Narratives are not summed: the sum carries exactly what the caller passes."""
        rs = [
            attrs.evolve(
                _with_requests(a, 2021, 1), general=gd.General(paragraphs=(f"{a}的总体情况。",))
            )
            for a in ("甲局", "乙局")
        ]
        general = gd.General(paragraphs=("全市总体情况。",))
        total = gd.aggregate(
            rs,
            agency="汇总",
            preamble=["依据条例编制。"],
            general=general,
            problems=gd.Problems(paragraphs=("问题。",)),
            other_matters=["无。"],
        )
        assert total.general == general
        assert total.preamble == ("依据条例编制。",)
        assert total.problems.paragraphs == ("问题。",)
        assert total.other_matters.paragraphs == ("无。",)

    def test_report_property_is_a_plain_report(self) -> None:
        """``Aggregate.report`` is a plain AnnualReport with the same fields."""
        total = gd.aggregate([_with_requests("甲局", 2021, 2)], agency="汇总")
        plain = total.report
        assert type(plain) is gd.AnnualReport
        assert gd.cells(plain) == gd.cells(total)
        assert plain.agency == "汇总"


class TestAsAReport:
    def test_serializes_as_its_report(self) -> None:
        """The JSON document of a sum is its plain report's (contributors are not serialized), and reads back."""
        total = gd.aggregate([_with_requests(a, 2021, 2) for a in ("甲局", "乙局")], agency="汇总")
        assert gd.to_json(total) == gd.to_json(total.report)
        assert gd.from_json(gd.to_json(total)) == total.report

    def test_renders_as_its_report(self) -> None:
        """Rendering a sum gives what rendering its plain report gives."""
        total = gd.aggregate([_with_requests(a, 2021, 2) for a in ("甲局", "乙局")], agency="汇总")
        assert gd.render(total, "markdown") == gd.render(total.report, "markdown")
        assert "汇总" in gd.render(total, "text")


class TestMoney:
    def test_money_adds_exactly(self) -> None:
        """Amounts add as Decimals, exactly, even beyond the default 28-digit precision."""
        big = Decimal("99999999999999999.123456789012")  # 29 digits
        rs = [
            attrs.evolve(
                gd.AnnualReport(agency=a, year=2021),
                proactive=gd.Proactive2021(fees=gd.FeeAmount(amount=amount)),
            )
            for a, amount in (("甲局", big), ("乙局", Decimal("0.1")), ("丙局", Decimal("0.2")))
        ]
        total = gd.aggregate(rs, agency="汇总")
        assert isinstance(total.proactive, gd.Proactive2021)
        assert total.proactive.fees.amount == Decimal("99999999999999999.423456789012")

    def test_units_converted_exactly(self) -> None:
        """A procurement amount in 元 and one in 万元 add up in 万元, exactly."""
        total = gd.aggregate(
            [_with_procurement("甲局", "251000", "元"), _with_procurement("乙局", "10", "万元")],
            agency="汇总",
        )
        assert isinstance(total.proactive, gd.Proactive2019)
        assert total.proactive.procurement.amount == Decimal("35.1")
        assert total.proactive.procurement.amount_unit == "万元"

    def test_hundred_million_yuan_converted_exactly(self) -> None:
        """An amount in 亿元 (a city's procurement) adds to one in 万元 exactly, in 万元."""
        total = gd.aggregate(
            [_with_procurement("甲局", "3.2", "亿元"), _with_procurement("乙局", "500", "万元")],
            agency="汇总",
        )
        assert isinstance(total.proactive, gd.Proactive2019)
        assert total.proactive.procurement.amount == Decimal("32500")
        assert total.proactive.procurement.amount_unit == "万元"

    def test_same_unit_is_kept(self) -> None:
        """Amounts all printed in 元 add up in 元."""
        total = gd.aggregate(
            [_with_procurement("甲局", "100", "元"), _with_procurement("乙局", "23.5", "元")],
            agency="汇总",
        )
        assert isinstance(total.proactive, gd.Proactive2019)
        assert total.proactive.procurement.amount == Decimal("123.5")
        assert total.proactive.procurement.amount_unit == "元"

    def test_unknown_unit_next_to_a_stated_one_is_refused(self) -> None:
        """An amount without a unit cannot be added to one in 元: the report without it is named."""
        with pytest.raises(gd.ReportsError, match=r"reports\[1\] \(乙局\).*without a unit") as e:
            gd.aggregate(
                [_with_procurement("甲局", "100", "元"), _with_procurement("乙局", "5", None)],
                agency="汇总",
            )
        assert (e.value.index, e.value.agency, e.value.other_index) == (1, "乙局", 0)

    def test_zero_amount_has_no_unit_problem(self) -> None:
        """A zero amount without a unit adds to one with a unit."""
        total = gd.aggregate(
            [_with_procurement("甲局", "100", "元"), _with_procurement("乙局", "0", None)],
            agency="汇总",
        )
        assert isinstance(total.proactive, gd.Proactive2019)
        assert (total.proactive.procurement.amount, total.proactive.procurement.amount_unit) == (
            Decimal(100),
            "元",
        )

    def test_unconvertible_unit_is_refused(self) -> None:
        """A unit the library cannot convert is refused when units differ."""
        with pytest.raises(gd.ReportsError, match="千元"):
            gd.aggregate(
                [_with_procurement("甲局", "100", "元"), _with_procurement("乙局", "5", "千元")],
                agency="汇总",
            )


class TestOptionalAndBlank:
    def test_fee_figures_stated_by_all_add_up(self) -> None:
        """Section 六 fee figures stated by every contributor are summed."""
        rs = [
            attrs.evolve(
                gd.AnnualReport(agency=a, year=2021),
                other_matters=gd.OtherMatters(
                    fees=gd.InformationFees(notices=n, collected_amount=Decimal(m))
                ),
            )
            for a, n, m in (("甲局", 2, "400"), ("乙局", 1, "100.5"))
        ]
        total = gd.aggregate(rs, agency="汇总")
        assert total.other_matters.fees == gd.InformationFees(
            notices=3, collected_amount=Decimal("500.5")
        )
        assert total.unstated == frozenset()

    def test_fee_figures_stated_by_some_are_left_out(self) -> None:
        """A fee figure some contributors leave out is not summed over the others, and is listed."""
        stated = attrs.evolve(
            gd.AnnualReport(agency="甲局", year=2021),
            other_matters=gd.OtherMatters(fees=gd.InformationFees(notices=2)),
        )
        silent = gd.AnnualReport(agency="乙局", year=2021)
        total = gd.aggregate([stated, silent], agency="汇总")
        assert "t6.fees.notices" not in gd.cells(total)
        assert total.other_matters.fees is None
        assert total.unstated == {"t6.fees.notices"}

    def test_blank_only_when_blank_everywhere(self) -> None:
        """A cell of the sum is blank only when every contributor printed it blank."""
        a = attrs.evolve(
            gd.AnnualReport(agency="甲局", year=2021),
            blank_cells={"t3.granted.total", "t3.partial.total"},
        )
        b = attrs.evolve(
            gd.AnnualReport(agency="乙局", year=2021), blank_cells={"t3.granted.total"}
        )
        total = gd.aggregate([a, b], agency="汇总")
        assert total.blank_cells == {"t3.granted.total"}


class TestRefused:
    def test_empty(self) -> None:
        """An empty list is refused: it has no year or edition to add up in."""
        with pytest.raises(gd.ReportsError, match="no reports"):
            gd.aggregate([], agency="汇总")

    def test_mixed_years(self) -> None:
        """A report of another year is named by position and agency."""
        rs = [_with_requests("甲局", 2021, 1), _with_requests("乙局", 2022, 1)]
        with pytest.raises(gd.ReportsError, match=r"reports\[1\] \(乙局\) is year 2022") as e:
            gd.aggregate(rs, agency="汇总")
        assert (e.value.index, e.value.agency) == (1, "乙局")
        assert isinstance(e.value, ValueError)

    def test_mixed_editions(self) -> None:
        """A report of the same year in the other edition is refused, not half-added."""
        old = gd.AnnualReport(agency="乙局", year=2021, edition=gd.Edition.V2019)
        with pytest.raises(gd.ReportsError, match=r"reports\[1\] \(乙局\).*edition 2019"):
            gd.aggregate([gd.AnnualReport(agency="甲局", year=2021), old], agency="汇总")

    def test_duplicates_refused(self) -> None:
        """The same agency and year twice is refused, naming both positions."""
        r = _with_requests("甲局", 2021, 1)
        with pytest.raises(gd.ReportsError, match=r"reports\[2\] \(甲局\) repeats reports\[0\]"):
            gd.aggregate([r, _with_requests("乙局", 2021, 1), r], agency="汇总")

    def test_duplicates_allowed(self) -> None:
        """With allow_duplicates, both copies count."""
        r = _with_requests("甲局", 2021, 1)
        total = gd.aggregate([r, r], agency="汇总", allow_duplicates=True)
        assert total.requests.granted.total == 2

    @pytest.mark.parametrize(
        ("given", "what"),
        [(None, "got NoneType None"), (3, "got int 3"), ("甲局", "got str '甲局'")],
    )
    def test_not_a_collection(self, given: object, what: str) -> None:
        """None or another non-collection is a ReportsError naming the argument, not a TypeError."""
        with pytest.raises(gd.ReportsError, match=rf"aggregate\(reports\): .*{what}"):
            gd.aggregate(given, agency="汇总")  # type: ignore[arg-type]

    def test_single_report(self) -> None:
        """One report passed without a list is refused with the way to pass it."""
        with pytest.raises(gd.ReportsError, match=r"single report \(甲局, 2021\).*\[report\]"):
            gd.aggregate(_with_requests("甲局", 2021, 1), agency="汇总")  # type: ignore[arg-type]

    def test_not_a_report(self) -> None:
        """An item that is not a report is refused with its position."""
        items: list[object] = [gd.AnnualReport(agency="甲局", year=2021), "x"]
        with pytest.raises(gd.InvalidTypeError, match=r"reports\[1\]"):
            gd.aggregate(items, agency="汇总")  # type: ignore[arg-type]


class TestExtraRows:
    def _with_extra(self, agency: str, *rows: tuple[str, str, tuple[str, ...]]) -> gd.AnnualReport:
        return attrs.evolve(
            _with_requests(agency, 2021, 1),
            extra_rows=[gd.ExtraRow(table=t, label=label, values=v) for t, label, v in rows],
        )

    def test_carried_over_tagged_by_agency(self) -> None:
        """The contributors' extra rows are in the sum, in input order, labels prefixed by the agency."""
        a = self._with_extra("甲局", ("t3", "其中：来电咨询", ("4",)), ("t4", "备注", ("无",)))
        b = _with_requests("乙局", 2021, 1)
        c = self._with_extra("丙局", ("t3", "其中：来电咨询", ("1", "2")))
        total = gd.aggregate([a, b, c], agency="汇总")
        assert [(e.table, e.label, e.values) for e in total.extra_rows] == [
            ("t3", "甲局：其中：来电咨询", ("4",)),
            ("t4", "甲局：备注", ("无",)),
            ("t3", "丙局：其中：来电咨询", ("1", "2")),
        ]
        assert gd.from_json(gd.to_json(total)).extra_rows == total.extra_rows

    def test_caller_gives_the_sums_own(self) -> None:
        """extra_rows= replaces the carried rows; () gives none."""
        a = self._with_extra("甲局", ("t3", "来电咨询", ("4",)))
        own = gd.ExtraRow(table="t3", label="全市来电咨询", values=("9",))
        assert gd.aggregate([a], agency="汇总", extra_rows=[own]).extra_rows == (own,)
        assert gd.aggregate([a], agency="汇总", extra_rows=()).extra_rows == ()

    def test_no_extra_rows(self) -> None:
        """Contributors without extra rows give a sum without them."""
        total = gd.aggregate([_with_requests(a, 2021, 1) for a in ("甲局", "乙局")], agency="汇总")
        assert total.extra_rows == ()


class TestGuide:
    def test_supervising_guide_examples_run(self) -> None:
        """The examples of the supervising offices' guide run and print what the guide shows."""
        guide = Path(__file__).resolve().parents[1] / "docs" / "guides" / "supervising.md"
        result = doctest.testfile(
            str(guide),
            module_relative=False,
            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
            encoding="utf-8",
            verbose=False,
            report=True,
        )
        assert result.attempted > 10
        assert result.failed == 0


class TestTrace:
    @given(
        st.sampled_from(BREAKABLE_RULES),
        st.sampled_from(list(gd.Edition)),
        st.integers(0, 3),
        st.data(),
    )
    def test_error_traced_to_the_broken_report(
        self, rule: str, edition: gd.Edition, position: int, data: st.DataObject
    ) -> None:
        """Every error on the sum names the one contributor that breaks the identity, and only it."""
        valid = data.draw(st.lists(reports(edition, text=False), min_size=3, max_size=3))
        broken = data.draw(broken_reports(rule, edition))
        rs = _same_year([*valid[:position], broken, *valid[position:]])
        total = gd.aggregate(rs, agency="汇总")
        traced = [t for t in total.trace() if t.finding.severity is gd.Severity.ERROR]
        assert rule in {t.finding.rule for t in traced}
        for t in traced:
            assert [c.index for c in t.contributions] == [position]
            assert t.contributions[0].agency == f"第{position}局"
            assert t.contributions[0].finding.rule == t.finding.rule
            assert t.contributions[0].finding.subject == t.finding.subject
            assert f"reports[{position}]" in t.message

    @given(
        st.sampled_from(BREAKABLE_RULES),
        st.sampled_from(list(gd.Edition)),
        st.integers(0, 3),
        st.data(),
    )
    def test_check_of_the_sum_names_the_contributors(
        self, rule: str, edition: gd.Edition, position: int, data: st.DataObject
    ) -> None:
        """gd.check(total) itself says, in each error, which contributor breaks it and how."""
        valid = data.draw(st.lists(reports(edition, text=False), min_size=3, max_size=3))
        broken = data.draw(broken_reports(rule, edition))
        rs = _same_year([*valid[:position], broken, *valid[position:]])
        errors = _errors(gd.check(gd.aggregate(rs, agency="汇总")))
        assert rule in {f.rule for f in errors}
        own = {(g.rule, g.subject): g for g in gd.check(rs[position])}
        for f in errors:
            assert not f.from_sum
            assert [(c.index, c.agency) for c in f.contributions] == [(position, f"第{position}局")]
            assert f.contributions[0].finding == own[(f.rule, f.subject)]
            assert f"reports[{position}] 第{position}局" in f.message

    def test_check_of_a_single_report_has_no_contributions(self) -> None:
        """On a plain report findings carry no contributions and messages no contributor part."""
        ok = _with_requests("甲局", 2021, 2)
        bad = attrs.evolve(
            ok, requests=attrs.evolve(ok.requests, total_processed=gd.ApplicantCounts.of())
        )
        findings = gd.check(bad)
        assert findings
        assert all(f.contributions is None and not f.from_sum for f in findings)
        assert not any("[" in f.message for f in findings)

    def test_sum_of_sums_traces_down_to_the_agency(self) -> None:
        """A province's sum of city sums names the city, whose own finding names the agency."""
        ok = _with_requests("甲局", 2021, 2)
        bad = attrs.evolve(
            ok,
            agency="乙局",
            requests=attrs.evolve(ok.requests, total_processed=gd.ApplicantCounts.of()),
        )
        city_a = gd.aggregate([ok, bad], agency="甲市（汇总）")
        city_b = gd.aggregate([attrs.evolve(ok, agency="丙局")], agency="乙市（汇总）")
        province = gd.aggregate([city_b, city_a], agency="某省（汇总）")
        f = _errors(gd.check(province))[0]
        (c,) = f.contributions
        assert (c.index, c.agency) == (1, "甲市（汇总）")
        assert [(d.index, d.agency) for d in c.finding.contributions] == [(1, "乙局")]

    def test_message_names_a_few_and_counts_the_rest(self) -> None:
        """With many contributors at fault the message names three and counts the others; the field has all."""
        ok = _with_requests("甲局", 2021, 2)
        rs = [
            attrs.evolve(
                ok,
                agency=f"第{i}局",
                requests=attrs.evolve(ok.requests, total_processed=gd.ApplicantCounts.of()),
            )
            for i in range(7)
        ]
        f = _errors(gd.check(gd.aggregate(rs, agency="汇总")))[0]
        assert [c.index for c in f.contributions] == list(range(7))
        assert "reports[2] 第2局" in f.message
        assert "reports[3]" not in f.message
        assert f.message.endswith("; and 4 more]")

    @pytest.mark.parametrize(
        ("locale", "words"),
        [
            ("zh_Hans_CN", ("出错的报告", "应为 2，实为 0")),
            ("zh_Hant_TW", ("出錯的報告", "應為 2，實為 0")),
        ],
    )
    def test_chinese_text_names_the_contributors(self, locale: str, words: tuple[str, str]) -> None:
        """Finding.text in Chinese names the contributor at fault (numbered from 1) and its numbers."""
        ok = _with_requests("甲局", 2021, 2)
        bad = attrs.evolve(
            ok,
            agency="乙局",
            requests=attrs.evolve(ok.requests, total_processed=gd.ApplicantCounts.of()),
        )
        f = _errors(gd.check(gd.aggregate([ok, bad], agency="汇总")))[0]
        assert (f.contributions[0].finding.expected, f.contributions[0].finding.actual) == (2, 0)
        text = f.text(locale)
        assert all(w in text for w in words), text
        assert "第2份 乙局" in text
        assert "甲局" not in text
        assert words[0] not in gd.check(bad)[0].text(locale)  # a single report: no note

    def test_chinese_text_of_a_finding_from_the_sum_itself(self) -> None:
        """A finding no contributor causes says so in Chinese too."""
        rs = [
            attrs.evolve(
                gd.AnnualReport(agency=a, year=2021),
                proactive=gd.Proactive2021(fees=gd.FeeAmount(amount=Decimal(60000))),
            )
            for a in ("甲局", "乙局")
        ]
        (f,) = gd.check(gd.aggregate(rs, agency="汇总"))
        assert f.from_sum
        assert "没有一份报告单独违反此规则" in f.text("zh_Hans_CN")
        assert "由彙總本身產生" in f.text("zh_Hant_TW")

    def test_check_accepts_the_aggregate(self) -> None:
        """gd.check works on the sum as on any report, and trace keeps its order."""
        ok = _with_requests("甲局", 2021, 2)
        bad = attrs.evolve(
            ok,
            agency="乙局",
            requests=attrs.evolve(
                ok.requests, total_processed=gd.ApplicantCounts.of(natural_person=5)
            ),
        )
        total = gd.aggregate([ok, bad], agency="汇总")
        findings = gd.check(total)
        assert findings
        traced = total.trace(findings)
        assert [t.finding for t in traced] == findings
        assert all([c.agency for c in t.contributions] == ["乙局"] for t in traced)

    def test_threshold_crossed_by_the_sum(self) -> None:
        """A soft rule triggered only by the size of the sum has no contributor: from_sum."""
        rs = [
            attrs.evolve(
                gd.AnnualReport(agency=a, year=2021),
                proactive=gd.Proactive2021(fees=gd.FeeAmount(amount=Decimal(60000))),
            )
            for a in ("甲局", "乙局")
        ]
        assert [f.rule for f in gd.check(rs[0])] == []
        traced = gd.aggregate(rs, agency="汇总").trace()
        assert [(t.finding.rule, t.from_sum) for t in traced] == [("proactive.fee_unit", True)]
        assert "no contributing report" in traced[0].message

    def test_trace_of_checked_findings_says_things_once(self) -> None:
        """trace(check(total)) neither re-checks nor repeats the note a finding already carries."""
        rs = [
            attrs.evolve(
                gd.AnnualReport(agency=a, year=2021),
                proactive=gd.Proactive2021(fees=gd.FeeAmount(amount=Decimal(60000))),
            )
            for a in ("甲局", "乙局")
        ]
        total = gd.aggregate(rs, agency="汇总")
        (f,) = gd.check(total)
        assert f.contributions == ()
        assert f.from_sum
        (t,) = total.trace([f])
        assert t.message.count("no contributing report") == 1
        assert t.finding is f
