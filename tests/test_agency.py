"""An agency's name is one line (issue #15, item 3): refused with a control character or a line separator, however it comes in."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import CORPUS

import gov_disclosure as gd


class TestAgencyOnOneLine:
    """An agency's name is one line: a control character or a line separator in it is refused, each way in."""

    @given(
        before=st.text(st.characters(whitelist_categories=("Lo",)), min_size=1, max_size=5),
        bad=st.sampled_from(["\n", "\r", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"]),
    )
    def test_model_and_documents_refuse(self, before: str, bad: str) -> None:
        """The model, from_dict and from_json (its generated builder) refuse the same names."""
        with pytest.raises(gd.InvalidValueError, match="one line"):
            gd.AnnualReport(agency=before + bad, year=2021)
        doc = gd.to_dict(gd.AnnualReport(agency=before, year=2021))
        doc["agency"] = before + bad
        with pytest.raises(gd.StructureError, match="one line"):
            gd.from_dict(doc)
        with pytest.raises(gd.StructureError, match="one line"):
            gd.from_json(json.dumps(doc, ensure_ascii=False).encode())

    def test_parse_refuses_a_caller_agency_on_two_lines(self) -> None:
        """parse(agency=...) with a line break: a ParseError (an InvalidValueError would escape parse)."""
        with pytest.raises(gd.ParseError, match="control character or a line break"):
            gd.parse(CORPUS / "000.txt", agency="某局\n::error file=x::y")


def test_a_control_character_in_a_title_is_dropped() -> None:
    """A stray BEL or ESC printed in the title is no part of the agency's name (parse refused the file)."""
    text = (CORPUS / "006.txt").read_text(encoding="utf-8")
    report = gd.parse(text).report
    agency = report.agency
    assert agency in text
    for bad in ("\x07", "\x1b", "\x00"):
        marked = text.replace(agency, agency[:2] + bad + agency[2:], 1)
        assert gd.parse(marked).report.agency == agency
