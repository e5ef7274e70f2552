"""
Inputs the fuzzing campaign (``make fuzz``, ``scripts/fuzz.py``) found, reduced to their pattern.

Each raised something other than a :class:`gov_disclosure.ParseError` from
``gd.parse``; each test fails on the code before its fix.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.parsers import Location
from gov_disclosure.parsers._doc import Row
from gov_disclosure.parsers.assemble import assemble

CORPUS = Path(__file__).resolve().parent / "corpus"


def _report_002() -> str:
    return (CORPUS / "002.txt").read_text(encoding="utf-8")


def test_fee_sentence_with_an_amount_no_report_can_hold() -> None:
    """A 信息处理费 figure of 40 digits (InvalidValueError escaped): the figure unread, the sentence kept."""
    text = _report_002()
    assert "收取信息处理费共计380元" in text
    parsed = gd.parse(
        text.replace("收取信息处理费共计380元", "收取信息处理费共计" + "9" * 40 + "元")
    )
    assert parsed.report.other_matters.fees is None or (
        parsed.report.other_matters.fees.collected_amount is None
    )
    assert any("9" * 40 in p for p in parsed.report.other_matters.paragraphs)
    (warning,) = [w for w in parsed.warnings if "t6.fees.collected_amount" in w.cells]
    assert warning.code == "unreadable_cell"
    assert "9" * 40 in warning.message


def test_fee_sentence_as_rendered_with_an_absurd_count() -> None:
    """The renderers' own fee sentence with a count of 30 digits: kept as text, never raised."""
    report = gd.AnnualReport(agency="某局", year=2021)
    fees = gd.InformationFees(notices=2, notified_amount=None, collected_amount=None)
    report = attrs.evolve(report, other_matters=gd.OtherMatters(paragraphs=(), fees=fees))
    text = gd.render(report, "text")
    assert "2" in text
    damaged = text.replace("2 件", "9" * 30 + " 件").replace("2件", "9" * 30 + "件")
    assert damaged != text
    parsed = gd.parse(damaged)
    fees_read = parsed.report.other_matters.fees
    assert fees_read is None or fees_read.notices != int("9" * 30)
    assert any("9" * 30 in p for p in parsed.report.other_matters.paragraphs)


def test_lone_surrogates_in_the_text_become_replacement_characters() -> None:
    """Lone surrogates (a PDF font's broken character map; InvalidValueError escaped): U+FFFD, warned."""
    text = _report_002()
    clean = gd.parse(text)
    first = max(clean.report.preamble, key=len)
    assert text.count(first) == 1
    broken = text.replace(first, first[:2] + "\ud800" + first[2:] + "\udfff")
    parsed = gd.parse(broken)
    assert first[:2] + "\ufffd" + first[2:] + "\ufffd" in parsed.report.preamble
    (warning,) = [w for w in parsed.warnings if w.code == "replaced_characters"]
    assert warning.message.startswith("2 character(s)")
    assert warning.location is not None
    assert parsed.report.requests == clean.report.requests


def test_lone_surrogate_in_the_agency_is_refused_as_a_parse_error() -> None:
    """An agency given with a lone surrogate: a ParseError (the model's refusal, located)."""
    with pytest.raises(gd.ParseError, match="agency"):
        gd.parse(_report_002(), agency="某\ud800局")


def test_lone_surrogate_in_an_html_str_does_not_cut_the_page() -> None:
    """lxml stops reading a str at a lone surrogate: the tables after it were lost, with no word of it."""
    html = (CORPUS / "001.html").read_text(encoding="utf-8")
    clean = gd.parse(html)
    at = html.index("三、")
    parsed = gd.parse(html[:at] + "\ud800" + html[at:])
    assert parsed.report.requests == clean.report.requests
    assert parsed.report.proactive == clean.report.proactive
    assert [w.code for w in parsed.warnings if w.code == "replaced_characters"] == [
        "replaced_characters"
    ]
    assert {w.code for w in parsed.warnings} - {"replaced_characters"} == {
        w.code for w in clean.warnings
    }


def test_replaced_characters_points_at_the_row_that_held_one() -> None:
    """A U+FFFD printed earlier in the text does not take the warning's place."""
    rows = [
        Row(
            cells=(f"line {i}" + ("\ufffd" if i == 3 else "") + ("\udc80" if i == 5 else ""),),
            locs=(Location(line=i + 1),),
        )
        for i in range(8)
    ]
    text = _report_002()
    # The report itself, after the eight lines: the assembler needs its tables.
    from gov_disclosure.parsers.text import read_text

    parsed = assemble([*rows, *read_text(text)], agency=None, year=None)
    (warning,) = [w for w in parsed.warnings if w.code == "replaced_characters"]
    assert warning.location == Location(line=6)


def test_twelve_megabytes_of_markup_in_a_text_report_is_refused_by_its_length() -> None:
    """
    006.txt with 12 MB of ``<font>`` in a line (within the input limit) took 3.1-3.9 s of CPU.

    Found by the campaign (seed 1212): every pass of the assembler over the
    whole text is linear, but 12 million characters are more than any report
    holds.  The rows' text is measured before the assembler's work.
    """
    from gov_disclosure.parsers._doc import MAX_TEXT_CHARS

    text = (CORPUS / "006.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = len(lines) // 2
    lines[at] += "<font>" * 1_950_000
    data = "\n".join(lines).encode("utf-8")
    assert len(data) < gd.MAX_INPUT_BYTES
    with pytest.raises(gd.ParseError, match=f"more than the {MAX_TEXT_CHARS}"):
        gd.parse(data)
    # Under the limit, as long as a report can be, the text is read.
    lines[at] = lines[at][: -6 * 1_950_000] + "<font>" * ((MAX_TEXT_CHARS - len(text)) // 6 - 10)
    assert gd.cells(gd.parse("\n".join(lines)).report) == gd.cells(gd.parse(text).report)
