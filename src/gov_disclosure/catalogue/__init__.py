"""
The format as data: the one place where the national format is written down.

Each edition (2019 and 2021) is a catalogue of sections, tables, header and
row label paths, official labels (Simplified Chinese, character for character
as in the national format; English) and stable cell keys.  The typed model,
the rules, the cell view, the table layouts, the renderers and the parsers are
all derived from it; nothing else in the package spells out an official label
or a table shape.

A table is a list of *parts* (section 二 has one part per 第二十条 item, each
with its own caption and header; sections 三 and 四 have one part).  A part is
a grid: columns (each with a header label path, top to leaf) times rows (each
with a row label path, outermost group to leaf).  Every row x column pair is a
cell, keyed ``table.row.column`` (the row key is empty in section 四, whose
single data row has 15 columns).
"""

from __future__ import annotations

from ._editions import APPEAL_GROUPS, APPLICANT_COLUMNS, catalogue
from ._types import (
    FIRST_YEAR,
    MONEY_UNITS,
    YEARS_AHEAD,
    Catalogue,
    CellDef,
    ColumnDef,
    Edition,
    Label,
    PartDef,
    RowDef,
    SectionDef,
    TableDef,
    ValueKind,
    last_year,
    register_cell_rules,
)

__all__ = [
    "APPEAL_GROUPS",
    "APPLICANT_COLUMNS",
    "FIRST_YEAR",
    "MONEY_UNITS",
    "YEARS_AHEAD",
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
    "catalogue",
    "last_year",
    "register_cell_rules",
]
