"""
Tidy long rows (agency, year, edition, key, value, unit, blank), and their CSV and Parquet files.

Analysts want one row per number: the cell keys of ``docs/spec/CELLS.md`` make the
``key`` column, so a table of many reports pivots, filters and joins with any
tool.  Besides its value, a row carries what a number needs to be read right:
the unit its amount is printed in and whether the cell was printed blank
(held as 0; blank is not zero).  Narratives and extra rows are not in rows.
Money stays exact: a :class:`~decimal.Decimal` in Python, the decimal text in
files (CSV and Parquet ``value`` columns are strings, never floats).

The same rows, with the file's path in front, are the cell rows of
:func:`gov_disclosure.batch` (``BatchResult.cell_rows``), built from
:func:`report_cells` here, so the two never disagree on a unit or a blank.
"""

from __future__ import annotations

import csv
import functools
import itertools
import os
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs

from .._extras import require
from .._messages import M_
from ..catalogue import CellDef, Edition, ValueKind, catalogue
from ..cells import CellValue, cells, from_cells
from ..errors import CellsError, GovDisclosureError, StructureError
from ..model import AnnualReport
from ..model._common import MAX_COUNT, count_in_domain, money_in_domain, money_text
from ._csvcell import csv_cell, csv_text
from ._document import EditionTag
from ._kinds import MONEY_PATTERN_PY, describe
from ._types import TidyRow, TidyRowRead

__all__ = [
    "LEGACY_ROW_FIELDS",
    "ROW_FIELDS",
    "from_rows",
    "read_rows",
    "report_cells",
    "to_rows",
    "value_text",
    "write_rows",
]

#: The columns of a tidy row, in order: the keys of :class:`~gov_disclosure.TidyRow`.
ROW_FIELDS: tuple[str, ...] = tuple(TidyRow.__annotations__)
#: The columns of rows written before ``unit`` and ``blank`` were added; still read.
LEGACY_ROW_FIELDS: tuple[str, ...] = ROW_FIELDS[:5]

_INT_RE = re.compile(r"\A-?[0-9]+\Z")
_MONEY_RE = re.compile(MONEY_PATTERN_PY)
_EDITIONS = {e.value: e for e in Edition}
#: How a ``blank`` is written in a text file, and the spellings read back (pandas writes ``True``).
_BLANK_TEXT = {"true": True, "false": False}
#: Missing cells of one report listed one by one; more are summed up in one problem.
_MAX_MISSING = 5


#: The unit a column header fixes for its amounts: ``（元）``, ``（单位：万元）``.
def _header_unit(cell: CellDef) -> str:
    """The unit printed in the column header of a money cell (from the catalogue), or ``""``."""
    return cell.column.unit or ""


@attrs.frozen
class _UnitCell:
    """Where the printed unit of a money cell lives."""

    #: Attribute path of the object holding the amount.
    parent: tuple[str, ...]
    #: The model's ``<name>_unit`` attribute on that object, or ``None`` when the header fixes the unit.
    attr: str | None
    #: The unit the column header prints (``""`` when it prints none).
    header: str


@functools.cache
def _unit_cells(edition: Edition) -> dict[str, _UnitCell]:
    """Every money cell of *edition*: where its unit is recorded (the model or the header)."""
    probe = AnnualReport(agency="probe", year=2019 if edition is Edition.V2019 else 2021)
    out = {}
    for key, c in catalogue(edition).cells.items():
        if c.kind is not ValueKind.MONEY:
            continue
        parent, attr = c.attr_path[:-1], f"{c.attr_path[-1]}_unit"
        owner: Any = probe
        for name in parent:
            owner = getattr(owner, name, None)
        has = owner is not None and attr in attrs.fields_dict(type(owner))
        out[key] = _UnitCell(parent, attr if has else None, _header_unit(c))
    return out


def _owner(report: AnnualReport, parent: tuple[str, ...]) -> Any:
    owner: Any = report
    for name in parent:
        owner = getattr(owner, name)
    return owner


