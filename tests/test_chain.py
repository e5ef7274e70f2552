"""Tests of gov_disclosure.continuity_chain(): the cross-year rules over a whole series."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gov_disclosure as gd


def _year(year: int, *, carried_over: int, carried_forward: int) -> gd.AnnualReport:
    """A valid report of 某局 for *year* with the given carry-over and carry-forward (natural persons)."""
    other: gd.ApplicantCounts | gd.OtherHandling = (
        gd.ApplicantCounts.zero() if year < 2021 else gd.OtherHandling()
    )
    row = gd.ApplicantCounts.of
    return gd.AnnualReport(
        agency="某局",
        year=year,
        requests=gd.Requests.of(
            new_received=row(natural_person=10),
            carried_over=row(natural_person=carried_over),
            granted=row(natural_person=10 + carried_over - carried_forward),
            other=other,
        ),
    )


def _series(years: range, forward: dict[int, int] | None = None) -> list[gd.AnnualReport]:
    """A series whose carry-over always matches last year's carry-forward (year → carried forward)."""
    fw = forward or {}
    out, before = [], 0
    for y in years:
        out.append(_year(y, carried_over=before, carried_forward=fw.get(y, 1)))
        before = fw.get(y, 1)
    return out


class TestChain:
    def test_consistent_series_has_no_finding(self) -> None:
        """A 2019–2025 series whose carry-overs match gives one link per year pair and no finding."""
        chain = gd.continuity_chain(_series(range(2019, 2026)))
        assert chain.years == tuple(range(2019, 2026))
        assert [(link.previous_year, link.current_year) for link in chain.links] == [
            (y, y + 1) for y in range(2019, 2025)
        ]
        assert chain.findings == []
        assert chain.gaps == ()
        assert chain.ok

    def test_break_across_the_edition_change(self) -> None:
        """A carry-over broken between 2020 (2019 edition) and 2021 (2021 edition) is reported with both years."""
        series = _series(range(2019, 2023))
        series[2] = _year(2021, carried_over=4, carried_forward=1)
        chain = gd.continuity_chain(series)
        breaks = [(f.rule, f.subject, f.years, f.expected, f.actual) for f in chain.findings]
        assert ("continuity.carried_over", "natural_person", (2020, 2021), 1, 4) in breaks
        assert {f.years for f in chain.findings} == {(2020, 2021)}
        assert not chain.ok

    def test_every_break_reported(self) -> None:
        """Breaks in several years are all reported, in year order."""
        series = _series(range(2019, 2025))
        series[1] = _year(2020, carried_over=3, carried_forward=1)
        series[4] = _year(2023, carried_over=2, carried_forward=1)
        chain = gd.continuity_chain(series)
        assert sorted({f.years for f in chain.findings}) == [(2019, 2020), (2022, 2023)]

    def test_section_two_rules_within_an_edition(self) -> None:
        """A 2019-edition item count that does not follow last year's (S3) is a break; none is looked for across editions."""
        base = _series(range(2019, 2022))
        p19 = base[0].proactive
        assert isinstance(p19, gd.Proactive2019)
        base[0] = attrs.evolve(
            base[0],
            proactive=attrs.evolve(
                p19, licensing=gd.Items2019(last_year_items=10, change=2, decisions=0)
            ),
        )
        chain = gd.continuity_chain(base)
        assert [(f.rule, f.subject, f.years) for f in chain.findings] == [
            ("continuity.last_year_items", "licensing", (2019, 2020))
        ]

    def test_gap_is_recorded(self) -> None:
        """Missing years are a Gap with the years around them, and nothing is checked across it."""
        series = [r for r in _series(range(2019, 2025)) if r.year not in (2021, 2022)]
        chain = gd.continuity_chain(series)
        assert chain.gaps == (gd.Gap(after=2020, before=2023),)
        assert chain.missing_years == (2021, 2022)
        assert "2021, 2022" in chain.gaps[0].message
        assert [(link.previous_year, link.current_year) for link in chain.links] == [
            (2019, 2020),
            (2023, 2024),
        ]
        assert not chain.ok

    def test_input_order_does_not_matter(self) -> None:
        """The series is sorted by year."""
        series = _series(range(2019, 2024))
        assert gd.continuity_chain(series[::-1]) == gd.continuity_chain(series)

    def test_single_report(self) -> None:
        """One report is a series with no link and no gap."""
        chain = gd.continuity_chain([_year(2021, carried_over=0, carried_forward=0)])
        assert (chain.years, chain.links, chain.gaps) == ((2021,), (), ())

    @given(st.sets(st.integers(2019, 2030), min_size=1, max_size=8))
    def test_links_and_gaps_cover_the_span(self, years: set[int]) -> None:
        """Links and gaps together cover every year between the first and the last, once."""
        chain = gd.continuity_chain([gd.AnnualReport(agency="某局", year=y) for y in years])
        covered = [link.current_year for link in chain.links] + list(chain.missing_years)
        covered += [g.before for g in chain.gaps]
        assert sorted(covered) == list(range(min(years) + 1, max(years) + 1))


