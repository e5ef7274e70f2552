"""
The one assembler: match the rows every reader produces against the official tables.

Readers differ only in how they find rows and cells; everything about the
format happens here, driven by the catalogue and the table layouts, so no
reader and no line of this module spells out a label or a table shape.

How a report is read:

1. The rows are joined into one normalised *stream* (cells separated by
   ``\\x1f``, rows by ``\\n``), the same length as the printed text so that
   every offset points back at its source cell.
2. The edition is decided by the labels that only one edition has (column
   headers first), the year being only a prior.
3. Each table is located by its signature labels (captions, headers, the
   section 三 corner note, section 四's result headers), not by section
   headings, which are often missing or renumbered.
4. Inside a table every printed label is found (row labels, group labels,
   headers; in every locale, loosely).  A row label with values in the same
   printed row is *bound* to them.  Labels printed on their own and rows of
   values printed without a label are paired in document order (PDF and
   copy-paste layouts print them apart).  Rows of values after an unknown
   label are kept as extra rows.
5. Each row's values are read cell by cell; runs of digits without
   separators are split by :mod:`.split` using the identities of
   :mod:`gov_disclosure.rules`, jointly over the table.
6. Narratives are the paragraphs between the section headings and tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..._messages import M_
from ...catalogue import FIRST_YEAR, catalogue, last_year
from ...cells import CellValue, from_cells
from ...errors import CellsError, GovDisclosureError, ParseError
from ...model import (
    AnnualReport,
    ExtraRow,
    OtherMatters,
    Proactive2019,
    Problems,
)
from ...model.report import AGENCY_FORBIDDEN, agency_forbidden
from .._doc import Row
from .._result import Ambiguity, Parsed
from .context import _Ctx
from .edition import _detect_edition
from .fill import _fill
from .labels import _OFFICIAL
from .meta import fees_from, period_year, title_from
from .narratives import _narratives
from .regions import _regions
from .stream import Stream, _Provenance
from .tables import _read_table

__all__ = ["assemble", "without_surrogates"]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(rows: Sequence[Row]) -> tuple[list[Row], int, int]:
    """*rows* with every lone surrogate replaced by U+FFFD, how many were, and the first row that held one."""
    out: list[Row] = []
    count = 0
    first = -1
    for i, row in enumerate(rows):
        if any(_SURROGATE.search(c) for c in row.cells):
            cells = []
            for c in row.cells:
                c, n = _SURROGATE.subn("\ufffd", c)
                cells.append(c)
                count += n
            row = attrs.evolve(row, cells=tuple(cells))
            first = i if first < 0 else first
        out.append(row)
    return out, count, first


def without_surrogates(text: str) -> tuple[str, int]:
    """*text* with every lone surrogate replaced by U+FFFD, and how many were (for readers given a ``str``)."""
    if _SURROGATE.search(text) is None:
        return text, 0
    return _SURROGATE.subn("\ufffd", text)


#: The characters no agency's name holds (see the model), dropped from a title's.
_CONTROLS = re.compile(f"[{AGENCY_FORBIDDEN}]")


def _check_identity(agency: str, got_year: int, year: int | None) -> None:
    """Refuse what the model would (a blank agency, an implausible year) before reading the tables."""
    if not agency.strip():
        raise ParseError(M_("the agency is blank; pass agency= with its name"))
    if agency_forbidden(agency):
        raise ParseError(
            M_(
                "the agency {agency!r} holds a control character or a line break; pass agency= with its name",
                agency=agency,
            )
        )
    if not FIRST_YEAR <= got_year <= last_year():
        whose = M_("the reporting year") if year is not None else M_("the title's reporting year")
        fix = M_("with the right one") if year is not None else M_("if the title is wrong")
        raise ParseError(
            M_(
                "{whose} {got_year} is not one of {FIRST_YEAR} to {last}; pass year= {fix}",
                whose=whose,
                got_year=got_year,
                FIRST_YEAR=FIRST_YEAR,
                last=last_year(),
                fix=fix,
            )
        )


def assemble(
    rows: Sequence[Row],
    *,
    agency: str | None,
    year: int | None,
    previous: AnnualReport | None = None,
    fmt: str = "text",
    replaced: int = 0,
) -> Parsed:
    """
    Build a :class:`Parsed` from the rows of any reader.

    *replaced*: how many lone surrogates the caller already replaced in the
    input (said in the same ``replaced_characters`` warning).

    Raises:
        ParseError: the rows hold no table of the format, or neither the text
            nor the caller gives the agency and year.
    """
    stream = Stream(rows)
    first = -1
    if _SURROGATE.search(stream.text) is not None:
        # Text no UTF-8 can hold (a PDF font's broken character map, a str
        # given with lone surrogates): each such character becomes U+FFFD.
        rows, found, first = _without_surrogates(rows)
        replaced += found
        stream = Stream(rows)
    ctx = _Ctx(stream)
    if replaced:
        ctx.warn(
            "replaced_characters",
            M_(
                "{n} character(s) that are not Unicode text (lone surrogates) replaced by U+FFFD",
                n=replaced,
            ),
            stream.row_starts[first] if first >= 0 else None,
        )
    text = stream.text
    title = title_from(stream)
    got_year = title.year
    if year is not None:
        if got_year is not None and got_year != year:
            ctx.warn(
                "year_mismatch",
                M_(
                    "the title says {got_year}, the caller {year}; using {year}",
                    got_year=got_year,
                    year=year,
                ),
                title.offset,
            )
        got_year = year
    elif got_year is None:
        raise ParseError(M_("the reporting year is not printed in the title; pass year="))
    if year is not None and title.year is None:
        ctx.warn(
            "year_from_caller", M_("no year in the text; using the caller's {year}", year=year)
        )
    period = period_year(stream)
    if period is not None and period[0] != got_year:
        # Either can be a slip (a title or a preamble copied from last year's report).
        ctx.warn(
            "period_mismatch",
            M_(
                "the text says its data cover {period}, but the report is read as {got_year}'s ({source}); using {got_year}",
                period=period[0],
                got_year=got_year,
                source=M_("the caller's year") if year is not None else M_("the title"),
            ),
            period[1],
        )
    if agency is None:
        # A control character printed in the title (a stray BEL, ESC) is no part of the name.
        agency = _CONTROLS.sub("", title.agency).strip() if title.agency else title.agency
        if not agency:
            raise ParseError(M_("the agency is not printed in the title; pass agency="))
    elif not title.agency:
        ctx.warn(
            "agency_from_caller",
            M_("no agency in the text; using the caller's {agency!r}", agency=agency),
        )
    _check_identity(agency, got_year, year)
    edition = _detect_edition(ctx, got_year)
    if got_year < edition.earliest_year:
        raise ParseError(
            M_(
                "the tables are those of the {edition} edition, which no report on {got_year} follows (it is used from {earliest_year} on); is the year right?",
                edition=edition.value,
                got_year=got_year,
                earliest_year=edition.earliest_year,
            )
        )
    cat = catalogue(edition)
    regions = _regions(ctx, edition)
    if all(r is None for r in regions.values()):
        raise ParseError(M_("no table of the annual report format was found"))
    values: dict[str, CellValue] = {}
    blank: set[str] = set()
    prov: dict[str, int] = {}  # cell key -> stream offset; Locations are made on demand
    ambiguities: list[Ambiguity] = []
    extra: list[ExtraRow] = []
    units: dict[str, str] = {}
    table_reads = {}
    for key in _OFFICIAL:
        table_reads[key] = _read_table(ctx, cat, key, regions[key], extra)
    _fill(
        ctx, cat, table_reads, values, blank, prov, ambiguities, units, previous, agency, got_year
    )
    if not prov:
        # Labels matched, but not one cell was read: not an annual report table
        # (a text that merely mentions the format), never a report of zeros.
        raise ParseError(
            M_(
                "no value of the annual report's tables was found (only some of their labels); this does not look like an annual report"
            )
        )
    try:
        report = from_cells(values, agency=agency, year=got_year, edition=edition)
    except CellsError as e:
        # Values the model refuses (absurdly large...): blank, warned, never raised.
        for key, problem in e.invalid:
            values[key] = Decimal(0) if isinstance(values[key], Decimal) else 0
            blank.add(key)
            ctx.warn(
                "unreadable_cell",
                M_("{key}: {problem}; read as blank", key=key, problem=problem),
                None,
                [key],
            )
        try:
            report = from_cells(values, agency=agency, year=got_year, edition=edition)
        except GovDisclosureError as e2:  # pragma: no cover -- every invalid value was replaced
            raise ParseError(M_("the values read do not fit the model: {e2}", e2=e2)) from None
    except GovDisclosureError as e:  # pragma: no cover -- values are checked when read
        raise ParseError(M_("the values read do not fit the model: {e}", e=e)) from None
    changes: dict[str, Any] = {}
    if isinstance(report.proactive, Proactive2019) and "t2.procurement.amount" in units:
        proc = attrs.evolve(
            report.proactive.procurement, amount_unit=units["t2.procurement.amount"]
        )
        changes["proactive"] = attrs.evolve(report.proactive, procurement=proc)
    if ctx.thousands:
        ctx.warn(
            "thousands_separator",
            M_(
                "{n} number(s) printed with thousands separators, e.g. {example}",
                n=len(ctx.thousands),
                example=ctx.thousands[0],
            ),
            None,
            ctx.thousands,
        )
    narr = _narratives(ctx, regions, text, title)
    fees = fees_from(narr["other_matters"])
    for field, printed in fees.unreadable:
        ctx.warn(
            "unreadable_cell",
            M_(
                "{key} printed {text!r}, not a figure a report can hold; left unread (the sentence is kept as text)",
                key="t6.fees." + field,
                text=printed,
            ),
            None,
            [f"t6.fees.{field}"],
        )
    report = attrs.evolve(
        report,
        preamble=tuple(narr["preamble"]),
        general=narr["general"],
        problems=Problems(paragraphs=tuple(narr["problems"])),
        other_matters=OtherMatters(paragraphs=tuple(fees.paragraphs), fees=fees.fees),
        extra_rows=tuple(extra),
        blank_cells=frozenset(blank),
        **changes,
    )
    ctx.warnings.sort(key=lambda w: 0)
    return Parsed(
        report=report,
        warnings=tuple(ctx.warnings),
        provenance=_Provenance(stream, prov),
        ambiguities=tuple(ambiguities),
        format=fmt,
    )
