"""
The typed model of the annual report, both editions.

Frozen, slotted, keyword-only attrs classes, one module per section.  Import
them from :mod:`gov_disclosure`; this package's layout is internal.
"""

from __future__ import annotations

from .appeals import AppealCounts, Appeals
from .narratives import General, InformationFees, OtherMatters, Problems, Subsection
from .proactive import (
    Decisions,
    Documents2019,
    Documents2021,
    FeeAmount,
    FeeItems2019,
    Items2019,
    Proactive2019,
    Proactive2021,
    Procurement2019,
)
from .report import AnnualReport, ExtraRow
from .requests import (
    ApplicantCounts,
    Denials,
    NotProcessed,
    OtherHandling,
    Requests,
    Unable,
)

__all__ = [
    "AnnualReport",
    "AppealCounts",
    "Appeals",
    "ApplicantCounts",
    "Decisions",
    "Denials",
    "Documents2019",
    "Documents2021",
    "ExtraRow",
    "FeeAmount",
    "FeeItems2019",
    "General",
    "InformationFees",
    "Items2019",
    "NotProcessed",
    "OtherHandling",
    "OtherMatters",
    "Proactive2019",
    "Proactive2021",
    "Problems",
    "Procurement2019",
    "Requests",
    "Subsection",
    "Unable",
]
