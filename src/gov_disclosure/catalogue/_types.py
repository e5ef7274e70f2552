"""
The shapes of the format: editions, labels, columns, rows, parts, tables, sections, cells.

These frozen classes are what a catalogue is made of (:mod:`gov_disclosure.catalogue`
fills them for each edition).  They import nothing of the library but its
errors: every other layer is built on them.
"""

from __future__ import annotations

import datetime
import enum
import time
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType

import attrs
from attrs import frozen

from ..errors import UnsupportedEditionError

__all__ = [
    "FIRST_YEAR",
    "MONEY_UNITS",
    "Catalogue",
    "CellDef",
    "ColumnDef",
    "Edition",
    "Label",
    "PartDef",
    "RowDef",
    "SectionDef",
    "TableDef",
    "ValueKind",
    "register_cell_rules",
]

#: Answers :meth:`Catalogue.rules`; set by :mod:`gov_disclosure.rules` (a layer above).
_cell_rules: Callable[[Edition, str], tuple[str, ...]] | None = None


def register_cell_rules(index: Callable[[Edition, str], tuple[str, ...]]) -> None:
    """
    Install *index* as the answer of :meth:`Catalogue.rules` (internal).

    The catalogue is the bottom layer: the rules are built from it, so it
    cannot import them.  :mod:`gov_disclosure.rules` calls this once when it
    is imported, which ``import gov_disclosure`` always does.
    """
    global _cell_rules
    _cell_rules = index


#: First reporting year of the national format.
FIRST_YEAR = 2019
#: How many years after the current one a reporting year may be: a report is
#: published after its year ends, so a later year is a typo (a few years of
#: slack for drafts and wrong clocks).
YEARS_AHEAD = 5


def last_year() -> int:
    """
    The latest reporting year accepted: :data:`YEARS_AHEAD` years after the current year.

    >>> import datetime
    >>> last_year() == datetime.date.today().year + YEARS_AHEAD
    True

    .. versionadded:: 0.1.0
    """
    global _this_year
    start, end, year = _this_year
    now = time.time()
    if not start <= now < end:  # the first call, a new year, or a clock set back
        year = datetime.date.fromtimestamp(now).year  # local time, as date.today()
        start = datetime.datetime(year, 1, 1).timestamp()
        end = (
            datetime.datetime(year + 1, 1, 1).timestamp()
            if year < datetime.MAXYEAR
            else float("inf")
        )
        _this_year = (start, end, year)
    return year + YEARS_AHEAD


#: The current year and the span of clock time (local) it covers: every report
#: built asks for :func:`last_year`, which then costs a clock read, not a
#: calendar conversion.
_this_year: tuple[float, float, int] = (0.0, 0.0, 0)


#: The units of money reports print amounts in, as multiples of 元, longest
#: first (万元 ends like 元).  A header may fix one (``（单位：万元）``); the
#: 2019 edition's 采购总金额 is printed with either.
MONEY_UNITS: Mapping[str, Decimal] = MappingProxyType(
    {"亿元": Decimal(100_000_000), "万元": Decimal(10_000), "元": Decimal(1)}
)


class Edition(str, enum.Enum):
    """
    The edition of the national format a report follows.

    ``V2019`` is the 2019 trial format (国办公开办函〔2019〕60号), used for
    reporting years 2019 and 2020; ``V2021`` is the revised format
    (国办公开办函〔2021〕30号), used from reporting year 2021 on.

    >>> Edition.for_year(2020)
    <Edition.V2019: '2019'>
    >>> Edition.for_year(2024)
    <Edition.V2021: '2021'>

    .. versionadded:: 0.1.0
    """

    V2019 = "2019"
    V2021 = "2021"

    @classmethod
    def for_year(cls, year: int) -> Edition:
        """
        Return the edition prescribed for reporting year *year*.

        Raises:
            UnsupportedEditionError: *year* is before 2019, when the national
                format did not exist yet.
        """
        if isinstance(year, bool) or not isinstance(year, int):
            raise UnsupportedEditionError(
                f"year: expected an int, got {type(year).__name__} {year!r}"
            )
        if year < FIRST_YEAR:
            raise UnsupportedEditionError(
                f"year {year}: the national annual report format starts with "
                f"reporting year {FIRST_YEAR}; earlier reports are out of scope",
                year=year,
            )
        return cls.V2019 if year < 2021 else cls.V2021

    @property
    def earliest_year(self) -> int:
        """
        The earliest reporting year a report of this edition can have.

        An edition is named by the year its notice was issued; a report on
        year *Y* is published early in *Y* + 1, so the earliest report that
        can follow an edition is on the year before its issue (a 2020 report
        published late on the 2021 table), never earlier.

        >>> Edition.V2021.earliest_year, Edition.V2019.earliest_year
        (2020, 2019)

        .. versionadded:: 0.1.0
        """
        return max(FIRST_YEAR, int(self.value) - 1)


