"""Tests of gov_disclosure.compare(): per-cell year-over-year change across editions."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.strategies import reports

_OTHER_2021 = ("no_correction", "unpaid_fee", "other")


def _r2020(natural_person: int, other: int) -> gd.AnnualReport:
    row = gd.ApplicantCounts.of
    return gd.AnnualReport(
        agency="某局",
        year=2020,
        proactive=gd.Proactive2019(
            regulations=gd.Documents2019(new_made=1, new_published=1, total_published=30),
            licensing=gd.Items2019(last_year_items=5, change=1, decisions=200),
        ),
        requests=gd.Requests.of(
            new_received=row(natural_person=natural_person),
            granted=row(natural_person=natural_person - other),
            other=row(natural_person=other),
        ),
    )


def _r2021(natural_person: int, others: tuple[int, int, int]) -> gd.AnnualReport:
    row = gd.ApplicantCounts.of
    return gd.AnnualReport(
        agency="某局",
        year=2021,
        proactive=gd.Proactive2021(
            regulations=gd.Documents2021(issued=2, repealed=0, in_force=12),
            licensing=gd.Decisions(decisions=250),
        ),
        requests=gd.Requests.of(
            new_received=row(natural_person=natural_person),
            granted=row(natural_person=natural_person - sum(others)),
            other=gd.OtherHandling(
                **{k: row(natural_person=n) for k, n in zip(_OTHER_2021, others, strict=True)}
            ),
        ),
    )


class TestSameEdition:
    @given(st.sampled_from(list(gd.Edition)), st.data())
    def test_every_cell_compared(self, edition: gd.Edition, data: st.DataObject) -> None:
        """Within an edition every cell is compared with itself: values are the cells, change is their difference."""
        a = data.draw(reports(edition, text=False))
        b = data.draw(reports(edition, text=False))
        cmp = gd.compare(a, b)
        ca, cb = gd.cells(a), gd.cells(b)
        assert [c.key for c in cmp.changes] == list(gd.catalogue(edition).cells)
        for c in cmp.changes:
            if c.key in ca and c.key in cb:
                assert c.correspondence == "same"
                assert (c.previous, c.current, c.change) == (
                    ca[c.key],
                    cb[c.key],
                    cb[c.key] - ca[c.key],
                )
                if ca[c.key] == 0:
                    assert c.relative is None
                else:
                    assert c.relative == pytest.approx(
                        float(cb[c.key] - ca[c.key]) / float(ca[c.key])
                    )
            else:
                assert c.correspondence == "not_stated"
                assert c.change is None

    def test_relative_change(self) -> None:
        """A rise from 200 to 250 decisions is +50, +25 %."""
        a = _r2020(10, 1)
        assert isinstance(a.proactive, gd.Proactive2019)
        b = attrs.evolve(
            a,
            year=2021,
            edition=gd.Edition.V2019,
            proactive=attrs.evolve(
                a.proactive, licensing=gd.Items2019(last_year_items=6, change=0, decisions=250)
            ),
        )
        c = gd.compare(a, b)["t2.licensing.decisions"]
        assert (c.previous, c.current, c.change, c.relative) == (200, 250, 50, 0.25)

    def test_money_change_is_decimal(self) -> None:
        """A change of money is an exact Decimal."""
        a = gd.AnnualReport(
            agency="某局",
            year=2021,
            proactive=gd.Proactive2021(fees=gd.FeeAmount(amount=Decimal("1.1"))),
        )
        b = attrs.evolve(
            a, year=2022, proactive=gd.Proactive2021(fees=gd.FeeAmount(amount=Decimal("3.3")))
        )
        c = gd.compare(a, b)["t2.fees.amount"]
        assert c.change == Decimal("2.2")
        assert c.relative == 2.0


class TestAcrossEditions:
    def test_other_against_the_sum_of_its_sub_rows(self) -> None:
        """2019's （六）其他处理 is compared with the sum of the three 2021 sub-rows."""
        cmp = gd.compare(_r2020(10, 3), _r2021(12, (1, 2, 4)))
        c = cmp["t3.other.natural_person"]
        assert c.correspondence == "sum"
        assert c.previous_keys == ("t3.other.natural_person",)
        assert c.current_keys == tuple(f"t3.other.{k}.natural_person" for k in _OTHER_2021)
        assert (c.previous, c.current, c.change) == (3, 7, 4)

    def test_sub_rows_listed_without_counterpart(self) -> None:
        """Each 2021 sub-row is also listed, as having no single counterpart in 2019."""
        cmp = gd.compare(_r2020(10, 3), _r2021(12, (1, 2, 4)))
        c = cmp["t3.other.unpaid_fee.total"]
        assert (c.correspondence, c.previous, c.current, c.change) == (
            "no_counterpart",
            None,
            2,
            None,
        )

    def test_shared_rows(self) -> None:
        """Section 三 rows, section 四 and the 2019/2021 decisions rows are compared one to one."""
        cmp = gd.compare(_r2020(10, 3), _r2021(12, (1, 2, 4)))
        assert cmp["t3.new_received.total"].change == 2
        assert cmp["t4.review.total"].correspondence == "same"
        c = cmp["t2.licensing.decisions"]
        assert (c.correspondence, c.previous, c.current, c.change) == ("same", 200, 250, 50)

    def test_total_published_never_against_in_force(self) -> None:
        """2019's 对外公开总数量 and 2021's 现行有效件数 are not compared (FORMAT.md S8)."""
        cmp = gd.compare(_r2020(10, 3), _r2021(12, (1, 2, 4)))
        old, new = cmp["t2.regulations.total_published"], cmp["t2.regulations.in_force"]
        assert (old.correspondence, old.previous, old.current, old.change) == (
            "no_counterpart",
            30,
            None,
            None,
        )
        assert (new.correspondence, new.previous, new.current, new.change) == (
            "no_counterpart",
            None,
            12,
            None,
        )

    def test_keys_appear_once(self) -> None:
        """Every cell key of either edition is listed exactly once (unstated fee figures too)."""
        cmp = gd.compare(_r2020(10, 3), _r2021(12, (1, 2, 4)))
        keys = [c.key for c in cmp.changes]
        assert len(keys) == len(set(keys))
        assert set(keys) == set(gd.catalogue("2019").cells) | set(gd.catalogue("2021").cells)
        assert cmp["t6.fees.notices"].correspondence == "not_stated"

    def test_backwards(self) -> None:
        """Comparing a 2021-edition report with a later 2019-edition one uses the same crosswalk, reversed."""
        late_old = attrs.evolve(_r2020(10, 3), year=2022)
        cmp = gd.compare(_r2021(12, (1, 2, 4)), late_old)
        c = cmp["t3.other.total"]
        assert (c.correspondence, c.previous, c.current, c.change) == ("sum", 7, 3, -4)
        keys = [c.key for c in cmp.changes]
        assert len(keys) == len(set(keys))