def money_units(report: AnnualReport) -> dict[str, str]:
    """
    The printed unit of every money cell of *report*: the unit the model records, else the header's.

    A 2019-edition procurement amount carries its own unit (``amount_unit``,
    ``""`` when none was printed); the other amounts are in the unit their
    column header prints (``（元）``, ``（单位：万元）``), read from the catalogue.
    """
    out = {}
    for key, u in _unit_cells(report.edition).items():
        out[key] = (getattr(_owner(report, u.parent), u.attr) or "") if u.attr else u.header
    return out


def report_cells(report: AnnualReport) -> list[tuple[str, CellValue, str, bool]]:
    """
    Every cell of *report* as ``(key, value, unit, blank)``: the body of its tidy rows.

    ``unit`` is the printed unit of a money cell (``""`` for counts and for an
    amount printed without one); ``blank`` whether the cell was printed blank.
    """
    values = cells(report)
    keys = list(values)
    # Every cell unmarked, built at C speed; then the few units and blanks are set.
    out = list(zip(keys, values.values(), itertools.repeat(""), itertools.repeat(False)))
    marks = [(k, u, False) for k, u in money_units(report).items() if u and k in values]
    marks += [(k, "", True) for k in report.blank_cells if k in values]
    if marks:
        # list.index for the usual few marks; a dict when many cells are blank.
        find = {k: i for i, k in enumerate(keys)}.__getitem__ if len(marks) > 8 else keys.index
        for k, u, b in marks:
            i = find(k)
            _, v, unit, blank = out[i]
            out[i] = (k, v, u or unit, b or blank)
    return out


def value_text(value: CellValue) -> str:
    """The exact text of a cell value as files hold it: ``"12"``, ``"4068.208"`` (never ``"1E+2"``)."""
    return money_text(value) if isinstance(value, Decimal) else str(value)


def to_rows(reports: Iterable[AnnualReport]) -> list[TidyRow]:
    """
    Return the numbers of *reports* as tidy rows, one per cell, keyed as in ``docs/spec/CELLS.md``.

    Each row is a :class:`~gov_disclosure.TidyRow`, ``{"agency", "year",
    "edition", "key", "value", "unit", "blank"}``: ``value`` is an ``int`` or, for money, a
    :class:`~decimal.Decimal`; ``unit`` the unit a money cell is printed in
    (``"元"``, ``"万元"``; ``""`` for counts and for an amount printed
    without a unit); ``blank`` is ``True`` for a cell printed blank (its
    ``value`` is then 0).  Narratives are not in rows.

    >>> import gov_disclosure as gd
    >>> rows = gd.to_rows([gd.AnnualReport(agency="某局", year=2021, blank_cells={"t2.regulations.issued"})])
    >>> rows[0]
    {'agency': '某局', 'year': 2021, 'edition': '2021', 'key': 't2.regulations.issued', 'value': 0, 'unit': '', 'blank': True}
    >>> rows[9]["key"], rows[9]["value"], rows[9]["unit"]
    ('t2.fees.amount', Decimal('0'), '万元')

    .. versionadded:: 0.1.0
    """
    out: list[TidyRow] = []
    for i, r in enumerate(_items("to_rows(reports)", reports)):
        if not isinstance(r, AnnualReport):
            raise StructureError(
                [(f"reports[{i}]", M_("expected an AnnualReport, got {got}", got=describe(r)))]
            )
        agency, year = r.agency, r.year
        edition: EditionTag = r.edition.value
        out += [
            {
                "agency": agency,
                "year": year,
                "edition": edition,
                "key": key,
                "value": value,
                "unit": unit,
                "blank": blank,
            }
            for key, value, unit, blank in report_cells(r)
        ]
    return out


@functools.cache
def _kinds(edition: Edition) -> dict[str, ValueKind]:
    """The value kind of every cell key of *edition*."""
    return {key: c.kind for key, c in catalogue(edition).cells.items()}