class ValueKind(str, enum.Enum):
    """
    What a cell holds.

    .. versionadded:: 0.1.0
    """

    #: A non-negative integer count.
    COUNT = "count"
    #: A signed integer (the 2019 edition's 本年增/减 only).
    SIGNED = "signed"
    #: A non-negative decimal amount of money.
    MONEY = "money"


@frozen
class Label:
    """
    An official label: Simplified Chinese as printed in the national format, and English.

    .. versionadded:: 0.1.0
    """

    zh: str
    en: str


@frozen
class ColumnDef:
    """
    A data column: its key, its header label path (top to leaf) and its value kind.

    .. versionadded:: 0.1.0
    """

    key: str
    path: tuple[Label, ...]
    kind: ValueKind = ValueKind.COUNT

    @property
    def label(self) -> Label:
        """The leaf header label."""
        return self.path[-1]

    @property
    def unit(self) -> str | None:
        """
        The unit of money the header fixes (``"万元"`` for ``（单位：万元）``), or ``None``.

        ``None`` for counts and for a money column whose header states no unit.

        .. versionadded:: 0.1.0
        """
        if self.kind is not ValueKind.MONEY:
            return None
        for label in reversed(self.path):  # the leaf's own unit first
            for unit in MONEY_UNITS:
                if f"{unit}）" in label.zh or f"{unit})" in label.zh:
                    return unit
        return None


@frozen
class RowDef:
    """
    A data row: its key and its row label path (outermost group to leaf).

    Section 四's single data row has the empty key and an empty path.

    .. versionadded:: 0.1.0
    """

    key: str
    path: tuple[Label, ...]

    @property
    def label(self) -> Label | None:
        """The leaf row label, or ``None`` for a row without one."""
        return self.path[-1] if self.path else None


@frozen
class PartDef:
    """
    One grid of a table: optional caption and corner label, columns and rows.

    .. versionadded:: 0.1.0
    """

    caption: Label | None
    corner: Label | None
    columns: tuple[ColumnDef, ...]
    rows: tuple[RowDef, ...]


@frozen
class CellDef:
    """
    One numeric cell of the format.

    Attributes:
        key: The stable cell key (``t3.deny.state_secret.total``).
        table: ``t2``, ``t3``, ``t4`` or ``t6``.
        row: The row definition.
        column: The column definition.
        part: The part of the table the cell belongs to.
        attr_path: The attribute path on :class:`AnnualReport`
            (``("requests", "deny", "state_secret", "total")``).
        optional: ``True`` for cells a report may leave unstated (section 六).

    .. versionadded:: 0.1.0
    """

    key: str
    table: str
    row: RowDef
    column: ColumnDef
    part: PartDef
    attr_path: tuple[str, ...]
    optional: bool = False

    @property
    def kind(self) -> ValueKind:
        """The value kind of the cell (from its column)."""
        return self.column.kind


@frozen
class TableDef:
    """
    An official table: its key (``t2``/``t3``/``t4``), the section attribute it fills and its parts.

    .. versionadded:: 0.1.0
    """

    key: str
    section: str
    parts: tuple[PartDef, ...]
    #: ``False`` for section 六's fee figures, which are read from prose and
    #: are not a table of the national format.
    official: bool = True


@frozen
class SectionDef:
    """
    One of the six numbered sections of a report.

    .. versionadded:: 0.1.0
    """

    number: str
    id: str
    heading: Label
    table: TableDef | None = None


@frozen
class Catalogue:
    """
    Everything the format says about one edition.

    Obtain one with :func:`gov_disclosure.catalogue`.

    .. versionadded:: 0.1.0
    """

    edition: Edition
    sections: tuple[SectionDef, ...]
    #: Every cell of the edition, in reading order, keyed by cell key.
    cells: Mapping[str, CellDef] = attrs.field(eq=False, repr=False)

    def tables(self) -> Iterator[TableDef]:
        """Iterate over the tables of the edition, in reading order."""
        for section in self.sections:
            if section.table is not None:
                yield section.table

    def table(self, key: str) -> TableDef:
        """Return the table with key *key* (``t2``, ``t3``, ``t4``)."""
        for t in self.tables():
            if t.key == key:
                return t
        raise KeyError(key)

    def rules(self, key: str) -> tuple[str, ...]:
        """
        The ids of the rules the cell *key* takes part in (see :data:`gov_disclosure.RULES`).

        Raises:
            KeyError: *key* is not a cell of this edition.
        """
        # The rules are derived from this catalogue, so the catalogue cannot
        # import them: the rules layer registers its index here when loaded.
        if _cell_rules is None:  # pragma: no cover -- gov_disclosure imports its rules
            raise LookupError("the rules are not loaded: import gov_disclosure.rules")
        return _cell_rules(self.edition, key)

    def section(self, id: str) -> SectionDef:
        """Return the section with id *id* (``general``, ``requests``...)."""
        for s in self.sections:
            if s.id == id:
                return s
        raise KeyError(id)
