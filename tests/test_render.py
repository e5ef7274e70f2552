"""Tests for :func:`gov_disclosure.render` and the locales (text, Markdown, HTML, DOCX)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from babel import Locale
from babel.numbers import format_decimal, parse_decimal
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

import gov_disclosure as gd
from gov_disclosure import i18n as _i18n
from gov_disclosure import rules
from gov_disclosure.cli import main
from gov_disclosure.layout import TABLES, CellKind
from gov_disclosure.strategies import reports

docx = pytest.importorskip("docx")

EDITIONS = list(gd.Edition)
HOSTILE = "<script>alert('x')</script> & \"quoted\" 'single' </p>"
#: Labels whose Traditional form is written with the same characters.
SAME_IN_TRADITIONAL = {"自然人", "其他", "3.其他"}
CJK = re.compile(r"[\u3400-\u9fff]")


def _distinct(edition: gd.Edition) -> gd.AnnualReport:
    """A report whose every cell holds a different value (so each can be found)."""
    values: dict[str, gd.CellValue] = {}
    for i, (key, cell) in enumerate(gd.catalogue(edition).cells.items()):
        if cell.optional:
            continue
        if cell.kind is gd.ValueKind.MONEY:
            values[key] = Decimal(f"{1000 + i}.25")
        elif cell.kind is gd.ValueKind.SIGNED:
            values[key] = -(1000 + i)
        else:
            values[key] = 1000 + i
    return gd.from_cells(values, agency="某局", year=2020 if edition is gd.Edition.V2019 else 2021)


def _blanked(report: gd.AnnualReport, keys: set[str]) -> gd.AnnualReport:
    """*report* with *keys* printed blank: held as 0, as the model requires."""
    held = {**gd.cells(report), **dict.fromkeys(keys, 0)}
    zeroed = gd.from_cells(held, agency=report.agency, year=report.year, edition=report.edition)
    return attrs.evolve(zeroed, blank_cells=keys)


def _expected(value: gd.CellValue, locale: str) -> str:
    """A value as babel itself formats it for *locale* (independent of the renderer)."""
    return format_decimal(value, locale=Locale.parse(locale), decimal_quantization=False)


def _html_grid(table: Any) -> list[list[Any]]:
    """Expand an lxml ``<table>`` into a grid of elements (rowspan/colspan honoured)."""
    grid: dict[tuple[int, int], Any] = {}
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for cell in tr:
            while (r, c) in grid:
                c += 1
            rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for i in range(rs):
                for j in range(cs):
                    assert (r + i, c + j) not in grid
                    grid[r + i, c + j] = cell
            c += cs
    n_rows = 1 + max(r for r, _ in grid)
    n_cols = 1 + max(c for _, c in grid)
    return [[grid[r, c] for c in range(n_cols)] for r in range(n_rows)]


def _same_partition(expected: list[list[Any]], actual: list[list[Any]]) -> None:
    """Positions share a cell in *actual* exactly when they share one in *expected*."""
    assert len(expected) == len(actual)
    pairs: dict[int, int] = {}
    back: dict[int, int] = {}
    for row_e, row_a in zip(expected, actual, strict=True):
        assert len(row_e) == len(row_a)
        for e, a in zip(row_e, row_a, strict=True):
            assert pairs.setdefault(id(e), id(a)) == id(a)
            assert back.setdefault(id(a), id(e)) == id(e)


def _text_tables(text: str) -> list[list[list[str]]]:
    """The TAB-separated blocks of the text output, as rows of fields."""
    blocks = [b for b in text.split("\n\n") if "\t" in b]
    return [[line.split("\t") for line in block.splitlines()] for block in blocks]


def _docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


class TestDispatch:
    def test_unknown_format(self) -> None:
        """An unknown format raises GovDisclosureError naming the formats."""
        with pytest.raises(gd.GovDisclosureError, match="text, markdown, html, docx"):
            gd.render(gd.AnnualReport(agency="某局", year=2021), "pdf")

    @pytest.mark.parametrize("locale", ["fr", "zh_HK", "xx_YY", "", 42])
    def test_unknown_locale(self, locale: Any) -> None:
        """An unknown or unsupported locale raises GovDisclosureError naming the locales."""
        with pytest.raises(gd.GovDisclosureError, match="zh_Hans_CN, zh_Hant_TW, en"):
            gd.render(gd.AnnualReport(agency="某局", year=2021), "text", locale=locale)

    @pytest.mark.parametrize(
        ("given_locale", "name"),
        [
            (Locale.parse("zh_TW"), "zh_Hant_TW"),
            ("zh_CN", "zh_Hans_CN"),
            ("zh", "zh_Hans_CN"),
            ("zh-Hant", "zh_Hant_TW"),
            ("en_US", "en"),
        ],
    )
    def test_locale_aliases(self, given_locale: Locale | str, name: str) -> None:
        """A babel Locale or an alias selects the supported locale it designates."""
        report = gd.AnnualReport(agency="某局", year=2021)
        assert gd.render(report, "text", locale=name) == gd.render(
            report, "text", locale=given_locale
        )

    def test_not_a_report(self) -> None:
        """Rendering something that is not a report raises InvalidTypeError."""
        with pytest.raises(gd.InvalidTypeError, match="render"):
            gd.render({"agency": "x"}, "html")  # type: ignore[arg-type]

    def test_bad_option(self) -> None:
        """An option the format does not take raises GovDisclosureError."""
        with pytest.raises(gd.GovDisclosureError, match="option"):
            gd.render(gd.AnnualReport(agency="某局", year=2021), "text", standalone=True)  # type: ignore[call-overload]

    def test_public_names(self) -> None:
        """FORMATS and LOCALES list the choices."""
        assert gd.FORMATS == ("text", "markdown", "html", "docx", "xlsx")
        assert gd.LOCALES == ("zh_Hans_CN", "zh_Hant_TW", "en")

    def test_locale_not_changed_process_wide(self) -> None:
        """Rendering in English leaves the default rendering in Simplified Chinese."""
        report = gd.AnnualReport(agency="某局", year=2021)
        gd.render(report, "text", locale="en")
        assert "一、总体情况" in gd.render(report, "text")


class TestHtml:
    @pytest.mark.parametrize("edition", EDITIONS)
    def test_grid_matches_layout(self, edition: gd.Edition) -> None:
        """Each HTML table expands to the layout's grid: same spans, labels and values in place."""
        report = _distinct(edition)
        values = gd.cells(report)
        doc = lxml_html.fromstring(gd.render(report, "html"))
        tables = doc.findall(".//table")
        assert [f"gd-table gd-{t}" for t in TABLES] == [t.get("class") for t in tables]
        for key, table in zip(TABLES, tables, strict=True):
            lay = gd.layout(edition, key)
            expected = lay.grid()
            actual = _html_grid(table)
            _same_partition(expected, actual)
            for row_e, row_a in zip(expected, actual, strict=True):
                for cell, element in zip(row_e, row_a, strict=True):
                    if cell.kind is CellKind.VALUE:
                        assert cell.key is not None
                        assert element.tag == "td"
                        assert element.get("data-key") == cell.key
                        assert element.text_content() == _expected(values[cell.key], "zh_Hans_CN")
                    else:
                        assert cell.label is not None
                        assert element.text_content() == cell.label.zh

    @pytest.mark.parametrize("edition", EDITIONS)
    def test_every_key_once(self, edition: gd.Edition) -> None:
        """Every cell key of the edition is the data-key of exactly one <td>."""
        doc = lxml_html.fromstring(
            gd.render(
                gd.AnnualReport(agency="某局", year=2021 if edition is gd.Edition.V2021 else 2020),
                "html",
            )
        )
        keys = [td.get("data-key") for td in doc.iter("td") if td.get("data-key")]
        official = [k for k, c in gd.catalogue(edition).cells.items() if not c.optional]
        assert sorted(official) == sorted(keys)

    def test_headers_have_scope(self) -> None:
        """Every <th> has a scope; section classes name the sections."""
        doc = lxml_html.fromstring(gd.render(_distinct(gd.Edition.V2021), "html"))
        ths = list(doc.iter("th"))
        assert ths
        assert all(th.get("scope") in ("col", "colgroup", "row", "rowgroup") for th in ths)
        sections = [s.get("class") for s in doc.iter("section")]
        assert [f"gd-section gd-{s.id}" for s in gd.catalogue("2021").sections] == sections

    def test_hostile_text_is_inert(self) -> None:
        """An agency name and narrative with markup come out as text, with no element injected."""
        report = gd.AnnualReport(
            agency=HOSTILE,
            year=2021,
            preamble=(HOSTILE,),
            general=gd.General(
                subsections=(gd.Subsection(heading=HOSTILE, paragraphs=(HOSTILE,)),)
            ),
            extra_rows=(gd.ExtraRow(table="t3", label=HOSTILE, values=(HOSTILE,)),),
        )
        for standalone in (False, True):
            out = gd.render(report, "html", standalone=standalone)
            assert "<script" not in out
            doc = lxml_html.document_fromstring(out)
            assert not doc.xpath("//script")
            assert doc.xpath("//h1")[0].text_content().startswith(HOSTILE)
            assert doc.xpath("//h3")[0].text_content() == HOSTILE
            assert HOSTILE in [p.text_content() for p in doc.iter("p")]
            assert not doc.xpath("//@style")
            assert doc.xpath("//tr[@class='gd-extra']/th")[0].text_content() == HOSTILE

    def test_standalone_page(self) -> None:
        """standalone=True gives a complete page with lang, title and a print stylesheet."""
        out = gd.render(
            gd.AnnualReport(agency="某局", year=2021), "html", locale="en", standalone=True
        )
        doc = lxml_html.document_fromstring(out)
        assert out.startswith("<!DOCTYPE html>")
        assert doc.get("lang") == "en"
        assert "某局" in doc.findtext(".//title")
        assert "@media print" in doc.findtext(".//style")

    def test_blank_cells_are_empty(self) -> None:
        """A cell in blank_cells is an empty <td>, not 0."""
        report = _blanked(_distinct(gd.Edition.V2021), {"t3.granted.total", "t4.review.total"})
        doc = lxml_html.fromstring(gd.render(report, "html"))
        by_key = {td.get("data-key"): td.text_content() for td in doc.iter("td")}
        assert by_key["t3.granted.total"] == ""
        assert by_key["t4.review.total"] == ""
        assert by_key["t3.granted.natural_person"] != ""