def _parse_value(edition: Edition, key: str, value: object) -> tuple[int | Decimal | None, str]:
    """The typed value of a cell (from a typed value or the text of a file), or an error."""
    kind = _kinds(edition)[key]
    if type(value) is int and kind is ValueKind.COUNT and 0 <= value <= MAX_COUNT:
        return value, ""  # the common case, decided at once
    if kind is ValueKind.MONEY:
        if type(value) is Decimal and money_in_domain(value):
            return value, ""
        if type(value) is str and _MONEY_RE.match(value):
            return Decimal(value), ""
        return None, M_(
            "expected a non-negative decimal amount, got {got}", got=describe(_plain(value))
        )
    if type(value) is str and _INT_RE.match(value) and len(value) <= 20:
        value = int(value)
    if type(value) is not int or not count_in_domain(value, signed=kind is ValueKind.SIGNED):
        got = describe(_plain(value))
        if kind is ValueKind.SIGNED:
            return None, M_("expected an int, got {got}", got=got)
        return None, M_("expected a non-negative int, got {got}", got=got)
    return value, ""


def _parse_blank(value: object) -> bool | None:
    if type(value) is bool:
        return value
    # "true", pandas' "True", Excel's "TRUE".
    return _BLANK_TEXT.get(value.lower()) if type(value) is str else None


def _unit_problem(edition: Edition, key: str, unit: object) -> str:
    """Why *unit* cannot be the printed unit of cell *key*, or ``""``."""
    if type(unit) is not str:
        return M_("expected a string, got {got}", got=describe(unit))
    u = _unit_cells(edition).get(key)
    if u is None:
        return (
            ""
            if unit == ""
            else M_("{key} is a count and has no unit, got {unit!r}", key=key, unit=unit)
        )
    if u.attr is not None or unit in ("", u.header):
        return ""
    if not u.header:
        return M_("{key} is printed without a unit, got {unit!r}", key=key, unit=unit)
    return M_(
        "{key} is printed in {header} (its column header fixes the unit), got {unit!r}",
        key=key,
        header=u.header,
        unit=unit,
    )


def _plain(value: object) -> object:
    return money_text(value) if isinstance(value, Decimal) else value


def _with_unit(obj: Any, parent: tuple[str, ...], attr: str, unit: str) -> Any:
    """*obj* with the unit attribute *attr* of its descendant at *parent* set (validated by the model)."""
    if not parent:
        return attrs.evolve(obj, **{attr: unit})
    child = getattr(obj, parent[0])
    return attrs.evolve(obj, **{parent[0]: _with_unit(child, parent[1:], attr, unit)})


def _row_path(i: int, column: str) -> str:
    return f"rows[{i}].{column}" if column else f"rows[{i}]"


@attrs.define
class _Group:
    """The rows of one report, as they are read."""

    values: dict[str, int | Decimal] = attrs.Factory(dict)
    #: Cell key -> (row index, unit) for the units the model records.
    units: dict[str, tuple[int, str]] = attrs.Factory(dict)
    blank: set[str] = attrs.Factory(set)
    #: Keys whose row was reported bad: not reported missing again.
    bad: set[str] = attrs.Factory(set)


def from_rows(rows: Iterable[TidyRow | TidyRowRead]) -> list[AnnualReport]:
    """
    Build reports from tidy rows: the inverse of :func:`to_rows`.

    Rows are grouped by (agency, year, edition), in the order first seen.
    They are checked at run time whatever their static type: any mapping
    with the columns of a :class:`~gov_disclosure.TidyRow` will do (a row of
    a data frame, say; for a type checker, ``cast`` it).
    A ``value`` may be typed (``int``, :class:`~decimal.Decimal`) or the text
    read from a file (``"12"``, ``"4068.208"``); a ``blank`` a ``bool`` or
    ``"true"``/``"false"``.  ``blank`` rows make the report's
    ``blank_cells``; the ``unit`` of the 2019-edition procurement amount
    becomes its ``amount_unit`` (``""``: none printed).  Rows of the older
    five-column shape (no ``unit``, no ``blank``) are read too: not blank, no
    unit recorded.  The reports have empty narratives.

    >>> import gov_disclosure as gd
    >>> r = gd.AnnualReport(agency="某局", year=2020, blank_cells={"t4.review.total"})
    >>> gd.from_rows(gd.to_rows([r])) == [r]
    True

    Raises:
        StructureError: rows are malformed, values, units or blank marks are
            wrong, or a report lacks cells or has unknown or repeated ones;
            every problem at once, each with the row index and column
            (``rows[12].value``).

    .. versionadded:: 0.1.0
    """
    return _from_rows(_items("from_rows(rows)", rows), _row_path)