class TestRefused:
    def test_empty(self) -> None:
        """An empty series is refused."""
        with pytest.raises(gd.ReportsError, match="no reports"):
            gd.continuity_chain([])

    def test_duplicate_year(self) -> None:
        """Two reports of one year are refused, naming both positions."""
        series = [*_series(range(2019, 2022)), _year(2020, carried_over=0, carried_forward=0)]
        with pytest.raises(gd.ReportsError, match=r"reports\[3\] and reports\[1\].*2020") as e:
            gd.continuity_chain(series)
        assert (e.value.index, e.value.other_index) == (3, 1)

    def test_several_agencies(self) -> None:
        """A series mixing agencies is refused."""
        series = _series(range(2019, 2021))
        series[1] = attrs.evolve(series[1], agency="另一局")
        with pytest.raises(gd.ReportsError, match="另一局"):
            gd.continuity_chain(series)

    @pytest.mark.parametrize("given", [None, 2021])
    def test_not_a_collection(self, given: object) -> None:
        """None or a number is a ReportsError naming the argument, not a raw TypeError."""
        with pytest.raises(gd.ReportsError, match=r"continuity_chain\(reports\): expected"):
            gd.continuity_chain(given)  # type: ignore[arg-type]

    def test_single_report_without_a_list(self) -> None:
        """One report passed without a list is refused with the way to pass it."""
        with pytest.raises(gd.ReportsError, match=r"single report.*\[report\]"):
            gd.continuity_chain(_year(2021, carried_over=0, carried_forward=0))  # type: ignore[arg-type]

    def test_not_a_report(self) -> None:
        """An item that is not a report is refused with its position."""
        with pytest.raises(gd.InvalidTypeError, match=r"reports\[0\]"):
            gd.continuity_chain([2021])  # type: ignore[list-item]


def _from_ground_truth(path: Path) -> gd.AnnualReport:
    """A corpus item's hand-verified cells as a report (blank → 0; a unit in a money cell dropped)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    values: dict[str, int | Decimal] = {}
    cat = gd.catalogue(str(doc["edition"]))
    for key, v in doc["cells"].items():
        if v is None:
            v = 0
        if cat.cells[key].kind is gd.ValueKind.MONEY:
            v = Decimal(str(v).removesuffix("万元").removesuffix("元"))
        values[key] = v
    return gd.from_cells(
        values, agency="平潭综合实验区", year=doc["year"], edition=str(doc["edition"])
    )


class TestCorpus:
    def test_pingtan_series(self, corpus_dir: Path) -> None:
        """The real 平潭 series (2019, 2021, 2022, 2024, 2025): its two gaps, and carry-over breaks exactly where the printed numbers differ."""
        series = [_from_ground_truth(corpus_dir / f"{n:03}.json") for n in (8, 4, 6, 5, 7)]
        chain = gd.continuity_chain(series)
        assert chain.years == (2019, 2021, 2022, 2024, 2025)
        assert [(g.after, g.before) for g in chain.gaps] == [(2019, 2021), (2022, 2024)]
        by_year = {r.year: gd.cells(r) for r in series}
        expected = {
            (y - 1, y, c)
            for y in (2022, 2025)
            for c in tuple(c.key for c in gd.catalogue("2021").table("t3").parts[0].columns)
            if by_year[y - 1][f"t3.carried_forward.{c}"] != by_year[y][f"t3.carried_over.{c}"]
        }
        got = {(*f.years, f.subject) for f in chain.findings if f.rule == "continuity.carried_over"}
        assert got == expected