class TestText:
    @pytest.mark.parametrize("edition", EDITIONS)
    @pytest.mark.parametrize("locale", gd.LOCALES)
    def test_every_value_once(self, edition: gd.Edition, locale: str) -> None:
        """Each cell's value is exactly one field of the text's tables, in its layout row."""
        report = _distinct(edition)
        tables = _text_tables(gd.render(report, "text", locale=locale))
        assert len(tables) == 3
        values = gd.cells(report)
        for key, rows in zip(TABLES, tables, strict=True):
            lay = gd.layout(edition, key)
            assert lay.n_rows == len(rows)
            for k, cell in lay.value_cells().items():
                want = _expected(values[k], locale)
                assert want in rows[cell.row]
                assert sum(row.count(want) for row in rows) == 1

    def test_order_and_headings(self) -> None:
        """Title, then the six official headings in order, each on its own line."""
        out = gd.render(_distinct(gd.Edition.V2021), "text", locale="zh_Hant_TW")
        lines = out.splitlines()
        assert lines[0] == "某局2021年政府資訊公開工作年度報告"
        headings = [s.heading.zh for s in gd.catalogue("2021").sections]
        loc = _i18n.localizer("zh_Hant_TW")
        positions = [lines.index(loc.gettext(h)) for h in headings]
        assert positions == sorted(positions)

    @pytest.mark.parametrize("table", ["t2", "t3"])
    def test_same_shape_as_published_text(self, corpus_dir: Path, table: str) -> None:
        """The Changchun report's t2 and t3 come out as the published flattened text has them."""
        source = (corpus_dir / "000.txt").read_text(encoding="utf-8")
        start, end = {
            "t2": ("\t第二十条第（一）项", "\n\n\n"),
            "t3": ("\t（本列数据的勾稽关系为", "\n\n\n"),
        }[table]
        block = source[source.index(start) :]
        block = block[: block.index(end)]
        published = [
            [line[1:] if line.startswith("\t") else line for line in row.split("\n")]
            for row in block.split("\n\n")
        ]
        report = gd.AnnualReport(
            agency="中韩（长春）国际合作示范区科技创新和工业信息化局", year=2021
        )
        ours = _text_tables(gd.render(report, "text"))[TABLES.index(table)]
        # The published text has no line between a caption and the next row.
        flat_ours = [field for row in ours for field in row]
        flat_published = [field for row in published for field in row]
        assert flat_published == flat_ours

    def test_blank_cell_is_empty_field(self) -> None:
        """A blank cell is an empty field, keeping the other fields in place."""
        report = _blanked(_distinct(gd.Edition.V2021), {"t3.granted.total"})
        rows = _text_tables(gd.render(report, "text"))[1]
        cell = gd.layout("2021", "t3").value_cells()["t3.granted.total"]
        assert rows[cell.row][-1] == ""
        assert len(rows[cell.row]) == len(
            _text_tables(gd.render(_distinct(gd.Edition.V2021), "text"))[1][cell.row]
        )

    def test_fee_sentences(self) -> None:
        """Each stated fee figure gets its sentence in section 六; an absent one gets none."""
        fees = gd.InformationFees(notices=3, collected_amount=Decimal("1234.50"))
        report = gd.AnnualReport(
            agency="某局", year=2021, other_matters=gd.OtherMatters(paragraphs=("无。",), fees=fees)
        )
        out = gd.render(report, "text")
        tail = out[out.index("六、其他需要报告的事项") :]
        assert "本年度发出收费通知3件。" in tail
        assert "实际收取信息处理费1,234.50元。" in tail
        assert "收费通知金额" not in tail
        en = gd.render(report, "text", locale="en")
        assert "Information processing fees actually collected: 1,234.50 CNY." in en

    def test_extra_rows_after_official_rows(self) -> None:
        """Extra rows are written after their table's official rows, label first."""
        report = gd.AnnualReport(
            agency="某局",
            year=2021,
            extra_rows=(gd.ExtraRow(table="t3", label="其中：网上申请", values=("5", "1")),),
        )
        rows = _text_tables(gd.render(report, "text"))[1]
        assert rows[-1][:3] == ["其中：网上申请", "5", "1"]
        assert len(rows) == gd.layout("2021", "t3").n_rows + 1


