"""Parsing behaviours one at a time: FORMAT.md §10 variations, run-together digits, provenance."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given

import gov_disclosure as gd
from gov_disclosure.strategies import reports


def _text(report: gd.AnnualReport | None = None, locale: str = "zh_Hans_CN") -> str:
    out = gd.render(report or gd.AnnualReport(agency="某局", year=2021), "text", locale=locale)
    assert isinstance(out, str)
    return out


def _run_together(text: str) -> str:
    """The archived-page layout: every cell of every row glued together."""
    return "".join(text.split("\t")).replace("\n", "")


class TestRunTogether:
    """Digits printed without separators (FORMAT.md §10, corpus 004-008)."""

    def test_unique_split(self) -> None:
        """A table whose identities leave one reading is split without ambiguity."""
        r = gd.AnnualReport(agency="某局", year=2021)
        req = attrs.evolve(
            r.requests,
            new_received=gd.ApplicantCounts.of(natural_person=27, other_org=3),
            granted=gd.ApplicantCounts.of(natural_person=27, other_org=3),
            total_processed=gd.ApplicantCounts.of(natural_person=27, other_org=3),
        )
        r = attrs.evolve(r, requests=req)
        p = gd.parse(_run_together(_text(r)))
        assert gd.cells(p.report) == gd.cells(r)
        assert p.ambiguities == ()
        assert "split_cells" in p.codes()

    def test_ambiguous_split_flagged(self) -> None:
        """Section 二 has no identity: 693665 is flagged with every candidate, and a reading is kept."""
        text = _text().replace("行政规范性文件\t0\t0\t0", "行政规范性文件693665")
        p = gd.parse(text)
        amb = {a.key: a for a in p.ambiguities}
        assert set(amb) == {
            f"t2.normative_documents.{c}" for c in ("issued", "repealed", "in_force")
        }
        assert 69 in amb["t2.normative_documents.issued"].candidates
        assert 6 in amb["t2.normative_documents.issued"].candidates
        kept = [
            gd.cells(p.report)[f"t2.normative_documents.{c}"]
            for c in ("issued", "repealed", "in_force")
        ]
        assert "".join(map(str, kept)) == "693665"
        assert "ambiguous_split" in p.codes()

    def test_previous_breaks_ties(self) -> None:
        """Last year's report picks the reading under which continuity holds."""
        prev = gd.AnnualReport(agency="某局", year=2021)
        docs = gd.Documents2021(issued=0, repealed=0, in_force=3668)
        prev = attrs.evolve(prev, proactive=attrs.evolve(prev.proactive, normative_documents=docs))
        cur = gd.AnnualReport(agency="某局", year=2022)
        text = _text(cur).replace("行政规范性文件\t0\t0\t0", "行政规范性文件693665")
        p = gd.parse(text, previous=prev)
        c = gd.cells(p.report)
        assert (c["t2.normative_documents.issued"], c["t2.normative_documents.repealed"]) == (6, 9)
        assert c["t2.normative_documents.in_force"] == 3665


class TestVariations:
    """FORMAT.md §10 variations."""

    def test_traditional(self) -> None:
        """A page in Traditional characters (mainland vocabulary) reads like the Simplified one."""
        import re

        r = gd.AnnualReport(agency="某局", year=2021)
        text = _text(r).replace("行政规范性文件\t0\t0\t0", "行政規範性檔案\t5\t1\t9")
        text = re.sub("开", "開", text)
        p = gd.parse(text)
        assert gd.cells(p.report)["t2.normative_documents.in_force"] == 9

    def test_header_suffix_and_half_width(self) -> None:
        """现行有效件数 (历史累计) and half-width brackets still match."""
        text = (
            _text()
            .replace("现行有效件数", "现行有效件数 (历史累计)")
            .replace("（一）予以公开", "(一)予以公开")
        )
        text = text.replace("规章\t0\t0\t0", "规章\t1\t0\t4")
        p = gd.parse(text)
        assert gd.cells(p.report)["t2.regulations.in_force"] == 4

    def test_signed_change_and_unit(self) -> None:
        """+1036 and -8 in 本年增/减; 251000元 keeps its unit."""
        r = gd.AnnualReport(agency="某局", year=2019)
        text = _text(r)
        text = text.replace("行政许可\t0\t0\t0", "行政许可\t5\t+1036\t2")
        text = text.replace("行政处罚\t0\t0\t0", "行政处罚\t9\t-8\t2")
        text = text.replace("政府集中采购\t0\t0", "政府集中采购\t3\t251000元")
        p = gd.parse(text)
        c = gd.cells(p.report)
        assert (c["t2.licensing.change"], c["t2.punishment.change"]) == (1036, -8)
        assert c["t2.procurement.amount"] == Decimal(251000)
        assert isinstance(p.report.proactive, gd.Proactive2019)
        assert p.report.proactive.procurement.amount_unit == "元"

    def test_extra_row_kept(self) -> None:
        """A local row the format does not have is kept in extra_rows, with a warning."""
        text = _text().replace("行政强制\t0\n", "行政强制\t0\n其他主动公开文件\t3\n")
        p = gd.parse(text)
        assert [(e.table, e.label, e.values) for e in p.report.extra_rows] == [
            ("t2", "其他主动公开文件", ("3",))
        ]
        assert "extra_row" in p.codes()
        assert gd.cells(p.report)["t2.coercion.decisions"] == 0

    def test_edition_from_labels(self) -> None:
        """A 2022 report printed with the 2019 labels is read as the 2019 edition, with a warning."""
        text = _text(gd.AnnualReport(agency="某局", year=2020)).replace("2020年", "2022年", 1)
        p = gd.parse(text)
        assert p.report.edition is gd.Edition.V2019
        assert p.report.year == 2022
        assert "edition_mismatch" in p.codes()

    def test_missing_heading(self) -> None:
        """Section 三 without its heading is found by its table (the 勾稽关系 note)."""
        text = _text().replace("三、收到和处理政府信息公开申请情况\n", "")
        p = gd.parse(text)
        assert p.report == gd.AnnualReport(agency="某局", year=2021)

    def test_pipe_rows(self) -> None:
        """Markdown-like pipe rows read like tab-separated ones."""
        text = _text().replace("\t", " | ")
        assert gd.parse(text).report == gd.AnnualReport(agency="某局", year=2021)


