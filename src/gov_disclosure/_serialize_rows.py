"""
Tidy long rows (agency, year, edition, key, value), and their CSV and Parquet files.

Analysts want one row per number: the cell keys of ``spec/CELLS.md`` make the
``key`` column, so a table of many reports pivots, filters and joins with any
tool.  Rows hold numbers only: narratives, extra rows, blank-cell marks and
the printed unit of the 2019 procurement amount are not in them.  Money stays
exact: a :class:`~decimal.Decimal` in Python, the decimal text in files (CSV
and Parquet ``value`` columns are strings, never floats).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ._catalogue import Edition, ValueKind, catalogue
from ._serialize_hooks import MONEY_PATTERN_PY, describe
from .cells import cells, from_cells
from .errors import CellsError, StructureError
from .model import AnnualReport
from .model._common import count_in_domain, money_in_domain, money_text

__all__ = ["ROW_FIELDS", "from_rows", "read_rows", "to_rows", "write_rows"]

#: The columns of a tidy row, in order.
ROW_FIELDS: tuple[str, ...] = ("agency", "year", "edition", "key", "value")

_INT_RE = re.compile(r"\A-?[0-9]+\Z")
_MONEY_RE = re.compile(MONEY_PATTERN_PY)
_EDITIONS = {e.value: e for e in Edition}


def to_rows(reports: Iterable[AnnualReport]) -> list[dict[str, Any]]:
    """
    Return the numbers of *reports* as tidy rows, one per cell, keyed as in ``spec/CELLS.md``.

    Each row is ``{"agency", "year", "edition", "key", "value"}``; ``value``
    is an ``int`` or, for money, a :class:`~decimal.Decimal`.  Narratives are
    not in rows.

    >>> import gov_disclosure as gd
    >>> rows = gd.to_rows([gd.AnnualReport(agency="某局", year=2021)])
    >>> rows[0]
    {'agency': '某局', 'year': 2021, 'edition': '2021', 'key': 't2.regulations.issued', 'value': 0}

    .. versionadded:: 0.1.0
    """
    out = []
    for r in reports:
        agency, year, edition = r.agency, r.year, r.edition.value
        out += [
            {"agency": agency, "year": year, "edition": edition, "key": key, "value": value}
            for key, value in cells(r).items()
        ]
    return out


def _parse_value(edition: Edition, key: str, value: object) -> tuple[int | Decimal | None, str]:
    """The typed value of a cell (from a typed value or the text of a file), or an error."""
    cell = catalogue(edition).cells[key]
    if cell.kind is ValueKind.MONEY:
        if type(value) is Decimal and money_in_domain(value):
            return value, ""
        if type(value) is str and _MONEY_RE.match(value):
            return Decimal(value), ""
        return None, f"expected a non-negative decimal amount, got {describe(_plain(value))}"
    if type(value) is str and _INT_RE.match(value) and len(value) <= 20:
        value = int(value)
    if type(value) is not int or not count_in_domain(value, signed=cell.kind is ValueKind.SIGNED):
        which = "an int" if cell.kind is ValueKind.SIGNED else "a non-negative int"
        return None, f"expected {which}, got {describe(_plain(value))}"
    return value, ""


def _plain(value: object) -> object:
    return money_text(value) if isinstance(value, Decimal) else value


def from_rows(rows: Iterable[Mapping[str, Any]]) -> list[AnnualReport]:
    """
    Build reports from tidy rows: the inverse of :func:`to_rows` (numbers only).

    Rows are grouped by (agency, year, edition), in the order first seen.
    A ``value`` may be typed (``int``, :class:`~decimal.Decimal`) or the text
    read from a file (``"12"``, ``"4068.208"``).  The reports have empty
    narratives.

    >>> import gov_disclosure as gd
    >>> r = gd.AnnualReport(agency="某局", year=2020)
    >>> gd.from_rows(gd.to_rows([r])) == [r]
    True

    Raises:
        StructureError: rows are malformed, values have the wrong type, or a
            report lacks cells or has unknown or repeated ones; every problem
            at once, each with the row index (``rows[12].value``).

    .. versionadded:: 0.1.0
    """
    errors: list[tuple[str, str]] = []
    groups: dict[tuple[str, int, Edition], dict[str, int | Decimal]] = {}
    for i, row in enumerate(rows):
        where = f"rows[{i}]"
        if not isinstance(row, Mapping):
            errors.append((where, f"expected a row mapping, got {describe(row)}"))
            continue
        bad = False
        for name in sorted(set(row) - set(ROW_FIELDS)):
            errors.append((f"{where}.{name}", "unknown column"))
            bad = True
        for name in ROW_FIELDS:
            if name not in row:
                errors.append((f"{where}.{name}", "required column missing"))
                bad = True
        if bad:
            continue
        agency, year, ed, key = row["agency"], row["year"], row["edition"], row["key"]
        if type(agency) is not str:
            errors.append((f"{where}.agency", f"expected a string, got {describe(agency)}"))
            bad = True
        if type(year) is not int:
            errors.append((f"{where}.year", f"expected an int, got {describe(year)}"))
            bad = True
        edition = _EDITIONS.get(ed) if type(ed) is str else None
        if edition is None:
            errors.append((f"{where}.edition", f"unknown edition {describe(ed)}"))
            bad = True
        if type(key) is not str:
            errors.append((f"{where}.key", f"expected a string, got {describe(key)}"))
            bad = True
        if bad or edition is None:
            continue
        if key not in catalogue(edition).cells:
            errors.append((f"{where}.key", f"unknown cell key {key!r} for edition {edition.value}"))
            continue
        value, problem = _parse_value(edition, key, row["value"])
        if problem:
            errors.append((f"{where}.value", problem))
            continue
        assert value is not None
        group = groups.setdefault((agency, year, edition), {})
        if key in group:
            errors.append((f"{where}.key", f"{key} repeated for {agency} {year}"))
            continue
        group[key] = value
    reports = []
    for (agency, year, edition), values in groups.items():
        try:
            reports.append(from_cells(values, agency=agency, year=year, edition=edition))
        except CellsError as e:
            where = f"report {agency!r} {year}"
            errors += [(where, f"unknown cell {k}") for k in e.unknown]
            errors += [(where, f"missing cell {k}") for k in e.missing]
            errors += [(where, f"{k}: {m}") for k, m in e.invalid]
        except (ValueError, TypeError) as e:  # the model's own checks (a year before 2019...)
            errors.append((f"report {agency!r} {year}", str(e)))
    if errors:
        raise StructureError(errors)
    return reports


def _format(path: Path, format: str | None) -> str:
    fmt = format or path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "parquet"):
        raise StructureError(
            [(str(path), f"unknown rows format {fmt!r}; use a .csv or .parquet file, or format=")]
        )
    return fmt


def write_rows(
    reports: Iterable[AnnualReport], path: str | os.PathLike[str], *, format: str | None = None
) -> None:
    """
    Write the tidy rows of *reports* to a CSV or Parquet file.

    The format is *format* (``"csv"`` or ``"parquet"``) or the file's suffix.
    The ``value`` column holds the exact decimal text of every number (a
    string column in Parquet), so money is never rounded through a float.
    Parquet needs the ``parquet`` extra (pyarrow).

    Raises:
        StructureError: the format is unknown.
        ImportError: Parquet was asked for without pyarrow.

    .. versionadded:: 0.1.0
    """
    p = Path(path)
    rows = to_rows(reports)
    if _format(p, format) == "csv":
        with p.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(ROW_FIELDS)
            w.writerows(
                [r["agency"], r["year"], r["edition"], r["key"], str(r["value"])] for r in rows
            )
        return
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    schema = pa.schema(
        [
            ("agency", pa.string()),
            ("year", pa.int32()),
            ("edition", pa.string()),
            ("key", pa.string()),
            ("value", pa.string()),
        ]
    )
    table = pa.Table.from_pydict(
        {
            "agency": [r["agency"] for r in rows],
            "year": [r["year"] for r in rows],
            "edition": [r["edition"] for r in rows],
            "key": [r["key"] for r in rows],
            "value": [str(r["value"]) for r in rows],
        },
        schema=schema,
    )
    pq.write_table(table, p)


def read_rows(path: str | os.PathLike[str], *, format: str | None = None) -> list[dict[str, Any]]:
    """
    Read tidy rows from a CSV or Parquet file written by :func:`write_rows`.

    ``year`` becomes an ``int`` and ``value`` an ``int`` or
    :class:`~decimal.Decimal` by the cell's kind in the catalogue (a value
    that does not parse is left as text for :func:`from_rows` to report).
    Pass the result to :func:`from_rows` to get reports back.

    Raises:
        StructureError: the format is unknown, or the header is not
            ``agency,year,edition,key,value``.
        ImportError: Parquet was asked for without pyarrow.

    .. versionadded:: 0.1.0
    """
    p = Path(path)
    if _format(p, format) == "csv":
        with p.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = tuple(next(reader, ()))
            if header != ROW_FIELDS:
                raise StructureError(
                    [
                        (
                            f"{p}: line 1",
                            f"expected the header {','.join(ROW_FIELDS)}, got {','.join(header)}",
                        )
                    ]
                )
            raw = [dict(zip(ROW_FIELDS, line, strict=False)) for line in reader]
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(p)
        if tuple(table.column_names) != ROW_FIELDS:
            raise StructureError(
                [(str(p), f"expected the columns {ROW_FIELDS}, got {tuple(table.column_names)}")]
            )
        raw = table.to_pylist()
    out = []
    for row in raw:
        year: Any = row.get("year")
        if type(year) is str and _INT_RE.match(year):
            year = int(year)
        value: Any = row.get("value")
        tag = row.get("edition")
        edition = _EDITIONS.get(tag) if type(tag) is str else None
        if edition is not None and row.get("key") in catalogue(edition).cells:
            parsed, problem = _parse_value(edition, row["key"], value)
            if not problem:
                value = parsed
        out.append({**row, "year": year, "value": value})
    return out
