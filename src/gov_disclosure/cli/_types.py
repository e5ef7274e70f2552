"""
The shapes of the command line's JSON output, as ``TypedDict`` types.

``check --format json`` prints a JSON array of :class:`CheckResult`;
``parse`` prints a :class:`ParseOutput` (or, with ``--document-only``, the
report document alone, a :class:`~gov_disclosure.ReportDocument`).  Money is
a string of exact decimal digits, a count an integer.
"""

from __future__ import annotations

from typing import Literal, TypedDict, Union

from ..serialize import ReportDocument

__all__ = [
    "AmbiguityOutput",
    "CheckFinding",
    "CheckResult",
    "FindingLocation",
    "ParseOutput",
    "ParseWarningOutput",
]

#: A cell's value in JSON: a count (integer) or an amount (exact decimal text).
JsonCellValue = Union[int, str]  # noqa: UP007 -- a runtime alias on Python 3.10


class FindingLocation(TypedDict):
    """
    Where in the source file a cell's value was read (``text`` says it in words).

    .. versionadded:: 0.1.0
    """

    text: str
    line: int | None
    page: int | None
    paragraph: int | None
    table: int | None
    row: int | None
    column: int | None


class CheckFinding(TypedDict):
    """
    One finding of ``check --format json``: a rule of :data:`gov_disclosure.RULES` that the report breaks.

    ``locations`` maps each cell key of ``cells`` whose source the parser
    recorded to its :class:`FindingLocation`.  ``fingerprint`` identifies the
    finding across runs (a hash of the rule, the subject and the report's agency and year);
    ``waived`` is the reason of the configuration's waiver, if one accepts it.

    .. versionadded:: 0.1.0
    """

    rule: str
    severity: Literal["error", "warning"]
    subject: str
    cells: list[str]
    expected: JsonCellValue | None
    actual: JsonCellValue | None
    blank_cells: list[str]
    message: str
    locations: dict[str, FindingLocation]
    #: A short stable id of the finding, to waive it in the configuration file.
    fingerprint: str
    #: The reason of the configuration's waiver of this finding, or ``None``.
    waived: str | None


class ParseWarningOutput(TypedDict):
    """
    An assumption of the parser (:class:`gov_disclosure.ParseWarning`) in JSON.

    .. versionadded:: 0.1.0
    """

    code: str
    message: str
    location: str | None
    cells: list[str]


class AmbiguityOutput(TypedDict):
    """
    A cell the text cannot decide (:class:`gov_disclosure.Ambiguity`) in JSON.

    .. versionadded:: 0.1.0
    """

    cell: str
    candidates: list[JsonCellValue]
    chosen: JsonCellValue


class _CheckResultRequired(TypedDict):
    file: str
    error: str | None


class CheckResult(_CheckResultRequired, total=False):
    """
    The result of ``check --format json`` for one file.

    ``error`` is ``None`` for a file that was read, and then the other keys
    are present (``warnings`` only with ``--warnings``); for an unreadable
    file ``error`` says why and only ``file`` (and ``item``) is beside it.  A ``.json``
    file holding a JSON array of report documents (as ``parse`` and
    ``convert`` write for several reports) gives one result per document,
    each with ``item``, its index in the array.

    .. versionadded:: 0.1.0
    """

    item: int
    agency: str
    year: int
    edition: Literal["2019", "2021"]
    findings: list[CheckFinding]
    warnings: list[ParseWarningOutput]
    ambiguities: list[AmbiguityOutput]


class _ParseOutputRequired(TypedDict):
    file: str
    format: str
    report: ReportDocument
    warnings: list[ParseWarningOutput]
    ambiguities: list[AmbiguityOutput]


class ParseOutput(_ParseOutputRequired, total=False):
    """
    What ``parse --format json`` prints for one published report: the document and what the parser assumed.

    ``provenance`` (with ``--provenance``) maps every cell key read to where
    it was read.

    .. versionadded:: 0.1.0
    """

    provenance: dict[str, FindingLocation]
