"""Text as PDF tools write it: wrapped titles and labels, page numbers, labels apart from values, blanks left out."""

from __future__ import annotations

import re

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

import gov_disclosure as gd
from gov_disclosure import strategies as gds

_TITLE = "某局2024年政府信息公开工作年度报告"
#: A value cell as the text renderer prints it ("1,001").
_NUMBER = re.compile(r"[\d,]+")


def _report() -> gd.AnnualReport:
    values = gd.cells(gd.AnnualReport(agency="某局", year=2024))
    for row, n in (("new_received", 5), ("granted", 3), ("unable.not_held", 2)):
        values[f"t3.{row}.natural_person"] = n
        values[f"t3.{row}.total"] = n
    values["t3.total_processed.natural_person"] = 5
    values["t3.total_processed.total"] = 5
    return gd.from_cells(values, agency="某局", year=2024)


def _text(report: gd.AnnualReport) -> str:
    out = gd.render(report, "text")
    assert isinstance(out, str)
    return out


def _one_cell_per_line(text: str) -> str:
    """Every cell of *text* on its own line, as web pages copied out print tables."""
    return "\n".join(c for line in text.split("\n") for c in line.split("\t") if c.strip())


def _unexplained(parsed: gd.Parsed, truth: gd.AnnualReport) -> list[str]:
    """Cells read wrong without a warning that names them."""
    got, want = gd.cells(parsed.report), gd.cells(truth)
    warned = {k for w in parsed.warnings for k in w.cells}
    return [k for k in want if got[k] != want[k] and k not in warned]


class TestTitles:
    @pytest.mark.parametrize(
        "title",
        [
            "某局2024年政府信息公开\n工作年度报告",
            "某局2024年政府信息\n公开工作年度报告",
            "某局\n2024 年政府信息公开\n工作年度报告",
            "某局 2024 年政府信息公开工作年度报告",
            "某局2024年度政府信息公开工作\n年度报告",
        ],
    )
    def test_wrapped_or_spaced(self, title: str) -> None:
        """A title wrapped over lines, or with the year spaced ("2024 年"), gives the agency and the year."""
        report = _report()
        text = _text(report).replace(_TITLE, title, 1)
        parsed = gd.parse(text)
        assert (parsed.report.agency, parsed.report.year) == ("某局", 2024)
        assert parsed.report == report


class TestPageNumbers:
    @pytest.mark.parametrize(
        "number",
        [
            "- 2 -",
            "-2-",
            "— 1 —",
            "－２－",
            "·3·",
            "第 3 页",
            "第2页 共5页",
            "共5页 第2页",
            "Page 2 of 5",
            "2 / 5",
        ],
    )
    def test_between_rows_are_no_values(self, number: str) -> None:
        """A page number printed between two rows of a table (or one cell per line) is not read as a value."""
        report = _report()
        for text in (_text(report), _one_cell_per_line(_text(report))):
            cut = text.index("（四）无法提供")
            parsed = gd.parse(f"{text[:cut]}\n{number}\n{text[cut:]}")
            assert parsed.report == report, number
            assert "stray_values" not in parsed.codes()

    def test_a_fraction_is_not_a_page_number_backwards(self) -> None:
        """ "5 / 2" (a larger page before a smaller count) is not taken for a page number: the text keeps it."""
        report = _report()
        text = _text(report)
        cut = text.index("（四）无法提供")
        parsed = gd.parse(f"{text[:cut]}\n5 / 2\n{text[cut:]}")
        assert parsed.report != report or "stray_values" in parsed.codes()


class TestWrappedLabels:
    def test_values_on_the_middle_line(self) -> None:
        """A label wrapped over three lines with its values on the middle one is read, and warned by its cells."""
        report = _report()
        text = _text(report)
        line = next(x for x in text.split("\n") if "1.本机关不掌握相关政府信息" in x)
        values = " ".join(line.split("1.本机关不掌握相关政府信息")[1].split())
        wrapped = f"（四）无法提供\n1.本机关不掌\n握相关政 {values}\n府信息"
        parsed = gd.parse(text.replace(line, wrapped))
        assert parsed.report == report
        [warning] = [w for w in parsed.warnings if w.code == "loose_label"]
        assert warning.cells[0] == "t3.unable.not_held.natural_person"
        assert len(warning.cells) == 7