class TestRender:
    def test_markdown(self) -> None:
        """The Markdown table has a header, a rule and one row per compared cell, with signed changes."""
        cmp = gd.compare(_r2020(10, 3), _r2021(1234, (1, 2, 4)))
        lines = cmp.render("markdown", locale="en").splitlines()
        assert lines[0] == "| Item | Key | 2020 | 2021 | Change | Relative change | Note |"
        assert len(lines) == 2 + len(cmp.changes)
        row = next(line for line in lines if "| t3.new_received.total |" in line)
        assert "| 10 | 1,234 | +1,224 | +12,240.0% |" in row

    def test_chinese_labels_and_notes(self) -> None:
        """In Chinese, labels come from the catalogue and a missing counterpart says so."""
        text = gd.compare(_r2020(10, 3), _r2021(12, (1, 2, 4))).render()
        assert "| 2020年 | 2021年 |" in text
        row = next(line for line in text.splitlines() if "| t2.regulations.in_force |" in line)
        assert row.startswith("| 规章 — 现行有效件数 |")
        assert "2019年版格式无对应项" in row

    def test_traditional_chinese(self) -> None:
        """zh_Hant_TW uses the translated official labels and its own headers."""
        text = gd.compare(_r2020(10, 3), _r2021(12, (1, 2, 4))).render(locale="zh_Hant_TW")
        assert text.startswith("| 項目 |")
        row = next(line for line in text.splitlines() if "| t2.regulations.in_force |" in line)
        assert row.startswith("| 規章 — 現行有效件數 |")

    def test_unsupported_locale(self) -> None:
        """A locale the library has no labels for is a library error."""
        with pytest.raises(gd.GovDisclosureError, match="locale"):
            gd.compare(_r2020(1, 0), _r2020(1, 0)).render(locale="fr")

    def test_html_and_changed_only(self) -> None:
        """HTML escapes its text; changed_only keeps only the rows that changed."""
        cmp = gd.compare(_r2020(10, 3), _r2021(12, (1, 2, 4)))
        html = cmp.render("html", locale="en", changed_only=True)
        assert html.startswith('<table class="gd-comparison">')
        assert '<th scope="col">' in html
        n = sum(1 for c in cmp.changes if c.change not in (None, 0))
        assert html.count("<tr>") == n + 1
        assert "&quot;" in gd.compare(_r2020(10, 3), _r2021(12, (1, 2, 4))).render(
            "html", locale="en"
        )

    def test_unknown_format(self) -> None:
        """An unknown format is a library error."""
        with pytest.raises(gd.GovDisclosureError, match="format"):
            gd.compare(_r2020(1, 0), _r2020(1, 0)).render("pdf")  # type: ignore[arg-type]

    def test_not_a_report(self) -> None:
        """compare refuses what is not a report."""
        with pytest.raises(gd.InvalidTypeError, match="previous"):
            gd.compare(None, _r2020(1, 0))  # type: ignore[arg-type]
