"""
gov-disclosure: the 政府信息公开工作年度报告 (annual report on government information disclosure) as typed data.

Build, check, serialize, render and parse the national annual report format,
both editions (2019 and 2021).  Everything public is exported here.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._catalogue import (
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
    catalogue,
)
from .cells import CellValue, cells, from_cells
from .errors import (
    CellsError,
    GovDisclosureError,
    InvalidTypeError,
    InvalidValueError,
    ParseError,
    StructureError,
    UnsupportedEditionError,
)
from .model import (
    AnnualReport,
    AppealCounts,
    Appeals,
    ApplicantCounts,
    Decisions,
    Denials,
    Documents2019,
    Documents2021,
    ExtraRow,
    FeeAmount,
    FeeItems2019,
    General,
    InformationFees,
    Items2019,
    NotProcessed,
    OtherHandling,
    OtherMatters,
    Proactive2019,
    Proactive2021,
    Problems,
    Procurement2019,
    Requests,
    Subsection,
    Unable,
)
from .rules import RULES, Finding, Rule, Severity, check, continuity, rule

try:
    __version__ = version("gov-disclosure")
except PackageNotFoundError:  # pragma: no cover -- running from a source tree without metadata
    __version__ = "0+unknown"

__all__ = [
    "RULES",
    "AnnualReport",
    "AppealCounts",
    "Appeals",
    "ApplicantCounts",
    "Catalogue",
    "CellDef",
    "CellValue",
    "CellsError",
    "ColumnDef",
    "Decisions",
    "Denials",
    "Documents2019",
    "Documents2021",
    "Edition",
    "ExtraRow",
    "FeeAmount",
    "FeeItems2019",
    "Finding",
    "General",
    "GovDisclosureError",
    "InformationFees",
    "InvalidTypeError",
    "InvalidValueError",
    "Items2019",
    "Label",
    "NotProcessed",
    "OtherHandling",
    "OtherMatters",
    "ParseError",
    "PartDef",
    "Proactive2019",
    "Proactive2021",
    "Problems",
    "Procurement2019",
    "Requests",
    "RowDef",
    "Rule",
    "SectionDef",
    "Severity",
    "StructureError",
    "Subsection",
    "TableDef",
    "Unable",
    "UnsupportedEditionError",
    "ValueKind",
    "__version__",
    "catalogue",
    "cells",
    "check",
    "continuity",
    "from_cells",
    "rule",
]
