"""
Each stage of the assembler (``gov_disclosure.parsers.assemble``) on its own, on rows a reader made.

The end-to-end behaviour is tested in test_parse*.py; these tests pin what each
stage module hands to the next, so a change inside one stage fails here first.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.parsers.assemble import split
from gov_disclosure.parsers.assemble.context import _Ctx
from gov_disclosure.parsers.assemble.edition import _detect_edition
from gov_disclosure.parsers.assemble.headings import (
    HeadingSearch,
    _heading_forms,
    heading_kind,
    heading_regex,
)
from gov_disclosure.parsers.assemble.labels import _OFFICIAL
from gov_disclosure.parsers.assemble.meta import title_from
from gov_disclosure.parsers.assemble.regions import _regions
from gov_disclosure.parsers.assemble.stream import Stream
from gov_disclosure.parsers.text import read_text
from gov_disclosure.strategies import reports


def _stream(report: gd.AnnualReport, locale: str = "zh_Hans_CN") -> Stream:
    return Stream(read_text(gd.render(report, "text", locale=locale)))


@pytest.fixture(params=list(gd.Edition), ids=lambda e: e.value)
def report(request: pytest.FixtureRequest) -> gd.AnnualReport:
    year = 2020 if request.param is gd.Edition.V2019 else 2023
    return gd.AnnualReport(agency="某某局", year=year)


class TestStream:
    def test_offsets_point_back_at_cells(self, report: gd.AnnualReport) -> None:
        """Every offset of the stream maps back to the line its text came from."""
        s = _stream(report)
        offset = s.text.index("某某局")
        assert s.loc(offset).line == 1

    def test_headings_found_in_order(self, report: gd.AnnualReport) -> None:
        """The section headings are found where the renderer wrote them, in order."""
        s = _stream(report)
        found = [s.heading(sid) for sid in ("general", "requests", "problems")]
        assert all(f is not None for f in found)
        starts = [f[0] for f in found if f is not None]
        assert starts == sorted(starts)


_SECTIONS = tuple(s.id for s in gd.catalogue(gd.Edition.V2021).sections)


def _heading_pieces() -> list[str]:
    """Pieces of compact text that make and break headings: numbers, titles, their halves, separators."""
    out = [*"一二三四五六七八九十,.。;1x\n", "", "一,", "十二."]
    for sid in _SECTIONS:
        full, cores = _heading_forms(sid)
        for title in (*full, *cores):
            out += [title, title[: len(title) // 2], title[len(title) // 2 :]]
        out += ["五," + core for core in cores]  # numbered with another number
    return out


class TestHeadings:
    def test_numbered_and_spaced_heading(self) -> None:
        """A heading matches with another number and spaces inside it."""
        assert heading_regex("problems").search("五、 存在的主要问题及改进情况")

    @settings(max_examples=300, deadline=None)
    @given(
        section=st.sampled_from(_SECTIONS),
        pieces=st.lists(st.sampled_from(_heading_pieces()), max_size=30),
        steps=st.lists(st.integers(0, 40), min_size=1, max_size=8),
    )
    # A numbered heading whose words hold a full form of the English heading:
    # the numbered match starts first and wins.
    @example(section="problems", pieces=["五,", "5.mainproblemsandimprovements"], steps=[0])
    def test_search_finds_what_the_regex_finds(
        self, section: str, pieces: list[str], steps: list[int]
    ) -> None:
        """The stream's fast heading search gives the heading regex's match, and its kind, from every position."""
        text = "".join(pieces)
        search = HeadingSearch(section, text)
        regex = heading_regex(section)
        pos = 0
        for step in steps:  # increasing positions, as the stream asks them
            pos = min(pos + step, len(text))
            want, got = regex.search(text, pos), search(pos)
            assert (got and (got.span(), heading_kind(got.lastgroup))) == (
                want and (want.span(), want.lastgroup)
            )


class TestEdition:
    def test_labels_decide_against_the_year(self, report: gd.AnnualReport) -> None:
        """The edition comes from the labels only one edition prints, whatever year is the prior."""
        other_year = 2023 if report.edition is gd.Edition.V2019 else 2020
        assert _detect_edition(_Ctx(_stream(report)), other_year) is report.edition


class TestRegions:
    def test_tables_located_in_order(self, report: gd.AnnualReport) -> None:
        """Each official table is located, after the one before it."""
        regions = _regions(_Ctx(_stream(report)), report.edition)
        spans = [regions[key] for key in _OFFICIAL]
        assert all(span is not None for span in spans)
        starts = [span[0] for span in spans if span is not None]
        assert starts == sorted(starts)


class TestMeta:
    @pytest.mark.parametrize("locale", gd.LOCALES)
    def test_title(self, report: gd.AnnualReport, locale: str) -> None:
        """The title gives the agency and the year, in every locale."""
        title = title_from(_stream(report, locale))
        assert (title.agency, title.year) == (report.agency, report.year)


class TestSplit:
    @pytest.mark.parametrize(
        ("text", "kind", "value"),
        [
            ("1,234", gd.ValueKind.COUNT, 1234),
            ("12.5", gd.ValueKind.MONEY, Decimal("12.5")),
            ("-3", gd.ValueKind.SIGNED, -3),
        ],
    )
    def test_parse_value(self, text: str, kind: gd.ValueKind, value: object) -> None:
        """A printed cell is read as the kind of its column."""
        assert split.parse_value(text, kind)[0] == value


class TestWholeAssembly:
    @pytest.mark.parametrize("edition", list(gd.Edition), ids=lambda e: e.value)
    def test_stages_together_round_trip(self, edition: gd.Edition) -> None:
        """The stages together (fill, values, tables, narratives) give back a generated report."""
        from hypothesis import given, settings

        @settings(max_examples=10, deadline=None)
        @given(reports(edition=edition))
        def run(r: gd.AnnualReport) -> None:
            assert gd.parse(gd.render(r, "text")).report == r

        run()