class TestLabelDigits:
    """Digits printed inside a label of the format (English numbers its items) are no values."""

    @pytest.mark.parametrize("fmt", ["text", "markdown", "html", "docx"])
    @given(report=reports())
    def test_english_round_trip_has_no_stray_values(
        self, fmt: str, report: gd.AnnualReport
    ) -> None:
        """The English rendering (section headings "3. ...", "item 1 plus item 2") reads back without stray_values."""
        parsed = gd.parse(gd.render(report, fmt, locale="en"))
        assert parsed.report == report
        assert "stray_values" not in parsed.codes()

    @pytest.mark.parametrize("year", [2020, 2021])
    def test_stray_number_beside_the_table_is_still_warned(self, year: int) -> None:
        """A number after section 二's table (before section 三's heading) is still a stray value."""
        report = gd.AnnualReport(agency="某局", year=year)
        heading = gd.catalogue(report.edition).section("requests").heading.en
        text = _text(report, locale="en")
        assert heading in text
        p = gd.parse(text.replace(heading, "\t\t987\n" + heading, 1))
        stray = [w for w in p.warnings if w.code == "stray_values"]
        assert len(stray) == 1
        assert "987" in stray[0].message
        assert p.report == report

    def test_numbered_text_that_is_no_label_is_still_warned(self) -> None:
        """A list number before text that is no label of the format is read, and warned about, as before."""
        report = gd.AnnualReport(agency="某局", year=2021)
        heading = gd.catalogue(report.edition).section("requests").heading.en
        text = _text(report, locale="en").replace(heading, "7. Notes\n" + heading, 1)
        stray = [w for w in gd.parse(text).warnings if w.code == "stray_values"]
        assert [w.message.rsplit(":", 1)[1].strip() for w in stray] == ["7"]


class TestNarratives:
    """Paragraphs and the fee figures of section 六."""

    def test_fee_phrasings(self) -> None:
        """The usual phrasings of 信息处理费 are read; the paragraph is kept."""
        for sentence, field, value in (
            ("本年度未收取信息处理费。", "collected_amount", Decimal(0)),
            ("实际收取信息处理费共计400元。", "collected_amount", Decimal(400)),
            ("全年发出收费通知3件。", "notices", 3),
        ):
            text = _text() + "\n" + sentence + "\n"
            p = gd.parse(text)
            fees = p.report.other_matters.fees
            assert fees is not None
            assert getattr(fees, field) == value
            assert sentence in p.report.other_matters.paragraphs


