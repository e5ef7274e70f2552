"""
The shapes of the rows :func:`~gov_disclosure.batch` writes: one result row per file, one cell row per cell.

The column lists of the output files (``RESULT_FIELDS``, ``CELL_FIELDS``)
are read from these types, so the types and the files cannot drift apart.
"""

from __future__ import annotations

from typing import TypedDict

__all__ = ["BatchCellRow", "BatchRow"]


class BatchRow(TypedDict):
    """
    One file's result row: :meth:`BatchResult.row() <gov_disclosure.BatchResult.row>`, a line of the results file.

    The fields of :class:`~gov_disclosure.BatchResult` but the cells, in the
    order of the results file's columns; a file that could not be read has
    ``error`` set and the report fields ``None``.

    .. versionadded:: 0.1.0
    """

    path: str
    agency: str | None
    year: int | None
    edition: str | None
    n_errors: int | None
    n_warnings: int | None
    n_parse_warnings: int | None
    findings: str
    parse_warnings: str
    error: str | None


class BatchCellRow(TypedDict):
    """
    One cell of one file: :meth:`BatchResult.cell_rows() <gov_disclosure.BatchResult.cell_rows>`, a line of the cells file.

    ``path`` and then the columns of :class:`~gov_disclosure.TidyRow`, with
    ``value`` as its exact decimal text.

    .. versionadded:: 0.1.0
    """

    path: str
    agency: str | None
    year: int | None
    edition: str | None
    key: str
    value: str
    unit: str
    blank: bool
