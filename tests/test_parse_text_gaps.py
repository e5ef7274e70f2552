"""Small gaps in reading real text: counts printed as decimals, web page clutter before the title."""

from __future__ import annotations

import re
from decimal import Decimal

import attrs
import pytest

import gov_disclosure as gd

_ROW = "t3.new_received"


def _report(**cells: int | Decimal) -> gd.AnnualReport:
    values = gd.cells(gd.AnnualReport(agency="某局", year=2021))
    values.update(cells)
    return gd.from_cells(values, agency="某局", year=2021)


def _text(report: gd.AnnualReport, locale: str = "zh_Hans_CN") -> str:
    out = gd.render(report, "text", locale=locale)
    assert isinstance(out, str)
    return out


def _with_cell(text: str, old: str, new: str) -> str:
    """*text* with the tab-separated cell *old* (its first occurrence) printed as *new*."""
    pattern = re.compile(rf"(?<=\t){re.escape(old)}(?=[\t\n])")
    assert pattern.search(text), old
    return pattern.sub(new, text, count=1)


class TestDecimalCounts:
    """A count printed with an all-zero decimal part is the integer, with a warning; other decimals are not counts."""

    @pytest.mark.parametrize("printed", ["56.0", "56.00", "５６．０", "56.000"])
    def test_zero_decimals_read_as_the_integer(self, printed: str) -> None:
        """56.0, 56.00 and full-width ５６．０ in a count cell read as 56, warned as decimal_count naming the cell."""
        report = _report(**{f"{_ROW}.natural_person": 56, f"{_ROW}.total": 56})
        parsed = gd.parse(_with_cell(_text(report), "56", printed))
        assert parsed.report == report
        warned = [w for w in parsed.warnings if w.code == "decimal_count"]
        assert [w.cells for w in warned] == [(f"{_ROW}.natural_person",)]
        assert warned[0].message.endswith("read as 56"), warned[0].message
        assert f"{_ROW}.natural_person" not in parsed.report.blank_cells

    def test_grouped_zero_decimals(self) -> None:
        """1,234.0 in a count cell reads as 1234."""
        report = _report(**{f"{_ROW}.natural_person": 1234, f"{_ROW}.total": 1234})
        parsed = gd.parse(_with_cell(_text(report), "1,234", "1,234.0"))
        assert gd.cells(parsed.report)[f"{_ROW}.natural_person"] == 1234
        assert "decimal_count" in parsed.codes()

    @pytest.mark.parametrize("printed", ["56.5", "56.05", "５６．５"])
    def test_other_decimals_are_not_rounded(self, printed: str) -> None:
        """56.5 in a count cell is never rounded: it is unreadable, held as a blank 0, and the warning names the cell."""
        report = _report(**{f"{_ROW}.natural_person": 56, f"{_ROW}.total": 56})
        parsed = gd.parse(_with_cell(_text(report), "56", printed))
        key = f"{_ROW}.natural_person"
        assert gd.cells(parsed.report)[key] == 0
        assert key in parsed.report.blank_cells
        assert any(w.code == "unreadable_cell" and key in w.cells for w in parsed.warnings)
        assert "decimal_count" not in parsed.codes()
        # check() then reports the row total that no longer adds up, naming the blank cell.
        assert any(key in f.blank_cells for f in gd.check(parsed.report))

    def test_money_keeps_its_decimals(self) -> None:
        """A money cell keeps its decimals (12.50 is 12.50, not an integer, and not warned as a count)."""
        report = _report(**{"t2.fees.amount": Decimal("12.5")})
        parsed = gd.parse(_with_cell(_text(report), "12.5", "12.50"))
        assert gd.cells(parsed.report)["t2.fees.amount"] == Decimal("12.50")
        assert "decimal_count" not in parsed.codes()

    def test_signed_counts(self) -> None:
        """The 2019 edition's signed 本年增/减 reads -3.0 as -3."""
        base = gd.cells(gd.AnnualReport(agency="某局", year=2019))
        key = next(k for k in base if k.endswith(".change"))
        report = gd.from_cells({**base, key: -3}, agency="某局", year=2019)
        parsed = gd.parse(_with_cell(_text(report), "-3", "-3.0"))
        assert gd.cells(parsed.report)[key] == -3
        assert [w.cells for w in parsed.warnings if w.code == "decimal_count"] == [(key,)]


