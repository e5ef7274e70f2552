"""
The report document (:func:`~gov_disclosure.to_dict`, ``to_json``) and the tidy rows as ``TypedDict`` types.

The document's types are generated from :func:`~gov_disclosure.json_schema`
into :mod:`._document` (``scripts/document_types.py``); this module names the
public ones and types the rows, whose columns (``ROW_FIELDS`` of ``_rows``)
are read from :class:`TidyRow` here, so the columns are written once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from ._document import EditionTag, ReportDocument, ReportDocument2019, ReportDocument2021

__all__ = [
    "ReportDocument",
    "ReportDocument2019",
    "ReportDocument2021",
    "TidyRow",
    "TidyRowRead",
]


class TidyRow(TypedDict):
    """
    One number of one report: a row of :func:`~gov_disclosure.to_rows`.

    ``key`` is a cell key of ``docs/spec/CELLS.md``; ``value`` an ``int`` or,
    for money, a :class:`~decimal.Decimal`; ``unit`` the unit a money cell is
    printed in (``""`` for counts and for an amount printed without one);
    ``blank`` whether the cell was printed blank (its ``value`` is then 0).
    The keys are in the order of the columns of the files
    :func:`~gov_disclosure.write_rows` writes.

    .. versionadded:: 0.1.0
    """

    agency: str
    year: int
    edition: EditionTag
    key: str
    value: int | Decimal
    unit: str
    blank: bool


class _TidyRowReadRequired(TypedDict):
    agency: str
    year: int | str
    edition: str
    key: str
    value: int | Decimal | str


class TidyRowRead(_TidyRowReadRequired, total=False):
    """
    A row of :func:`~gov_disclosure.read_rows`: a :class:`TidyRow` as a file holds it.

    A value that parses is typed as in :class:`TidyRow` (``year`` an
    ``int``, ``value`` an ``int`` or :class:`~decimal.Decimal`, ``blank`` a
    ``bool``); one that does not stays the file's text, for
    :func:`~gov_disclosure.from_rows` to report with its place.  Rows of the
    older five-column files have no ``unit`` and no ``blank``.

    .. versionadded:: 0.1.0
    """

    unit: str
    blank: bool | str