class TestMarkdown:
    @pytest.mark.parametrize("edition", EDITIONS)
    def test_every_value_once(self, edition: gd.Edition) -> None:
        """Each table row has n_cols cells; each value appears in exactly one cell."""
        report = _distinct(edition)
        out = gd.render(report, "markdown")
        rows = [
            [c.strip() for c in line.strip()[1:-1].split(" | ")]
            for line in out.splitlines()
            if line.startswith("| ")
        ]
        cells = [c for row in rows for c in row]
        for value in gd.cells(report).values():
            assert cells.count(_expected(value, "zh_Hans_CN")) == 1

    def test_escapes_markup(self) -> None:
        """Markup in texts is backslash-escaped, so no HTML or table break gets through."""
        report = gd.AnnualReport(agency="A|B", year=2021, preamble=(HOSTILE,))
        out = gd.render(report, "markdown")
        assert "<script>" not in out
        assert "\\<script\\>" in out
        assert out.splitlines()[0] == "# A\\|B2021年政府信息公开工作年度报告"


class TestDocx:
    @pytest.mark.parametrize("edition", EDITIONS)
    def test_grid_and_merges(self, edition: gd.Edition) -> None:
        """Reopened with python-docx, each table has the layout's grid, merged cells and texts."""
        report = _distinct(edition)
        values = gd.cells(report)
        d = docx.Document(io.BytesIO(gd.render(report, "docx")))
        assert len(d.tables) == 3
        for key, table in zip(TABLES, d.tables, strict=True):
            lay = gd.layout(edition, key)
            actual = [[table.cell(r, c)._tc for c in range(lay.n_cols)] for r in range(lay.n_rows)]
            assert len(table.rows) == lay.n_rows
            _same_partition(lay.grid(), actual)
            for cell in lay.cells:
                text = table.cell(cell.row, cell.col).text
                if cell.key is not None:
                    assert text == _expected(values[cell.key], "zh_Hans_CN")
                else:
                    assert cell.label is not None
                    assert text == cell.label.zh

    def test_a4_and_headings(self) -> None:
        """The page is A4 and the six official headings are Heading 1 paragraphs."""
        d = docx.Document(io.BytesIO(gd.render(gd.AnnualReport(agency="某局", year=2021), "docx")))
        section = d.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
        assert [s.heading.zh for s in gd.catalogue("2021").sections] == headings

    def test_blank_cell_is_empty(self) -> None:
        """A cell in blank_cells is an empty Word cell, not 0."""
        report = _blanked(_distinct(gd.Edition.V2019), {"t3.other.total"})
        d = docx.Document(io.BytesIO(gd.render(report, "docx")))
        cell = gd.layout("2019", "t3").value_cells()["t3.other.total"]
        assert d.tables[1].cell(cell.row, cell.col).text == ""
        assert d.tables[1].cell(cell.row, cell.col - 1).text != ""

    def test_hostile_text_kept_literally(self) -> None:
        """Markup characters are kept as text in the document."""
        report = gd.AnnualReport(agency="某局", year=2021, preamble=(HOSTILE,))
        d = docx.Document(io.BytesIO(gd.render(report, "docx")))
        assert HOSTILE in [p.text for p in d.paragraphs]