_PREAMBLE = "根据《中华人民共和国政府信息公开条例》，编制本报告。"

#: Lines a web page prints before the report (site navigation, breadcrumbs, dates, buttons).
_CLUTTER = (
    "首页 | 政务公开 | 政务服务 | 互动交流",
    "当前位置：首页 > 政务公开 > 年度报告 > 某局2021年政府信息公开工作年度报告",
    "发布时间：2022-01-20 来源：某局",
    "字体：大 中 小",
    "分享到：微信 微博 QQ空间",
)


def _page(report: gd.AnnualReport, clutter: tuple[str, ...], locale: str = "zh_Hans_CN") -> str:
    """The text of *report* as copied out of a web page: *clutter* lines, then the report."""
    return "\n".join(clutter) + "\n" + _text(report, locale)


class TestPageClutter:
    """Lines of a web page before the report's title are dropped from the preamble, with a page_clutter warning."""

    def _report(self) -> gd.AnnualReport:
        return attrs.evolve(_report(), preamble=(_PREAMBLE,))

    def test_preamble_starts_after_the_last_title_line(self) -> None:
        """Navigation that repeats the title, dates and buttons are not the preamble; the count of dropped lines is warned."""
        report = self._report()
        parsed = gd.parse(_page(report, _CLUTTER))
        assert parsed.report.preamble == (_PREAMBLE,)
        assert parsed.report == report
        (warning,) = [w for w in parsed.warnings if w.code == "page_clutter"]
        assert re.search(rf"\b{len(_CLUTTER)} line", warning.message)
        assert warning.location is not None
        assert str(warning.location).startswith(f"line {len(_CLUTTER) + 1}")

    def test_title_not_repeated(self) -> None:
        """Clutter before a page's only title line is counted as well."""
        clutter = ("首页 > 政务公开", "字体：大 中 小")
        parsed = gd.parse(_page(self._report(), clutter))
        assert parsed.report.preamble == (_PREAMBLE,)
        (warning,) = [w for w in parsed.warnings if w.code == "page_clutter"]
        assert re.search(r"\b2 line", warning.message)

    def test_title_on_one_line_with_the_preamble(self) -> None:
        """A title and the first paragraph flattened into one line: the paragraph after the title is the preamble."""
        report = self._report()
        text = _text(report)
        title, rest = text.split("\n", 1)
        flattened = (
            "\n".join(_CLUTTER) + f"\n{title} {_PREAMBLE}\n" + rest.replace(_PREAMBLE, "", 1)
        )
        parsed = gd.parse(flattened)
        assert parsed.report.preamble == (_PREAMBLE,)

    @pytest.mark.parametrize("locale", ["zh_Hant_TW", "en"])
    def test_every_locale(self, locale: str) -> None:
        """The rule holds for the title in any locale the renderers write."""
        report = self._report()
        title = _text(report, locale).split("\n", 1)[0]
        clutter = ("Home > Publications", f"Home > {title}", "Font: A A A")
        parsed = gd.parse(_page(report, clutter, locale))
        assert parsed.report.preamble == (_PREAMBLE,)
        assert "page_clutter" in parsed.codes()

    def test_clean_report_is_not_warned(self) -> None:
        """A report that starts with its title has nothing dropped and no page_clutter warning."""
        parsed = gd.parse(_text(self._report()))
        assert parsed.report.preamble == (_PREAMBLE,)
        assert "page_clutter" not in parsed.codes()

    def test_title_quoted_in_the_preamble_is_kept(self) -> None:
        """The preamble quoting the title ("现将某局2021年…报告公布如下") is prose, never dropped."""
        quoting = (
            "根据条例，编制本报告。",
            "现将某局2021年政府信息公开工作年度报告",
            "公布如下。",
        )
        report = attrs.evolve(_report(), preamble=quoting)
        parsed = gd.parse(_text(report))
        assert parsed.report.preamble == quoting
        assert "page_clutter" not in parsed.codes()

    def test_other_year_is_not_the_title(self) -> None:
        """A link to another year's report in the navigation is not this report's title line."""
        report = self._report()
        text = _text(report)
        title, rest = text.split("\n", 1)
        page = f"{title}\n相关链接：\n某局2020年政府信息公开工作年度报告\n{rest}"
        parsed = gd.parse(page)
        assert parsed.report.preamble == (
            "相关链接：",
            "某局2020年政府信息公开工作年度报告",
            _PREAMBLE,
        )


