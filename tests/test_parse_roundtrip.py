"""Round trip: whatever the renderers print, the parser reads back, in every format and locale."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.strategies import reports

_LOCALES = ("zh_Hans_CN", "zh_Hant_TW", "en")


@pytest.mark.parametrize("locale", _LOCALES)
@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "docx", "xlsx"])
class TestRoundTrip:
    """parse(render(r, fmt, locale)).report == r, without telling the parser the format."""

    @given(data=st.data())
    def test_round_trip(self, fmt: str, locale: str, data: st.DataObject) -> None:
        """Every cell, narrative, fee figure, agency and year comes back; nothing is warned about."""
        report = data.draw(reports())
        parsed = gd.parse(gd.render(report, fmt, locale=locale))
        assert report == parsed.report
        assert parsed.ambiguities == ()
        assert not {"blank_cell", "missing_row", "missing_table", "row_too_short"} & parsed.codes()

    @given(data=st.data())
    def test_blank_cells_round_trip(self, fmt: str, locale: str, data: st.DataObject) -> None:
        """A blank cell prints as an empty cell and reads back as blank, in its own place."""
        report = data.draw(reports(blank_cells=True))
        # The fee record (t6) is printed as sentences of section 六, not as a
        # table: a blank has no cell to be printed in, so it reads back as 0.
        report = attrs.evolve(
            report, blank_cells=frozenset(k for k in report.blank_cells if not k.startswith("t6."))
        )
        parsed = gd.parse(gd.render(report, fmt, locale=locale))
        assert report == parsed.report
        assert parsed.ambiguities == ()
        assert (
            not {
                "missing_row",
                "missing_table",
                "row_too_short",
                "row_too_long",
                "unreadable_cell",
                "stray_values",
            }
            & parsed.codes()
        )

    @given(data=st.data())
    def test_broken_reports_keep_their_errors(
        self, fmt: str, locale: str, data: st.DataObject
    ) -> None:
        """A report with a broken identity reads back with the same findings (parsing never repairs)."""
        rule = data.draw(st.sampled_from(("requests.balance", "appeals.total")))
        report = data.draw(gd.strategies.broken_reports(rule))
        parsed = gd.parse(gd.render(report, fmt, locale=locale))
        assert [(f.rule, f.subject) for f in gd.check(report)] == [
            (f.rule, f.subject) for f in gd.check(parsed.report)
        ]


class TestSniffing:
    """The format is recognised from the content."""

    def test_formats(self) -> None:
        """Text, Markdown, HTML (str and bytes) and DOCX bytes are told apart."""
        r = gd.AnnualReport(agency="某局", year=2021)
        assert gd.parse(gd.render(r, "text")).format == "text"
        assert gd.parse(gd.render(r, "markdown")).format == "text"
        html = gd.render(r, "html")
        assert isinstance(html, str)
        assert gd.parse(html).format == "html"
        assert gd.parse(html.encode("utf-8")).format == "html"
        assert gd.parse(gd.render(r, "docx")).format == "docx"

    def test_gbk_html(self) -> None:
        """An HTML page in GBK with a meta charset reads the same as UTF-8."""
        r = gd.AnnualReport(agency="某局", year=2021)
        html = gd.render(r, "html")
        assert isinstance(html, str)
        page = '<html><head><meta charset="gb2312"></head><body>' + html + "</body></html>"
        assert gd.parse(page.encode("gb18030")).report == r

    def test_path(self, tmp_path: object) -> None:
        """A path (str or Path) is read from disk."""
        from pathlib import Path

        assert isinstance(tmp_path, Path)
        r = gd.AnnualReport(agency="某局", year=2020)
        f = tmp_path / "r.docx"
        out = gd.render(r, "docx")
        assert isinstance(out, bytes)
        f.write_bytes(out)
        assert gd.parse(f).report == r
        assert gd.parse(str(f)).report == r


@settings(max_examples=50)
@given(report=gd.strategies.reports(edition="2019", blank_cells=True))
def test_a_blank_procurement_amount_has_no_unit(report: gd.AnnualReport) -> None:
    """The unit is printed in the amount's cell: a blank amount cannot carry one through a rendering."""
    assert isinstance(report.proactive, gd.Proactive2019)
    if "t2.procurement.amount" in report.blank_cells:
        assert report.proactive.procurement.amount_unit is None