def _items(where: str, items: object) -> Iterable[Any]:
    """*items* if it is a collection of rows or reports, else a :class:`StructureError` naming *where*."""
    if (
        items is None
        or isinstance(items, (str, bytes, Mapping, AnnualReport))
        or not isinstance(items, Iterable)
    ):
        raise StructureError(
            [
                (
                    where,
                    M_(
                        "expected an iterable (a list, say) of items, got {got}",
                        got=describe(items),
                    ),
                )
            ]
        )
    return items


#: The largest year of the Parquet ``year`` column (int32, as in the cells files of ``batch``).
_MAX_YEAR = 2**31 - 1
_NEW_SHAPE = frozenset(ROW_FIELDS)
_OLD_SHAPE = frozenset(LEGACY_ROW_FIELDS)


_UNKNOWN_COLUMN = M_("unknown column")
_MISSING_COLUMN = M_("required column missing")


def _columns_problems(columns: Iterable[object]) -> list[tuple[str, str]]:
    """``(column, problem)`` for a set of columns that is neither shape of rows."""
    names = set(columns)
    if names == _OLD_SHAPE:
        return []
    out = [(str(n), _UNKNOWN_COLUMN) for n in sorted(names - set(ROW_FIELDS), key=str)]
    return out + [(n, _MISSING_COLUMN) for n in ROW_FIELDS if n not in names]


def _from_rows(
    rows: Iterable[Mapping[str, Any]], place: Callable[[int, str], str]
) -> list[AnnualReport]:
    """:func:`from_rows`, naming row *i*'s *column* (``""``: the whole row) by ``place(i, column)``."""
    errors: list[tuple[str, str]] = []
    groups: dict[tuple[str, int, Edition], _Group] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            errors.append(
                (place(i, ""), M_("expected a row mapping, got {got}", got=describe(row)))
            )
            continue
        shape = row.keys()
        if shape != _NEW_SHAPE and shape != _OLD_SHAPE:
            errors += [(place(i, column), problem) for column, problem in _columns_problems(row)]
            continue
        agency, year, ed, key = row["agency"], row["year"], row["edition"], row["key"]
        bad = False
        if type(agency) is not str:
            errors.append(
                (place(i, "agency"), M_("expected a string, got {got}", got=describe(agency)))
            )
            bad = True
        if type(year) is not int:
            errors.append((place(i, "year"), M_("expected an int, got {got}", got=describe(year))))
            bad = True
        edition = _EDITIONS.get(ed) if type(ed) is str else None
        if edition is None:
            errors.append((place(i, "edition"), M_("unknown edition {got}", got=describe(ed))))
            bad = True
        if type(key) is not str:
            errors.append((place(i, "key"), M_("expected a string, got {got}", got=describe(key))))
            bad = True
        if bad or edition is None:
            continue
        if key not in _kinds(edition):
            errors.append(
                (
                    place(i, "key"),
                    M_(
                        "unknown cell key {key!r} for edition {edition}",
                        key=key,
                        edition=edition.value,
                    ),
                )
            )
            continue
        group = groups.get((agency, year, edition))
        if group is None:
            group = groups[agency, year, edition] = _Group()
        value, problem = _parse_value(edition, key, row["value"])
        if problem:
            errors.append((place(i, "value"), problem))
            bad = True
        blank = False
        if "blank" in row:
            parsed = _parse_blank(row["blank"])
            if parsed is None:
                want = M_('true or false (a bool, or the text "true"/"false")')
                errors.append(
                    (
                        place(i, "blank"),
                        M_("expected {want}, got {got}", want=want, got=describe(row["blank"])),
                    )
                )
                bad = True
            blank = bool(parsed)
            unit = row["unit"]
            problem = (
                ""
                if unit == "" and _kinds(edition)[key] is not ValueKind.MONEY
                else _unit_problem(edition, key, unit)
            )
            if problem:
                errors.append((place(i, "unit"), problem))
                bad = True
            elif unit and _unit_cells(edition)[key].attr is not None:
                group.units[key] = (i, unit)
        if bad:
            group.bad.add(key)
            continue
        assert value is not None
        if key in group.values:
            errors.append(
                (
                    place(i, "key"),
                    M_("{key} repeated for {agency} {year}", key=key, agency=agency, year=year),
                )
            )
            continue
        if blank and value != 0:
            errors.append(
                (
                    place(i, "blank"),
                    M_("a cell printed blank is held as 0, but its value is {value}", value=value),
                )
            )
            group.bad.add(key)
            continue
        group.values[key] = value
        if blank:
            group.blank.add(key)
    reports = []
    for (agency, year, edition), group in groups.items():
        where = f"report {agency!r} {year}"
        try:
            r = from_cells(group.values, agency=agency, year=year, edition=edition)
        except CellsError as e:
            errors += [(where, f"unknown cell {k}") for k in e.unknown]
            missing = [k for k in e.missing if k not in group.bad]
            if len(missing) > _MAX_MISSING:  # a row-less report: one line, not two hundred
                shown = ", ".join(missing[:_MAX_MISSING])
                more = len(missing) - _MAX_MISSING
                errors.append(
                    (
                        where,
                        M_(
                            "missing {n} cells: {shown} and {more} more",
                            n=len(missing),
                            shown=shown,
                            more=more,
                        ),
                    )
                )
            else:
                errors += [(where, f"missing cell {k}") for k in missing]
            errors += [(where, f"{k}: {m}") for k, m in e.invalid]
            continue
        except (ValueError, TypeError) as e:  # the model's own checks (a year before 2019...)
            errors.append((where, str(e)))
            continue
        for key, (i, unit) in group.units.items():
            u = _unit_cells(edition)[key]
            assert u.attr is not None
            try:
                r = _with_unit(r, u.parent, u.attr, unit)
            except GovDisclosureError as e:  # a unit the model refuses (a lone surrogate)
                errors.append((place(i, "unit"), str(e)))
        if group.blank:
            r = attrs.evolve(r, blank_cells=frozenset(group.blank))
        reports.append(r)
    if errors:
        raise StructureError(errors)
    return reports