def _all_labels() -> set[str]:
    out = set()
    for edition in EDITIONS:
        for section in gd.catalogue(edition).sections:
            out.add(section.heading.zh)
            if section.table is None or section.table.key not in TABLES:
                continue
            for part in section.table.parts:
                out |= {lab.zh for lab in (part.caption, part.corner) if lab is not None}
                for column in part.columns:
                    out |= {lab.zh for lab in column.path}
                for row in part.rows:
                    out |= {lab.zh for lab in row.path}
    return out


class TestTranslations:
    @pytest.mark.parametrize("edition", EDITIONS)
    def test_no_simplified_label_in_traditional(self, edition: gd.Edition) -> None:
        """No label cell or heading of the Traditional output is an untranslated Simplified label."""
        doc = lxml_html.fromstring(gd.render(_distinct(edition), "html", locale="zh_Hant_TW"))
        simplified = _all_labels() - SAME_IN_TRADITIONAL
        texts = [e.text_content() for e in doc.xpath("//th | //td[@class='gd-corner'] | //h2")]
        assert len(texts) > 40
        assert not [t for t in texts if t in simplified]
        assert all(CJK.search(t) for t in texts)

    @pytest.mark.parametrize("edition", EDITIONS)
    def test_no_chinese_in_english_labels(self, edition: gd.Edition) -> None:
        """Every label cell and heading of the English output is free of Chinese characters."""
        out = gd.render(_distinct(edition), "html", locale="en")
        doc = lxml_html.fromstring(out)
        texts = [e.text_content() for e in doc.xpath("//th | //td[@class='gd-corner'] | //h2")]
        assert len(texts) > 40
        assert not [t for t in texts if CJK.search(t)]

    @pytest.mark.parametrize("edition", EDITIONS)
    def test_english_labels_are_the_catalogue_s(self, edition: gd.Edition) -> None:
        """The English labels are Label.en of the catalogue."""
        doc = lxml_html.fromstring(gd.render(_distinct(edition), "html", locale="en"))
        texts = {e.text_content() for e in doc.xpath("//th | //td[@class='gd-corner']")}
        for table in TABLES:
            for cell in gd.layout(edition, table).cells:
                if cell.label is not None:
                    assert cell.label.en in texts

    @pytest.mark.parametrize("locale", ["en", "zh_Hant_TW"])
    def test_catalogue_complete(self, locale: str) -> None:
        """The .po source translates every label and message, with the same {fields}."""
        from babel.messages.pofile import read_po

        path = _i18n.LOCALE_DIR / locale / "LC_MESSAGES" / "gov_disclosure.po"
        with path.open("rb") as f:
            cat = read_po(f)
        strings = {m.id: m.string for m in cat if m.id}
        wanted = _all_labels() | set(rules._finding._ZH.values()) | set(_i18n.MESSAGES)
        assert not [m for m in wanted if not strings.get(m)]
        for msgid in wanted:
            assert set(re.findall(r"{\w+}", msgid)) == set(re.findall(r"{\w+}", strings[msgid]))

    def test_po_fallback_when_mo_missing(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without the compiled .mo the .po source gives the same translations."""
        folder = tmp_path / "zh_Hant_TW" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        source = _i18n.LOCALE_DIR / "zh_Hant_TW" / "LC_MESSAGES" / "gov_disclosure.po"
        (folder / "gov_disclosure.po").write_bytes(source.read_bytes())
        monkeypatch.setattr(_i18n, "LOCALE_DIR", tmp_path)
        translations = _i18n._translations("zh_Hant_TW")
        assert translations.gettext("三、本年度办理结果") == "三、本年度辦理結果"
        (folder / "gov_disclosure.po").unlink()
        with pytest.raises(gd.GovDisclosureError, match="make locale"):
            _i18n._translations("zh_Hant_TW")


class TestNumbers:
    @given(st.integers(-(10**15), 10**15))
    def test_integers_like_babel(self, value: int) -> None:
        """Counts are formatted exactly as babel formats them for each locale."""
        for name in gd.LOCALES:
            assert _i18n.localizer(name).number(value) == _expected(value, name)

    @given(st.decimals(min_value=0, max_value=10**9, allow_nan=False, places=None))
    def test_money_keeps_every_digit(self, value: Decimal) -> None:
        """Amounts parse back (with babel) to the same value, with all their decimals."""
        for name in gd.LOCALES:
            text = _i18n.localizer(name).number(value)
            assert parse_decimal(text, locale=Locale.parse(name)) == value
            if "." in str(value) and "E" not in str(value):
                assert text.endswith(str(value).split(".")[1])


class TestFindings:
    def _findings(self) -> list[gd.Finding]:
        report = gd.AnnualReport(agency="某局", year=2021)
        requests = attrs.evolve(
            report.requests, new_received=gd.ApplicantCounts.of(natural_person=3)
        )
        # carried_over.natural_person (0) printed blank: it is in the broken balance.
        broken = attrs.evolve(
            report, requests=requests, blank_cells={"t3.carried_over.natural_person"}
        )
        return gd.check(broken)

    def test_three_locales(self) -> None:
        """Findings read in English (the message), Simplified (rules' own wording) and Traditional."""
        findings = self._findings()
        assert findings
        for f in findings:
            assert f.text("en") == f.message
            assert f.text("zh_Hans_CN") == rules._finding._message(f, zh=True)
            hant = f.text("zh_Hant_TW")
            assert CJK.search(hant)
            assert hant != f.text("zh_Hans_CN")
            assert ("儲存格" in hant) == bool(f.blank_cells)
        assert any("結轉" in f.text("zh_TW") for f in findings)

    def test_unknown_locale(self) -> None:
        """An unsupported locale raises GovDisclosureError naming the locales."""
        with pytest.raises(gd.GovDisclosureError, match="zh_Hant_TW"):
            self._findings()[0].text("fr")


# The workbook holds numbers as numbers, not as the locale prints them: its
# values are checked cell by cell in tests/test_xlsx.py.
_PRINTED = tuple(f for f in gd.FORMATS if f != "xlsx")


class TestProperties:
    @given(report=reports(), fmt=st.sampled_from(_PRINTED), locale=st.sampled_from(gd.LOCALES))
    def test_every_number_appears(self, report: gd.AnnualReport, fmt: str, locale: str) -> None:
        """Any valid report renders in every format and locale, showing every number it holds."""
        out = gd.render(report, fmt, locale=locale)
        text = _docx_text(out) if isinstance(out, bytes) else out
        if fmt == "html":
            text = lxml_html.fromstring(text).text_content()
        loc = _i18n.localizer(locale)
        for key, value in gd.cells(report).items():
            if key not in report.blank_cells:
                assert loc.number(value) in text, key
        for paragraph in report.preamble + report.problems.paragraphs:
            if fmt != "markdown":
                assert paragraph in text


class TestCli:
    def test_render_command(self, tmp_path: Path) -> None:
        """gov-disclosure render REPORT --format html --locale en -o FILE writes the page."""
        src = tmp_path / "report.json"
        src.write_bytes(gd.to_json(_distinct(gd.Edition.V2021)))
        out = tmp_path / "report.html"
        assert main(["render", str(src), "--format", "html", "--locale", "en", "-o", str(out)]) == 0
        doc = lxml_html.fromstring(out.read_text(encoding="utf-8"))
        assert doc.get("lang") == "en"
        assert len(doc.findall(".//table")) == 3

    def test_render_docx(self, tmp_path: Path) -> None:
        """The docx format writes a Word file."""
        src = tmp_path / "report.json"
        src.write_bytes(gd.to_json(gd.AnnualReport(agency="某局", year=2021)))
        out = tmp_path / "report.docx"
        assert main(["render", str(src), "--format", "docx", "-o", str(out)]) == 0
        assert len(docx.Document(str(out)).tables) == 3

    def test_bad_input(self, tmp_path: Path) -> None:
        """Unusable input exits with status 2."""
        src = tmp_path / "report.json"
        src.write_text("{}", encoding="utf-8")
        assert main(["render", str(src)]) == 2


class TestTextMarks:
    def test_subsection_heading_marked(self) -> None:
        """Section 一's subsection headings are written after '### ', paragraphs plain."""
        report = gd.AnnualReport(
            agency="某局",
            year=2021,
            general=gd.General(
                paragraphs=("总述。",),
                subsections=(gd.Subsection(heading="（一）主动公开", paragraphs=("正文。",)),),
            ),
        )
        lines = gd.render(report, "text").splitlines()
        assert "### （一）主动公开" in lines
        assert "总述。" in lines
        assert "正文。" in lines

    @pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
    def test_procurement_unit_in_cell(self, fmt: str) -> None:
        """The 2019 procurement amount is followed by the unit the report printed."""
        report = gd.AnnualReport(agency="某局", year=2020)
        proactive = report.proactive
        assert isinstance(proactive, gd.Proactive2019)
        procurement = attrs.evolve(
            proactive.procurement, amount=Decimal("251000"), amount_unit="元"
        )
        report = attrs.evolve(report, proactive=attrs.evolve(proactive, procurement=procurement))
        assert "251,000元" in gd.render(report, fmt)


def _procurement(unit: str | None, amount: str = "251000") -> gd.AnnualReport:
    report = gd.AnnualReport(agency="某局", year=2020)
    proactive = report.proactive
    assert isinstance(proactive, gd.Proactive2019)
    procurement = attrs.evolve(
        proactive.procurement, items=3, amount=Decimal(amount), amount_unit=unit
    )
    return attrs.evolve(report, proactive=attrs.evolve(proactive, procurement=procurement))


def _procurement_cell(report: gd.AnnualReport, locale: str) -> str:
    """The text of the procurement amount cell: the last cell of the row that prints the item count 3."""
    out = gd.render(report, "text", locale=locale)
    assert isinstance(out, str)
    (row,) = [line for line in out.splitlines() if re.search(r"\t3\t[^\t]+$", line)]
    return row.rsplit("\t", 1)[1]


class TestMoneyUnits:
    """The unit printed in the 2019 procurement amount is written in the locale's words."""

    @pytest.mark.parametrize(
        ("unit", "english"), [("元", "251,000 yuan"), ("万元", "251,000 ten thousand yuan")]
    )
    def test_english_words(self, unit: str, english: str) -> None:
        """In English the unit is the catalogue's English word, without Chinese characters."""
        cell = _procurement_cell(_procurement(unit), "en")
        assert cell == english
        assert not CJK.search(cell)

    @pytest.mark.parametrize("unit", ["元", "万元"])
    def test_chinese_locales_keep_the_characters(self, unit: str) -> None:
        """zh_Hans_CN prints the unit as printed; zh_Hant_TW in the characters its own labels use (萬元, as in 單位：萬元)."""
        assert _procurement_cell(_procurement(unit), "zh_Hans_CN") == "251,000" + unit
        cell = _procurement_cell(_procurement(unit), "zh_Hant_TW")
        assert re.fullmatch(r"251,000(\w+)", cell)
        traditional = cell.removeprefix("251,000")
        assert len(traditional) == len(unit)
        # The 2021 header names 万元 too: the Traditional output writes the unit alike.
        header = gd.render(gd.AnnualReport(agency="某局", year=2021), "text", locale="zh_Hant_TW")
        assert isinstance(header, str)
        if unit == "万元":
            assert f"單位：{traditional}" in header

    def test_unknown_unit_as_printed(self) -> None:
        """A unit the catalogue has no words for is written as the report printed it."""
        assert _procurement_cell(_procurement("美元"), "en") == "251,000 美元"

    @pytest.mark.parametrize("locale", gd.LOCALES)
    @pytest.mark.parametrize("fmt", ["text", "markdown", "html", "docx"])
    @pytest.mark.parametrize("unit", ["元", "万元"])
    def test_read_back(self, unit: str, fmt: str, locale: str) -> None:
        """The parser reads the unit back in every locale and format: the report round-trips."""
        report = _procurement(unit, "25.1")
        parsed = gd.parse(gd.render(report, fmt, locale=locale))
        assert parsed.report == report
        assert "unit_in_cell" in parsed.codes()

    @pytest.mark.parametrize("fmt", ["text", "html"])
    @pytest.mark.parametrize("amount", ["110000", "1010000", "10000", "100000000"])
    @pytest.mark.parametrize("unit", ["元", "万元", "亿元"])
    def test_english_amounts_with_zeros_read_back(self, amount: str, unit: str, fmt: str) -> None:
        """Amounts whose digits end like a unit word (110,000 yuan) read back whole, in their unit."""
        report = _procurement(unit, amount)
        parsed = gd.parse(gd.render(report, fmt, locale="en"))
        assert parsed.report.proactive.procurement == report.proactive.procurement
        assert parsed.report == report

    def test_no_unit_word_holds_a_digit(self) -> None:
        """No locale writes a unit with digits in it: such a word could not be told from the number."""
        from gov_disclosure.i18n import MONEY_UNITS, localizer

        words = [localizer(loc).gettext(u) for loc in gd.LOCALES for u in MONEY_UNITS]
        assert words
        assert not [w for w in words if any(c.isdigit() for c in w)]

    def test_unit_words_only_after_a_number(self) -> None:
        """'yuan' in a table label or after a word is not a unit: only a number's unit is read."""
        from gov_disclosure.parsers.assemble.norm import norm_stream

        assert norm_stream("5 yuan") == "5元    "
        assert norm_stream("25.1 ten thousand yuan|") == "25.1万元                |"
        assert norm_stream("yuan dynasty 5 yuanxyz") == "yuan dynasty 5 yuanxyz"
