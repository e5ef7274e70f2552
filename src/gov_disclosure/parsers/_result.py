"""
What :func:`gov_disclosure.parse` returns: the report, and everything that was assumed to get it.

A parser that guesses silently is worse than none: every assumption (a
blank cell read as 0, a label matched loosely, a missing heading, cells
split out of a run of digits) is a :class:`ParseWarning` with a stable code
and a location, every number has its provenance, and cells the text cannot
decide are :class:`Ambiguity` records listing every candidate.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
from attrs import frozen

from ..cells import CellValue
from ..model import AnnualReport
from ._doc import Location

__all__ = ["WARNING_CODES", "Ambiguity", "ParseWarning", "Parsed"]

#: Every warning code, with its meaning (the parsing guide lists the same).
WARNING_CODES: Mapping[str, str] = {
    "blank_cell": "a cell was printed blank, '/', '-', '—' or '无'; it is held as 0 and listed in report.blank_cells",
    "ambiguous_split": "a run of digits splits into the row's cells in more than one way that satisfies every identity; the most plausible reading was kept",
    "split_cells": "cells printed without separators were split using the column count and the identities (one reading only)",
    "identities_unsatisfied": "no split of a run of digits satisfies the identities; the most plausible reading was kept",
    "edition_mismatch": "the edition read from the labels differs from the edition prescribed for the year",
    "mixed_edition_labels": "labels of both editions were found",
    "missing_table": "a table of the format was not found; its cells are 0 and blank",
    "missing_row": "a row of a table was not found; its cells are 0 and blank",
    "row_too_short": "a row has fewer cells than the format; the missing cells are 0 and blank",
    "row_too_long": "a row has more cells than the format; the extra cells were ignored",
    "stray_values": "numbers in a table could not be assigned to any row and were ignored",
    "unlabelled_row": "a row of values without a label was assigned to a label printed elsewhere, in document order",
    "extra_row": "a row that the format does not have was kept in report.extra_rows",
    "duplicate_row": "a row was printed more than once; the first was used",
    "unreadable_cell": "a cell's text is not a number of the column's kind; it is held as 0 and blank",
    "thousands_separator": "a number was printed with thousands separators",
    "decimal_count": "a count was printed with an all-zero decimal part (56.0); it was read as the integer",
    "unit_in_cell": "a unit was printed inside a money cell",
    "unit_converted": "a money cell printed in another unit than its header's was converted exactly",
    "loose_label": "a row label was found with other text printed inside it (columns of a PDF interleaved)",
    "fuzzy_label": "a row label printed with characters missing or wrong was read as the closest label of the format (unique and close); the warning names the printed and the official label",
    "edition_row": "a row that only the other edition has (a 2021 （六） sub-row in a 2019 table) was kept in report.extra_rows; the warning names the cells of the row that counts it",
    "group_row": "a group label (（六）其他处理) was printed with values of its own instead of its rows, as the other edition prints it; the values were kept in report.extra_rows and its rows are blank",
    "year_from_caller": "the reporting year was not found in the text; the caller's year was used",
    "agency_from_caller": "the agency was not found in the text; the caller's agency was used",
    "year_mismatch": "the caller's year differs from the year printed in the title",
    "period_mismatch": "the data period the text states (统计期限自…年1月1日) is of another year than the title's (or the caller's); the title's (or the caller's) year was used",
    "page_clutter": "lines of a web page before the report's title (navigation, dates, buttons, the title repeated) were dropped, not kept in report.preamble",
    "replaced_characters": "characters that are not Unicode text (lone surrogates: a PDF font's broken character map, a str holding them) were replaced by U+FFFD",
    "missing_heading": "a section heading was not found; the section was located by its table or left empty",
}


@frozen(kw_only=True)
class ParseWarning:
    """
    One assumption the parser made.

    Attributes:
        code: A stable code (see :data:`gov_disclosure.WARNING_CODES` and the parsing guide).
        message: What was assumed, in English.
        location: Where in the source, or ``None`` for the whole document.
        cells: The cell keys concerned, if any.

    .. versionadded:: 0.1.0
    """

    code: str
    message: str
    location: Location | None = None
    cells: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        return f"{where}{self.code}: {self.message}"


@frozen(kw_only=True)
class Ambiguity:
    """
    A cell whose value the text alone cannot decide.

    Attributes:
        key: The cell key.
        candidates: Every value the cell takes in some reading that satisfies
            all identities, in ascending order.
        chosen: The value kept in the report (the most plausible reading, or
            the one closest to the ``previous`` report when given).
        location: Where the run of digits is.

    .. versionadded:: 0.1.0
    """

    key: str
    candidates: tuple[CellValue, ...]
    chosen: CellValue
    location: Location | None = None


@frozen(kw_only=True)
class Parsed:
    """
    The result of :func:`gov_disclosure.parse`.

    Attributes:
        report: The report as printed (blank cells held as 0, see
            :attr:`AnnualReport.blank_cells <gov_disclosure.AnnualReport.blank_cells>`).
        warnings: Every assumption made, in document order.
        provenance: Cell key -> :class:`Location` the value was read from:
            a line (and cell) of a text source; for an HTML or Word table,
            the table, its row and the logical column of the table's grid
            (``colspan``/``rowspan`` and merged cells before and above it
            expanded, so one column of the format has one column number);
            for digits split out of a run, where the run is.
        ambiguities: The cells the text cannot decide, with every candidate.
        format: The format read (``"text"``, ``"html"`` or ``"docx"``).

    .. versionadded:: 0.1.0
    """

    report: AnnualReport
    warnings: tuple[ParseWarning, ...] = ()
    provenance: Mapping[str, Location] = attrs.field(factory=dict, eq=False)
    ambiguities: tuple[Ambiguity, ...] = ()
    format: str = "text"

    def codes(self) -> set[str]:
        """The set of warning codes raised (handy in tests and filters)."""
        return {w.code for w in self.warnings}