def _format(path: Path, format: str | None) -> str:
    fmt = format or path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "parquet"):
        raise StructureError(
            [
                (
                    str(path),
                    M_(
                        "unknown rows format {fmt!r}; use a .csv or .parquet file, or format=",
                        fmt=fmt,
                    ),
                )
            ]
        )
    return fmt


def _pyarrow(module: str = "pyarrow") -> Any:
    """Import a pyarrow module (untyped), or raise the error that names the ``parquet`` extra."""
    return require(module, extra="parquet", feature=M_("Parquet"))


def _arrow_schema() -> Any:
    pa = _pyarrow()

    return pa.schema(
        [
            ("agency", pa.string()),
            ("year", pa.int32()),
            ("edition", pa.string()),
            ("key", pa.string()),
            ("value", pa.string()),
            ("unit", pa.string()),
            ("blank", pa.bool_()),
        ]
    )


def write_rows(
    reports: Iterable[AnnualReport], path: str | os.PathLike[str], *, format: str | None = None
) -> None:
    """
    Write the tidy rows of *reports* to a CSV or Parquet file.

    The format is *format* (``"csv"`` or ``"parquet"``) or the file's suffix.
    The columns are those of :func:`to_rows`.  The ``value`` column holds the
    exact decimal text of every number (a string column in Parquet), so money
    is never rounded through a float; ``unit`` is text (empty when there is
    none); ``blank`` is ``true``/``false`` in CSV and a boolean column in
    Parquet.  Parquet needs the ``parquet`` extra (pyarrow).

    Raises:
        StructureError: the format is unknown, or a year does not fit the
            Parquet ``year`` column (int32).
        MissingExtraError: Parquet was asked for without pyarrow (the ``parquet`` extra).

    .. versionadded:: 0.1.0
    """
    p = Path(path)
    fmt = _format(p, format)
    lines = [
        (r.agency, r.year, r.edition.value, key, value_text(value), unit, blank)
        for r in reports
        for key, value, unit, blank in report_cells(r)
    ]
    if fmt == "csv":
        with p.open("w", encoding="utf-8", newline="") as fh:
            _write_csv(fh, lines)
        return
    pa = _pyarrow()
    pq = _pyarrow("pyarrow.parquet")

    too_large = sorted({(line[0], line[1]) for line in lines if line[1] > _MAX_YEAR}, key=str)
    if too_large:
        raise StructureError(
            [
                (
                    str(p),
                    M_(
                        "report {a!r} {y}: the year does not fit the Parquet year column (int32)",
                        a=a,
                        y=y,
                    ),
                )
                for a, y in too_large
            ]
        )
    columns = list(zip(*lines, strict=True)) if lines else [()] * len(ROW_FIELDS)
    table = pa.Table.from_arrays(
        [pa.array(c, t.type) for c, t in zip(columns, _arrow_schema(), strict=True)],
        schema=_arrow_schema(),
    )
    pq.write_table(table, p)