class TestApart:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(report=gds.reports(edition="2021", text=False))
    def test_labels_then_values(self, report: gd.AnnualReport) -> None:
        """Section 三 printed as all its labels, then all its value rows (a PDF's reading order): no cell wrong unwarned."""
        report = gd.AnnualReport(**{**_fields(report), "agency": "某局", "year": 2024})
        lines = _text(report).split("\n")
        first = next(i for i, x in enumerate(lines) if x.startswith("一、本年新收"))
        last = next(i for i, x in enumerate(lines) if x.startswith("四、结转下年度"))
        block = [x.split("\t") for x in lines[first : last + 1]]
        labels = ["".join(c for c in cells if c and not _NUMBER.fullmatch(c)) for cells in block]
        values = [" ".join(c for c in cells if _NUMBER.fullmatch(c)) for cells in block]
        text = "\n".join([*lines[:first], *labels, *values, *lines[last + 1 :]])
        parsed = gd.parse(text)
        assert _unexplained(parsed, report) == []


class TestBlanksLeftOut:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(report=gds.reports(edition="2021", text=False), data=st.data())
    def test_every_wrong_cell_is_named(self, report: gd.AnnualReport, data: st.DataObject) -> None:
        """One cell per line with some zero cells simply left out: every cell read wrong is named in a warning."""
        report = gd.AnnualReport(**{**_fields(report), "agency": "某局", "year": 2024})
        lines = _one_cell_per_line(_text(report)).split("\n")
        zeros = [i for i, x in enumerate(lines) if x == "0"]
        dropped = set(data.draw(st.lists(st.sampled_from(zeros), max_size=12)) if zeros else [])
        text = "\n".join(x for i, x in enumerate(lines) if i not in dropped)
        parsed = gd.parse(text)
        assert _unexplained(parsed, report) == []

    def test_the_row_is_named_whole(self) -> None:
        """A row of two values for seven columns: the warning names all seven cells, since where the blanks were is unknown."""
        report = _report()
        lines = _one_cell_per_line(_text(report)).split("\n")
        start = lines.index("一、本年新收政府信息公开申请数量")
        text = "\n".join(x for i, x in enumerate(lines) if not (start < i < start + 8 and x == "0"))
        parsed = gd.parse(text)
        short = [w for w in parsed.warnings if w.code == "row_too_short"]
        assert any(len(w.cells) == 7 and w.cells[0].startswith("t3.new_received.") for w in short)
        assert _unexplained(parsed, report) == []


def _fields(report: gd.AnnualReport) -> dict[str, object]:
    import attrs

    return {
        f.name: getattr(report, f.name)
        for f in attrs.fields(gd.AnnualReport)
        if f.init and f.name not in ("edition",)
    }


class TestSectionFourPieces:
    def _text(self, pieces: list[int]) -> tuple[gd.AnnualReport, str]:
        values = gd.cells(gd.AnnualReport(agency="某局", year=2024))
        keys = [k for k in values if k.startswith("t4.")]
        for k, v in zip(keys, [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3], strict=True):
            values[k] = v
        report = gd.from_cells(values, agency="某局", year=2024)
        lines = _text(report).split("\n")
        row = next(i for i, x in enumerate(lines) if x.startswith("1\t1\t0"))
        cells = lines[row].split("\t")
        out, at = [], 0
        for n in pieces:
            out.append(" ".join(cells[at : at + n]))
            at += n
        return report, "\n".join([*lines[:row], *out, *lines[row + 1 :]])

    def test_pieces_by_group_are_read_quietly(self) -> None:
        """Three rows of five (one per group, as OCR'd tables print them) are the table as printed."""
        report, text = self._text([5, 5, 5])
        parsed = gd.parse(text)
        assert parsed.report == report
        assert "unlabelled_row" not in parsed.codes()

    @pytest.mark.parametrize("pieces", [[3, 12], [7, 8], [5, 4, 6]])
    def test_pieces_across_groups_are_named(self, pieces: list[int]) -> None:
        """Pieces that cut through a column group are joined in order, and every cell of section 四 is named."""
        report, text = self._text(pieces)
        parsed = gd.parse(text)
        assert parsed.report == report
        [warning] = [w for w in parsed.warnings if w.code == "unlabelled_row"]
        assert len(warning.cells) == 15
        assert all(k.startswith("t4.") for k in warning.cells)