#: Text printed in a cell where a number belongs: Chinese words for none, a
#: Chinese zero, a form's placeholder left in place.
_TEXT_CELLS = ("暂无", "〇", "不适用", "未发生", "单击或点击此处输入文字。")


def _distinct() -> gd.AnnualReport:
    """A report whose cells of section 二's first row and section 三's first row all differ."""
    values = {
        "t2.regulations.issued": 101,
        "t2.regulations.repealed": 102,
        "t2.regulations.in_force": 103,
    }
    return _report(**values)


def _printed_as(fmt: str, report: gd.AnnualReport, old: str, new: str) -> str | bytes:
    """*report* rendered in *fmt* with the cell printed *old* printed *new* instead."""
    rendered = gd.render(report, fmt)
    if isinstance(rendered, str):
        assert rendered.count(old) == 1
        return rendered.replace(old, new)
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(rendered))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in source.namelist():
            part = source.read(name)
            if name == "word/document.xml":
                cell = f"<w:t>{old}</w:t>".encode()
                assert part.count(cell) == 1
                part = part.replace(cell, f"<w:t>{new}</w:t>".encode())
            z.writestr(name, part)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "docx"])
@pytest.mark.parametrize(
    "key", ["t2.regulations.issued", "t2.regulations.repealed", "t2.regulations.in_force"]
)
@pytest.mark.parametrize("word", _TEXT_CELLS)
def test_text_in_a_cell_keeps_its_column(fmt: str, key: str, word: str) -> None:
    """
    A cell printed as text is an unreadable cell in its own column; the numbers beside it stay in theirs.

    The text vanished and the numbers after it moved one column to the left
    (规章 | 暂无 | 暂无 | 5 read as issued 5), with no error from the checks:
    section 二's rows have no identities to catch it.
    """
    if fmt == "docx":
        pytest.importorskip("docx")
    report = _distinct()
    expected = {**gd.cells(report), key: 0}
    printed = str(gd.cells(report)[key])
    parsed = gd.parse(_printed_as(fmt, report, printed, word))
    got = gd.cells(parsed.report)
    assert {k: got[k] for k in expected if k.startswith("t2.regulations.")} == {
        k: v for k, v in expected.items() if k.startswith("t2.regulations.")
    }
    (warning,) = [w for w in parsed.warnings if w.code == "unreadable_cell"]
    assert warning.cells == (key,)
    assert word in warning.message
    assert key in parsed.report.blank_cells


def _every_cell_distinct() -> gd.AnnualReport:
    """A report whose every count is distinct and non-zero (a shifted cell always shows)."""
    base = gd.cells(gd.AnnualReport(agency="某局", year=2021))
    values = {k: (100 + i if isinstance(v, int) else v) for i, (k, v) in enumerate(base.items())}
    # The identities do not hold: the checks are not the point, the columns are.
    return gd.from_cells(values, agency="某局", year=2021)