def _write_csv(fh: Any, lines: Iterable[tuple[Any, ...]]) -> None:
    """Write the header and *lines* (``value`` as text, ``blank`` as a bool) as CSV to *fh*."""
    w = csv.writer(fh)
    w.writerow(ROW_FIELDS)
    w.writerows(
        (*[csv_cell(v) for v in line[:-1]], "true" if line[-1] else "false") for line in lines
    )


def read_rows(path: str | os.PathLike[str], *, format: str | None = None) -> list[TidyRowRead]:
    """
    Read tidy rows from a CSV or Parquet file written by :func:`write_rows`.

    ``year`` becomes an ``int``, ``value`` an ``int`` or
    :class:`~decimal.Decimal` by the cell's kind in the catalogue, and
    ``blank`` a ``bool`` (a value that does not parse is left as it is for
    :func:`from_rows` to report).  Files of the older five-column shape
    (``agency,year,edition,key,value``) are read too; their rows have no
    ``unit`` and ``blank``.  The columns may come in any order.  The CSV and
    Parquet cells files of :func:`~gov_disclosure.batch` (the same rows with
    a ``path`` column first) read too, without ``path``.  Pass the result to
    :func:`from_rows` to get reports back (one per agency and year).

    Raises:
        StructureError: the format is unknown; the file is not UTF-8 text
            (CSV) or not a Parquet file; its columns are not those of
            :func:`write_rows`; a CSV line has too few or too many fields.
        MissingExtraError: Parquet was asked for without pyarrow (the ``parquet`` extra).

    .. versionadded:: 0.1.0
    """
    if not isinstance(path, (str, os.PathLike)):
        raise StructureError(
            [("read_rows(path)", M_("expected a file path, got {got}", got=describe(path)))]
        )
    return cast("list[TidyRowRead]", _read_rows(Path(path), format)[0])