class TestProvenance:
    """Where each number came from."""

    def test_html_cells(self) -> None:
        """An HTML cell's provenance names its table, row and column."""
        r = gd.AnnualReport(agency="某局", year=2021)
        html = gd.render(r, "html")
        assert isinstance(html, str)
        p = gd.parse(html)
        loc = p.provenance["t3.granted.total"]
        assert (loc.table, loc.row) == (2, 6)
        assert "table 2" in str(loc)

    def test_html_columns_are_grid_columns(self) -> None:
        """An HTML cell's column is its logical grid column: colspan and rowspan before and above it expanded."""
        report = gd.AnnualReport(agency="某局", year=2021)
        html = gd.render(report, "html")
        assert isinstance(html, str)
        self._assert_grid_columns(gd.parse(html), report)

    def test_docx_columns_are_grid_columns(self) -> None:
        """A Word cell's column is its grid column: gridSpan and vertically merged cells counted."""
        report = gd.AnnualReport(agency="某局", year=2021)
        self._assert_grid_columns(gd.parse(gd.render(report, "docx")), report)

    @staticmethod
    def _assert_grid_columns(p: gd.Parsed, report: gd.AnnualReport) -> None:
        # Every column of the format is one column of the grid, in every row,
        # whatever the label cells of that row span (section 三 has three
        # label columns: its first value column is the 4th).
        cat = gd.catalogue(report.edition)
        for table in ("t2", "t3", "t4"):
            for part in cat.table(table).parts:
                for col in part.columns:
                    found = set()
                    for row in part.rows:
                        key = ".".join(
                            x for x in (table, *row.key.split("."), *col.key.split(".")) if x
                        )
                        loc = p.provenance[key]
                        found.add((loc.table, loc.column))
                    assert len(found) == 1, (table, col.key, found)
        assert p.provenance["t3.new_received.natural_person"].column == 4
        assert p.provenance["t3.deny.state_secret.natural_person"].column == 4
        assert p.provenance["t3.granted.total"].column == 10

    def test_html_rowspan_moves_later_cells(self) -> None:
        """A cell spanning rows pushes the cells of the rows below it one column right."""
        html = _text().replace("\t", "</td><td>")
        rows = [f"<tr><td>{line}</td></tr>" for line in html.splitlines() if line]
        page = "<table>" + "".join(rows) + "</table>"
        # 规章 spans two rows in a first column of its own.
        page = page.replace("<tr><td>规章</td>", '<tr><td rowspan="2">X</td><td>规章</td>')
        p = gd.parse(page)
        assert p.provenance["t2.regulations.issued"].column == 3
        # The next row starts in column 2: column 1 is taken by the cell above.
        assert p.provenance["t2.normative_documents.issued"].column == 3

    def test_text_lines(self) -> None:
        """A text cell's provenance names its line."""
        text = _text()
        p = gd.parse(text)
        line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("行政许可"))
        assert p.provenance["t2.licensing.decisions"].line == line


class TestWarningCatalogue:
    """The warning codes are a documented, closed set."""

    def test_every_code_emitted_is_catalogued(self) -> None:
        """Every code the assembler can emit is in WARNING_CODES (read from the source)."""
        import re
        from pathlib import Path

        from gov_disclosure.parsers import WARNING_CODES

        src = Path(gd.__file__).parent / "parsers"
        emitted = set()
        for f in src.rglob("*.py"):
            emitted.update(re.findall(r'warn\(\s*"(\w+)"', f.read_text(encoding="utf-8")))
        assert emitted
        assert emitted <= set(WARNING_CODES)

    def test_guide_lists_every_code(self) -> None:
        """The parsing guide's table has every code."""
        from pathlib import Path

        from gov_disclosure.parsers import WARNING_CODES

        guide = Path(__file__).resolve().parents[1] / "docs" / "guides" / "parsing.md"
        text = guide.read_text(encoding="utf-8")
        assert [c for c in WARNING_CODES if f"`{c}`" not in text] == []


class TestMarkdownEscapes:
    """Markdown's backslash escapes stand for their characters, in narratives and table cells."""

    def test_narratives_with_markdown_characters_round_trip(self) -> None:
        """Paragraphs holding & | * _ [ ] # and list-like starts come back as written."""
        r = gd.AnnualReport(
            agency="某局",
            year=2021,
            preamble=("A & B | C *d* [x] 1. e_f \\ g # h",),
            problems=gd.Problems(paragraphs=("- 列表 & 其他",)),
        )
        parsed = gd.parse(gd.render(r, "markdown"))
        assert parsed.report == r

    def test_escaped_label_matches(self) -> None:
        """An English label with & (escaped in Markdown) is matched whole: no loose_label warning."""
        for edition_year in (2020, 2021):
            text = gd.render(
                gd.AnnualReport(agency="某局", year=edition_year), "markdown", locale="en"
            )
            assert "\\&" in text or edition_year == 2021
            assert "loose_label" not in gd.parse(text).codes()

    def test_escaped_pipe_stays_in_its_cell(self) -> None:
        """A \\| inside a cell is text, not a cell separator."""
        from gov_disclosure.parsers.text import read_text

        assert [r.cells for r in read_text("| a \\| b | 3 |")] == [("a | b", "3")]