@pytest.mark.parametrize(
    ("where", "note"),
    [
        ("every row", "备注"),
        ("every row", "详见说明"),
        ("every row", "件"),
        ("some rows", "含转办件"),
    ],
)
def test_a_notes_column_changes_no_number(where: str, note: str) -> None:
    """
    A text column after the values (备注, a unit, a note in some rows) is not a value: no number moves.

    The first version of the text-cell rule above counted it as a cell of
    the row, and a row with a blank cell then lost the blank instead of the
    note: every value moved one column left (a cold differential test).
    """
    report = _every_cell_distinct()
    text = _text(report)
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if "\t" in line and re.search(r"\t\d+$", line)]
    assert len(rows) > 30
    chosen = rows if where == "every row" else rows[::3]
    for i in chosen:
        lines[i] += "\t" + note
    # And a blank cell in the first row of section 二: the note must not take its place.
    printed = str(gd.cells(report)["t2.regulations.issued"])
    noted = _with_cell("\n".join(lines), printed, "")
    parsed = gd.parse(noted)
    expected = {**gd.cells(report), "t2.regulations.issued": 0}
    assert gd.cells(parsed.report) == expected
    assert "t2.regulations.issued" in parsed.report.blank_cells
    assert "unreadable_cell" not in parsed.codes()
    # Which cells are the row's was inferred: the warning names the text and the row's keys.
    dropped = [w for w in parsed.warnings if w.code == "row_too_long" and note in w.message]
    assert len(dropped) >= len(chosen) // 2
    assert all(w.cells for w in dropped)


def test_a_footnote_cell_after_the_label_changes_no_number() -> None:
    """规章 | 注1 | 1 | 2 | (blank): the footnote is no cell of the row; the blank stays in its place."""
    report = _every_cell_distinct()
    text = _text(report)
    c = gd.cells(report)
    printed = f"规章\t{c['t2.regulations.issued']}\t{c['t2.regulations.repealed']}\t{c['t2.regulations.in_force']}"
    assert printed in text
    footnoted = text.replace(
        printed,
        f"规章\t注1\t{c['t2.regulations.issued']}\t{c['t2.regulations.repealed']}\t",
    )
    parsed = gd.parse(footnoted)
    got = gd.cells(parsed.report)
    assert (got["t2.regulations.issued"], got["t2.regulations.repealed"]) == (
        c["t2.regulations.issued"],
        c["t2.regulations.repealed"],
    )
    assert got["t2.regulations.in_force"] == 0
    assert "t2.regulations.in_force" in parsed.report.blank_cells
    (dropped,) = [w for w in parsed.warnings if w.code == "row_too_long"]
    assert "注1" in dropped.message
    assert dropped.cells == (
        "t2.regulations.issued",
        "t2.regulations.repealed",
        "t2.regulations.in_force",
    )


def test_a_short_row_with_text_is_never_read_as_silent_zeros() -> None:
    """
    5 | 暂无 | 0 | 0 | 0 | 7 (six cells for seven columns): its numbers are read, the text named.

    Every placement of the missing cell kept 暂无 in some column, none read
    every cell, and the row became seven zeros with no word but "row too
    short" (a cold review).
    """
    text = _text(gd.AnnualReport(agency="某局", year=2021))
    line = next(x for x in text.split("\n") if "本年新收政府信息公开申请数量" in x)
    label = line.split("\t")[0]
    parsed = gd.parse(text.replace(line, f"{label}\t5\t暂无\t0\t0\t0\t7", 1))
    row = [v for k, v in gd.cells(parsed.report).items() if k.startswith(_ROW + ".")]
    assert 5 in row
    assert 7 in row
    (unreadable,) = [w for w in parsed.warnings if w.code == "unreadable_cell"]
    assert "暂无" in unreadable.message
    assert unreadable.cells[0] in parsed.report.blank_cells