def _read_rows(p: Path, format: str | None) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of file *p* and where each is (``line 12`` in CSV, ``row 11`` in Parquet)."""
    if _format(p, format) == "csv":
        raw, where = _read_csv(p)
    else:
        raw = _read_parquet(p)
        where = [f"row {i + 1}" for i in range(len(raw))]
    years: dict[object, object] = {}
    for row in raw:  # fresh dicts of our own: typed in place
        year = row["year"]
        if type(year) is str:
            if year not in years:
                years[year] = int(year) if _INT_RE.match(year) else year
            row["year"] = years[year]
        tag = row["edition"]
        edition = _EDITIONS.get(tag) if type(tag) is str else None
        if edition is not None and row["key"] in _kinds(edition):
            parsed, problem = _parse_value(edition, row["key"], row["value"])
            if not problem:
                row["value"] = parsed
        if "blank" in row:
            blank = _parse_blank(row["blank"])
            if blank is not None:
                row["blank"] = blank
    return raw, where


#: The extra first column of the cells files of :func:`gov_disclosure.batch`:
#: read_rows reads those files too, without it.
_BATCH_PATH = "path"


def _header_problem(where: str, columns: list[str]) -> StructureError | None:
    columns = [c for c in columns if c != _BATCH_PATH]
    problems = _columns_problems(columns)
    dup = sorted({c for c in columns if columns.count(c) > 1})
    if not problems and not dup:
        return None
    missing = [c for c, p in problems if p == _MISSING_COLUMN]
    unknown = [c for c, p in problems if p == _UNKNOWN_COLUMN]
    expected = M_(
        "expected the columns {columns}, or {legacy} of older files",
        columns=",".join(ROW_FIELDS),
        legacy=",".join(LEGACY_ROW_FIELDS),
    )
    if not set(columns) & set(ROW_FIELDS):  # some other file: listing its header helps nobody
        return StructureError(
            [
                (
                    where,
                    M_(
                        "not a file of tidy rows: none of its {n} columns is ours ({expected})",
                        n=len(columns),
                        expected=expected,
                    ),
                )
            ]
        )
    parts = [M_("column {column} repeated", column=c) for c in dup]
    if len(unknown) > _MAX_MISSING:
        unknown = [*unknown[:_MAX_MISSING], M_("and {n} more", n=len(unknown) - _MAX_MISSING)]
    if missing:
        parts.append(
            M_("missing columns {columns}", columns=", ".join(missing))
            if len(missing) > 1
            else M_("missing column {columns}", columns=", ".join(missing))
        )
    if unknown:
        parts.append(
            M_("unknown columns {columns}", columns=", ".join(unknown))
            if len(unknown) > 1
            else M_("unknown column {columns}", columns=", ".join(unknown))
        )
    return StructureError(
        [
            (
                where,
                M_(
                    "not a file of tidy rows: {problems} ({expected})",
                    problems="; ".join(parts),
                    expected=expected,
                ),
            )
        ]
    )


def _read_csv(p: Path) -> tuple[list[dict[str, Any]], list[str]]:
    # utf-8-sig: a CSV saved by Excel starts with a byte order mark.
    with p.open(encoding="utf-8-sig", newline="") as fh:
        try:
            return _csv_rows(p, fh)
        except UnicodeDecodeError as e:
            raise StructureError(
                [
                    (
                        str(p),
                        M_(
                            'not UTF-8 text (byte 0x{byte:02x} at offset {start}); rows files are UTF-8 CSV (save it as "CSV UTF-8")',
                            byte=e.object[e.start],
                            start=e.start,
                        ),
                    )
                ]
            ) from None
        except csv.Error as e:
            raise StructureError([(str(p), M_("not a readable CSV file: {e}", e=e))]) from None


def _csv_rows(p: Path, fh: Any) -> tuple[list[dict[str, Any]], list[str]]:
    reader = csv.reader(fh)
    header = next(reader, None)
    if header is None:
        raise StructureError([(str(p), M_("empty file: no header line"))])
    bad = _header_problem(f"{p}: line 1", header)
    if bad is not None:
        raise bad
    rows, where, ragged = [], [], []
    line = reader.line_num + 1
    for fields in reader:
        if fields:  # a blank line
            if len(fields) != len(header):
                got = (
                    M_("{n} field", n=len(fields))
                    if len(fields) == 1
                    else M_("{n} fields", n=len(fields))
                )
                ragged.append(
                    (f"{p}: line {line}", M_("{got}, expected {n}", got=got, n=len(header)))
                )
            else:
                row = dict(zip(header, map(csv_text, fields), strict=True))
                row.pop(_BATCH_PATH, None)
                rows.append(row)
                where.append(f"line {line}")
        line = reader.line_num + 1
    if ragged:
        raise StructureError(ragged)
    return rows, where


def _read_parquet(p: Path) -> list[dict[str, Any]]:
    pa = _pyarrow()
    pq = _pyarrow("pyarrow.parquet")

    try:
        table = pq.read_table(p)
    except pa.ArrowException as e:
        if isinstance(e, OSError) and not isinstance(e, pa.ArrowInvalid):
            raise  # no such file, no permission: the caller says so
        raise StructureError([(str(p), M_("not a readable Parquet file ({e})", e=e))]) from None
    bad = _header_problem(str(p), list(table.column_names))
    if bad is not None:
        raise bad
    if _BATCH_PATH in table.column_names:
        table = table.drop_columns([_BATCH_PATH])
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows
