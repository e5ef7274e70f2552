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
   separators are split by :mod:`._split` using the identities of
   :mod:`gov_disclosure.rules`, jointly over the table.
6. Narratives are the paragraphs between the section headings and tables.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from ..catalogue import (
    MONEY_UNITS,
    Catalogue,
    ColumnDef,
    Edition,
    Label,
    PartDef,
    RowDef,
    ValueKind,
    catalogue,
)
from ..cells import CellValue, from_cells
from ..errors import CellsError, GovDisclosureError, ParseError, UnsupportedEditionError
from ..model import (
    AnnualReport,
    ExtraRow,
    General,
    OtherMatters,
    Proactive2019,
    Problems,
    Subsection,
)
from . import _split
from ._doc import Location, Row
from ._norm import (
    CELL,
    GAPS,
    ROW,
    _all_labels,
    alternation,
    integral_part,
    label_forms,
    norm_stream,
)
from ._result import Ambiguity, Parsed, ParseWarning
from ._split import Token
from ._text_meta import HeadingFloor, fees_from, heading_regex, preamble_start, title_from

__all__ = ["assemble"]

_OFFICIAL = ("t2", "t3", "t4")


# --- the stream ---------------------------------------------------------------


_GAP_SPLIT = re.compile("([" + re.escape(GAPS) + "]+)")


#: A cell's length and the separator after it (a C function: called for every cell).
_PLUS_ONE = (1).__add__
#: The rest of a label's row: an empty end of the label's cell, then cells of one number each.
_OWN_NUMBERS = re.compile("(?:" + re.escape(CELL) + "(?:" + _split.NUMBER.pattern + "))+").fullmatch


class Stream:
    """The normalised text of the document and the map back to rows and cells."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = rows
        counts = [len(row.cells) for row in rows]
        # first[i]: index (over every cell of the document) of row i's first cell.
        first = list(itertools.accumulate(counts, initial=0))
        self._first = first
        cells = list(itertools.chain.from_iterable(row.cells for row in rows))
        if all(counts):
            # The stream offset of each cell: each cell and the separator after it.
            ends = list(itertools.accumulate(map(_PLUS_ONE, map(len, cells)), initial=0))
            starts = ends[:-1]
            row_starts = list(map(ends.__getitem__, first[:-1]))
        else:
            starts, row_starts = [], []
            pos = 0
            for row in rows:
                row_starts.append(pos)
                for cell in row.cells:
                    starts.append(pos)
                    pos += len(cell) + 1
                if not row.cells:
                    pos += 1
        self.starts, self.row_starts = starts, row_starts
        joined = ROW.join(map(CELL.join, (row.cells for row in rows))) + ROW
        if joined.count(CELL) != len(cells) - len(rows) + counts.count(0) or (
            joined.count(ROW) != len(rows)
        ):
            # A cell holds a separator character: blank it out, cell by cell.
            joined = (
                ROW.join(
                    CELL.join(c.replace(CELL, " ").replace(ROW, " ") for c in row.cells)
                    for row in rows
                )
                + ROW
            )
        # One normalisation of the whole document, offsets unchanged.
        self.text = text = norm_stream(joined)
        # Labels are matched in the compact text (no spaces or separators).
        # The compact text is a series of runs of kept characters; run k
        # starts at compact index _run_c[k] and stream offset _run_s[k] (both
        # increasing), so that an index maps across with one bisection.
        pieces = _GAP_SPLIT.split(text)  # kept, gap, kept, gap, ..., kept
        kept = pieces[::2]
        gaps = pieces[1::2]
        run_c = list(itertools.accumulate(map(len, kept), initial=0))
        self._run_s: list[int] = list(
            map(
                operator.add,
                run_c,
                itertools.accumulate(map(len, gaps), initial=0),
            )
        )
        self._run_c: list[int] = run_c
        # Section -> its first heading (see heading()).
        self._headings: dict[str, tuple[int, int] | None] = {}
        self.compact = "".join(kept)

    def _s(self, ci: int) -> int:
        """Stream offset of compact index *ci* (past the end: counted on from the end)."""
        k = bisect.bisect_right(self._run_c, ci, 0, len(self._run_s)) - 1
        return self._run_s[k] + ci - self._run_c[k]

    def _c(self, offset: int) -> int:
        """First compact index at or after stream *offset*."""
        run_s = self._run_s
        k = bisect.bisect_right(run_s, offset) - 1
        if k < 0:
            return 0
        return self._run_c[k] + min(offset - run_s[k], self._run_c[k + 1] - self._run_c[k])

    def _ok(self, m: re.Match[str], start: int) -> bool:
        word = m.group(0)
        text = self.text
        if (
            start > 0
            and word[:1].isascii()
            and word[:1].isalpha()
            and text[start - 1].isascii()
            and text[start - 1].isalpha()
        ):
            return False  # an English label inside a longer word
        group = m.lastgroup
        if group is None:
            return True
        if group == "numbered":
            return ROW not in text[start : self._s(m.end() - 1)]
        if group == "bare":
            k = start - 1
            while k >= 0 and text[k] == " ":
                k -= 1
            return k < 0 or text[k] in (ROW, CELL)
        return True

    def finditer(
        self, regex: re.Pattern[str], a: int = 0, b: int | None = None
    ) -> Iterator[tuple[int, int, re.Match[str]]]:
        """Matches of *regex* (over the compact text) within stream offsets [a, b), as stream spans."""
        run_c, run_s = self._run_c, self._run_s
        nrun = len(run_s)
        compact = self.compact
        bisect_right = bisect.bisect_right
        ca = self._c(a)
        cb = len(compact) if b is None else self._c(b)
        pos = ca
        while pos < cb:
            restart = None
            for m in regex.finditer(compact, pos, cb):
                ms, me = m.span()
                if me == ms:
                    restart = ms + 1  # rejected: look again one character on
                    break
                # self._s(ms), inlined: this runs for every label printed.
                k = bisect_right(run_c, ms, 0, nrun) - 1
                start = run_s[k] + ms - run_c[k]
                c = compact[ms]
                if (
                    (c.isascii() and c.isalpha() and start > 0)  # what _ok looks at
                    or m.lastgroup is not None
                ) and not self._ok(m, start):
                    restart = ms + 1
                    break
                last = me - 1
                if last < run_c[k + 1]:  # the match ends in the run it starts in
                    yield start, start + me - ms, m
                else:
                    yield start, self._s(last) + 1, m
            if restart is None:
                return
            pos = restart

    def search(
        self, regex: re.Pattern[str], a: int = 0, b: int | None = None
    ) -> tuple[int, int] | None:
        for start, end, _ in self.finditer(regex, a, b):
            return start, end
        return None

    def heading(self, section: str, a: int = 0) -> tuple[int, int] | None:
        """
        The first heading of *section* at or after stream offset *a*.

        The same as :meth:`search` with :func:`heading_regex`, but each
        search starts where a heading can first match (:class:`HeadingFloor`),
        also after a match the stream rejects: the heading regex is slow to
        run over text that cannot hold a heading.
        """
        # The first heading from the start answers every later search that
        # it does not lie before (the same leftmost match): searched once.
        if section in self._headings:
            first = self._headings[section]
        else:
            first = self._headings[section] = self._heading(section, 0)
        if first is None or first[0] >= a:
            return first
        return self._heading(section, a)

    def _heading(self, section: str, a: int) -> tuple[int, int] | None:
        regex = heading_regex(section)
        compact = self.compact
        cb = len(compact)
        pos = self._c(a)
        floor_at = HeadingFloor(section, compact)
        while pos < cb:
            floor = floor_at(pos)
            if floor is None:
                return None
            m = regex.search(compact, floor, cb)
            if m is None:
                return None
            ms, me = m.span()
            if me == ms:
                pos = ms + 1
                continue
            start = self._s(ms)
            if not self._ok(m, start):
                pos = ms + 1
                continue
            return start, self._s(me - 1) + 1
        return None

    def cell_at(self, offset: int) -> tuple[int, int]:
        """The (row, cell) that stream *offset* is in (the cell before, in a separator)."""
        k = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        i = bisect.bisect_right(self._first, k) - 1
        return i, k - self._first[i]

    def loc(self, offset: int) -> Location:
        i, j = self.cell_at(offset)
        return self.rows[i].locs[j]

    def row_of(self, offset: int) -> int:
        return bisect.bisect_right(self.row_starts, offset) - 1

    def raw(self, start: int, end: int) -> list[str]:
        """The printed text of [start, end), one string per row touched."""
        out = []
        starts = self.starts
        i = self.row_of(start)
        while 0 <= i < len(self.rows) and self.row_starts[i] < end:
            row = self.rows[i]
            first = self._first[i]
            texts = []
            for j, cell in enumerate(row.cells):
                k = starts[first + j]
                a, b = max(start, k), min(end, k + len(cell))
                if a < b:
                    texts.append(cell[a - k : b - k])
            text = " ".join(t.strip() for t in texts if t.strip())
            if text:
                out.append(text)
            i += 1
        return out


class _Provenance(Mapping[str, Location]):
    """Cell key -> :class:`Location`, computed when asked (most callers look at a few)."""

    def __init__(self, stream: Stream, offsets: dict[str, int]) -> None:
        self._stream = stream
        self._offsets = offsets

    def __getitem__(self, key: str) -> Location:
        return self._stream.loc(self._offsets[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)

    def __repr__(self) -> str:
        return f"<provenance of {len(self)} cells>"


# --- labels -------------------------------------------------------------------


@attrs.frozen
class _Target:
    """What a label occurrence means: a value row, or a boundary (header, group, caption)."""

    kind: str  # "row" or "boundary"
    table: str
    part: int = -1
    row: int = -1


@functools.cache
def _table_regex(edition: Edition, table: str) -> tuple[re.Pattern[str], dict[str, _Target]]:
    """One regular expression finding every label of *table*, longest form first."""
    cat = catalogue(edition)
    other = catalogue(Edition.V2019 if edition is Edition.V2021 else Edition.V2021)
    entries: list[tuple[str, _Target]] = []
    tdef = cat.table(table)
    for p, part in enumerate(tdef.parts):
        for r, row in enumerate(part.rows):
            if row.label is None:
                continue
            target = _Target("row", table, p, r)
            forms = set(label_forms(row.label))
            # The same row under the other edition's label (mixed editions, §10.7).
            for opart in other.table(table).parts:
                for orow in opart.rows:
                    if orow.key == row.key and orow.label is not None and orow.label != row.label:
                        forms.update(label_forms(orow.label))
            entries += [(f, target) for f in forms]
            for group in row.path[:-1]:
                entries += [(f, _Target("boundary", table)) for f in label_forms(group)]
        labels: list[Label] = [lab for lab in (part.caption, part.corner) if lab is not None]
        for col in part.columns:
            labels += col.path
        for lab in labels:
            entries += [(f, _Target("boundary", table)) for f in label_forms(lab)]
    if part.corner is not None and table == "t3":
        # The long corner note is often broken by other text: its opening words suffice.
        for f in label_forms(part.corner, loose=False):
            entries.append((f[:9], _Target("boundary", table)))
    best: dict[str, _Target] = {}
    for form, target in entries:
        if len(form) < 2 and not form.isascii():
            continue
        if form not in best or (target.kind == "row" and best[form].kind != "row"):
            best[form] = target
    ordered = sorted(best, key=lambda f: (-len(f), f))
    # An alternation of literals without groups, written as a trie (the
    # regex engine matches that fast); the matched text is the form, which
    # names the target.
    return re.compile(alternation(ordered)), best


@functools.cache
def _edition_regex() -> tuple[re.Pattern[str], dict[str, tuple[Edition | None, bool | None]]]:
    """Labels only one edition has; (edition, is a header) per alternative, longest first."""
    seen: dict[Edition, dict[str, bool]] = {e: {} for e in Edition}
    for ed in Edition:
        cat = catalogue(ed)
        for key in _OFFICIAL:
            for part in cat.table(key).parts:
                for col in part.columns:
                    for lab in col.path:
                        for f in label_forms(lab, loose=False):
                            seen[ed][f] = True
                for cap in (part.caption,):
                    if cap is not None:
                        for f in label_forms(cap, loose=False):
                            seen[ed][f] = True
                for row in part.rows:
                    for lab in row.path:
                        for f in label_forms(lab, loose=False):
                            seen[ed].setdefault(f, False)
    v19, v21 = seen[Edition.V2019], seen[Edition.V2021]
    entries: list[tuple[str, Edition | None, bool]] = [
        (f, Edition.V2019, h) for f, h in v19.items() if f not in v21
    ]
    entries += [(f, Edition.V2021, h) for f, h in v21.items() if f not in v19]
    # Every form of either edition takes part, so the longest label wins at
    # each position ("本年处理决定数量" is not "处理决定数量").
    common: list[tuple[str, Edition | None, bool]] = [(f, None, False) for f in v19 if f in v21]
    allf = sorted([*entries, *common], key=lambda e: (-len(e[0]), e[0]))
    pattern = alternation(f for f, _, _ in allf)
    # The common forms take part so that the longest label wins, but count for nobody.
    meta = {f: (e, h if e is not None else None) for f, e, h in allf}
    return re.compile(pattern), meta


@functools.cache
def _numbered_labels() -> re.Pattern[str]:
    """
    Every form of every label of the format with a digit in it, in any edition and locale.

    Section headings, captions, corner notes, column and row labels, from
    the catalogue and its translations (:func:`label_forms`): the English
    labels number their items with Arabic digits (``3. Disclosure requests
    received and handled``, ``item 1 plus item 2``), the Chinese ones with
    Chinese numerals.  A digit inside one of them is part of the label,
    never a value (:meth:`_Ctx.in_label`).
    """
    forms = {f for lab in _all_labels() for f in label_forms(lab) if any(map(str.isdigit, f))}
    return re.compile(alternation(sorted(forms, key=lambda f: (-len(f), f))))


# --- the assembler ------------------------------------------------------------


class _Ctx:
    def __init__(self, stream: Stream) -> None:
        self.s = stream
        self.warnings: list[ParseWarning] = []
        self.thousands: list[str] = []
        # Offsets of rows whose missing or extra cells were placed (not split).
        self.placed: set[int] = set()
        # Where labels with digits are printed (see in_label()); found when first asked.
        self._label_spans: tuple[list[int], list[int]] | None = None

    def in_label(self, offset: int) -> bool:
        """
        Whether stream *offset* is inside a printed label that has digits in it.

        ``3. Disclosure requests received and handled`` (an English section
        heading) has a 3 that is no value.  The labels are searched once,
        over the whole stream, the first time a value is read from a cell
        with text in it (the only place such a digit is read from).
        """
        spans = self._label_spans
        if spans is None:
            found = list(self.s.finditer(_numbered_labels()))
            spans = self._label_spans = ([a for a, _, _ in found], [b for _, b, _ in found])
        starts, ends = spans
        k = bisect.bisect_right(starts, offset) - 1
        return k >= 0 and offset < ends[k]

    def warn(
        self, code: str, message: str, offset: int | None = None, cells: Sequence[str] = ()
    ) -> None:
        loc = self.s.loc(offset) if offset is not None and self.s.starts else None
        self.warnings.append(
            ParseWarning(code=code, message=message, location=loc, cells=tuple(cells))
        )


class _Occ(NamedTuple):
    """A label printed at stream offsets [start, end)."""

    start: int
    end: int
    target: _Target


class _ValueRow(NamedTuple):
    """A printed row of values (named tuples: made for every row, cheaper than attrs)."""

    tokens: list[_split.Token]
    start: int
    label: str | None = None  # an unknown label printed before the values (extra row)


def assemble(
    rows: Sequence[Row],
    *,
    agency: str | None,
    year: int | None,
    previous: AnnualReport | None = None,
    fmt: str = "text",
) -> Parsed:
    """
    Build a :class:`Parsed` from the rows of any reader.

    Raises:
        ParseError: the rows hold no table of the format, or neither the text
            nor the caller gives the agency and year.
    """
    stream = Stream(rows)
    ctx = _Ctx(stream)
    text = stream.text
    title = title_from(stream)
    got_year = title.year
    if year is not None:
        if got_year is not None and got_year != year:
            ctx.warn(
                "year_mismatch",
                f"the title says {got_year}, the caller {year}; using {year}",
                title.offset,
            )
        got_year = year
    elif got_year is None:
        raise ParseError("the reporting year is not printed in the title; pass year=")
    if year is not None and title.year is None:
        ctx.warn("year_from_caller", f"no year in the text; using the caller's {year}")
    if agency is None:
        agency = title.agency
        if not agency:
            raise ParseError("the agency is not printed in the title; pass agency=")
    elif not title.agency:
        ctx.warn("agency_from_caller", f"no agency in the text; using the caller's {agency!r}")
    edition = _detect_edition(ctx, got_year)
    cat = catalogue(edition)
    regions = _regions(ctx, edition)
    if all(r is None for r in regions.values()):
        raise ParseError("no table of the annual report format was found")
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
            "no value of the annual report's tables was found (only some of their labels); "
            "this does not look like an annual report"
        )
    try:
        report = from_cells(values, agency=agency, year=got_year, edition=edition)
    except CellsError as e:
        # Values the model refuses (absurdly large...): blank, warned, never raised.
        for key, problem in e.invalid:
            values[key] = Decimal(0) if isinstance(values[key], Decimal) else 0
            blank.add(key)
            ctx.warn("unreadable_cell", f"{key}: {problem}; read as blank", None, [key])
        try:
            report = from_cells(values, agency=agency, year=got_year, edition=edition)
        except GovDisclosureError as e2:  # pragma: no cover -- every invalid value was replaced
            raise ParseError(f"the values read do not fit the model: {e2}") from None
    except GovDisclosureError as e:  # pragma: no cover -- values are checked when read
        raise ParseError(f"the values read do not fit the model: {e}") from None
    changes: dict[str, Any] = {}
    if isinstance(report.proactive, Proactive2019) and "t2.procurement.amount" in units:
        proc = attrs.evolve(
            report.proactive.procurement, amount_unit=units["t2.procurement.amount"]
        )
        changes["proactive"] = attrs.evolve(report.proactive, procurement=proc)
    if ctx.thousands:
        ctx.warn(
            "thousands_separator",
            f"{len(ctx.thousands)} number(s) printed with thousands separators, e.g. {ctx.thousands[0]}",
            None,
            ctx.thousands,
        )
    narr = _narratives(ctx, regions, text, title)
    fees = fees_from(narr["other_matters"])
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


def _detect_edition(ctx: _Ctx, year: int) -> Edition:
    regex, meta = _edition_regex()
    counts = {e: [0, 0] for e in Edition}  # [headers, rows]
    first: dict[Edition, int] = {}
    words: list[str] = regex.findall(ctx.s.compact)
    # An English label may be part of a longer word: then the stream decides.
    if not any(w[:1].isascii() and w[:1].isalpha() for w in words):
        # No match the stream could reject: the labels in order, found in one call.
        for word in words:
            ed, header = meta[word]
            if ed is not None and header is not None:
                counts[ed][0 if header else 1] += 1
        if all(sum(c) for c in counts.values()):
            # Labels of both editions: where each first appears, for the warning.
            for start, _, m in ctx.s.finditer(regex):
                ed, header = meta[m.group(0)]
                if ed is not None and header is not None:
                    first.setdefault(ed, start)
    else:
        for start, _, m in ctx.s.finditer(regex):
            ed, header = meta[m.group(0)]
            if ed is None or header is None:
                continue
            counts[ed][0 if header else 1] += 1
            first.setdefault(ed, start)
    try:
        prior = Edition.for_year(year)
    except UnsupportedEditionError as e:
        raise ParseError(str(e)) from None
    v19, v21 = counts[Edition.V2019], counts[Edition.V2021]
    if (v19[0], v19[1]) == (v21[0], v21[1]):
        edition = prior
    else:
        edition = Edition.V2019 if (v19[0], v19[1]) > (v21[0], v21[1]) else Edition.V2021
    if sum(v19) and sum(v21):
        other = Edition.V2019 if edition is Edition.V2021 else Edition.V2021
        ctx.warn(
            "mixed_edition_labels",
            f"labels of both editions were found; read as the {edition.value} edition",
            first.get(other),
        )
    if edition is not prior:
        ctx.warn(
            "edition_mismatch",
            f"the labels are those of the {edition.value} edition, but {year} reports use the "
            f"{prior.value} edition",
        )
    return edition


@functools.cache
def _signatures(edition: Edition) -> dict[str, re.Pattern[str]]:
    """Labels that start each table: captions, headers, notes (never short row labels, often in prose)."""
    cat = catalogue(edition)
    out = {}
    for key in _OFFICIAL:
        forms: set[str] = set()
        for part in cat.table(key).parts:
            if part.caption is not None:
                forms.update(label_forms(part.caption))
            if key != "t3":
                forms.update(
                    f for col in part.columns for f in label_forms(col.label) if _distinctive(f)
                )
            if key == "t3" and part.corner is not None:
                forms.update(f[:9] for f in label_forms(part.corner, loose=False))
            if key == "t3":
                forms.update(label_forms(part.rows[0].label))  # type: ignore[arg-type]
            if key == "t4":
                for col in part.columns:
                    for lab in col.path[:-1]:
                        forms.update(f for f in label_forms(lab) if _distinctive(f))
        for ed in Edition:
            if ed is not edition and key == "t2":
                for part in catalogue(ed).table(key).parts:
                    for col in part.columns:
                        forms.update(f for f in label_forms(col.label) if _distinctive(f))
        if key == "t3":
            for part in cat.table(key).parts:
                forms.update(f for f in label_forms(part.columns[0].path[0]) if _distinctive(f))
        ordered = sorted(forms, key=lambda f: (-len(f), f))
        out[key] = re.compile(alternation(ordered))
    # Section 二's captions alone: preferred, since a header word may occur in prose.
    captions = {
        f for part in cat.table("t2").parts if part.caption for f in label_forms(part.caption)
    }
    out["t2-captions"] = re.compile(alternation(captions))
    return out


def _distinctive(form: str) -> bool:
    """Long enough to start a table without being a word of the prose."""
    return len(form) >= (8 if form.isascii() else 4)


def _regions(ctx: _Ctx, edition: Edition) -> dict[str, tuple[int, int] | None]:
    text = ctx.s.text
    sigs = _signatures(edition)
    starts: dict[str, int | None] = {}
    pos = 0
    for key in _OFFICIAL:
        m = ctx.s.search(sigs[key], pos)
        if key == "t2":
            m = ctx.s.search(sigs["t2-captions"], pos) or m
        starts[key] = m[0] if m else None
        if m:
            pos = m[0] + 1
    # Where the tables end: the heading of section 五 or 六 after the last table.
    last = max((s for s in starts.values() if s is not None), default=0)
    end = len(text)
    for sid in ("problems", "other_matters"):
        h = ctx.s.heading(sid, last)
        if h:
            end = min(end, h[0])
    regions: dict[str, tuple[int, int] | None] = {}
    found = [(k, s) for k, s in starts.items() if s is not None]
    for i, (key, a) in enumerate(found):
        b = found[i + 1][1] if i + 1 < len(found) else end
        regions[key] = (a, max(a, b))
    for key in _OFFICIAL:
        if key not in regions:
            regions[key] = None
            ctx.warn("missing_table", f"table {key} was not found; its cells are read as blank")
    # A table found by its signature with no heading of its section before it
    # (e.g. table 二 running straight into 三's note): said, not assumed.
    cat = catalogue(edition)
    prev = 0
    for key, a in found:
        section = cat.table(key).section
        h = ctx.s.heading(section, prev)
        if h is None or h[0] > a:
            number = cat.section(section).number
            ctx.warn(
                "missing_heading",
                f"the heading of section {number} was not found; its table was found by its labels",
                a,
            )
        prev = a + 1
    return regions


# --- reading one table ----------------------------------------------------------


@attrs.define
class _TableRead:
    table: str
    # (part, row) -> tokens and the stream offset of the row (for locations)
    rows: dict[tuple[int, int], tuple[list[_split.Token], int]] = attrs.Factory(dict)
    missing: list[tuple[int, int]] = attrs.Factory(list)


def _row_tokens(
    ctx: _Ctx, start: int, end: int, *, own: bool
) -> tuple[list[_ValueRow], list[_split.Token]]:
    """
    Read [start, end) of the stream: the tokens in the first printed row (*own*) and the value rows after it.
    """
    text = ctx.s.text
    if end - start == 1 and text[start] in (CELL, ROW):
        return [], []  # a lone separator between two labels (headers): nothing to read
    number = _split.NUMBER.fullmatch
    # Token(...) without the named tuple's Python-level __new__ (a token per cell).
    new_token = tuple.__new__
    own_tokens: list[_split.Token] = []
    rows: list[_ValueRow] = []
    pos = start
    first = True
    while pos < end:
        nl = text.find(ROW, pos, end)
        stop = end if nl < 0 else nl
        piece = text[pos:stop]
        if first and own and nl >= 0 and _OWN_NUMBERS(piece):
            # The label's row as most often printed: the label's cell ends,
            # then one number per cell up to the end of the row.  What the
            # loop below reads (every such cell a whole cell), made at once.
            cells = piece.split(CELL)
            offsets = itertools.accumulate(map(_PLUS_ONE, map(len, cells)), initial=pos)
            next(offsets)  # the label's cell
            # (offsets holds one more value, the end of the row: zip stops before it.)
            own_tokens = [
                new_token(Token, (c, o, True)) for c, o in zip(cells[1:], offsets, strict=False)
            ]
            first = False
            pos = nl + 1
            continue
        cells = piece.split(CELL)
        toks: list[_split.Token] = []
        label_text: list[str] = []
        label_pos = pos
        had_value = False
        off = pos
        last_piece = nl < 0
        last = len(cells) - 1
        for j, cell in enumerate(cells):
            # The first piece continues the label's cell; a piece running into
            # the next label is the start of that label's cell: neither is a
            # whole cell, so neither can be a blank.
            whole = not (first and j == 0) and not (last_piece and j == last)
            if (cell.isdigit() and cell.isascii()) or (cell and number(cell)):
                # The common case, one number and nothing else around it:
                # what _split.tokens reads, without the call.
                toks.append(new_token(Token, (cell, off, whole)))
                had_value = True
                off += len(cell) + 1
                continue
            if not cell or cell.isspace():
                # An empty cell: a blank when the source separated it.
                if whole:
                    toks.append(new_token(Token, ("", off, True)))
                off += len(cell) + 1
                continue
            if first and j == 0 and own:
                t, _ = _split.tokens(cell, off, whole_cell=False)
                toks += t
            else:
                t, is_text = _split.tokens(cell, off, whole_cell=whole)
                if is_text and t:
                    # Digits of a label's own text ("3. Disclosure requests..."):
                    # the cell is a label, like the same label in Chinese.
                    t = [x for x in t if not ctx.in_label(x.offset)]
                if is_text and not t and all(x.blank for x in toks):
                    # A label (after empty filler cells of spanned label columns).
                    if not label_text:
                        label_pos = off + (len(cell) - len(cell.lstrip()))
                    label_text.append(cell.strip())
                    toks = []
                elif not is_text or t:
                    toks += t
            had_value = had_value or any(not x.blank for x in t)
            off += len(cell) + 1
        if first and own:
            own_tokens = toks
        elif toks and had_value:
            rows.append(
                _ValueRow(
                    toks,
                    label_pos if label_text else pos,
                    "".join(label_text) if label_text else None,
                )
            )
        first = False
        if nl < 0:
            break
        pos = nl + 1
    return rows, own_tokens


def _read_table(
    ctx: _Ctx, cat: Catalogue, key: str, region: tuple[int, int] | None, extra: list[ExtraRow]
) -> _TableRead:
    tdef = cat.table(key)
    read = _TableRead(key)
    all_rows = [(p, r) for p, part in enumerate(tdef.parts) for r in range(len(part.rows))]
    if region is None:
        read.missing = all_rows
        return read
    a, b = region
    regex, targets = _table_regex(cat.edition, key)
    new_occ = tuple.__new__  # _Occ(...) without the named tuple's Python-level __new__
    occs: list[_Occ] = [
        new_occ(_Occ, (start, end, targets[m.group(0)]))
        for start, end, m in ctx.s.finditer(regex, a, b)
    ]
    occs = _loose_labels(ctx, cat, key, occs, a, b)
    bound: dict[tuple[int, int], tuple[list[_split.Token], int]] = {}
    floating_labels: list[tuple[int, tuple[int, int], int]] = []
    floating_rows: list[_ValueRow] = []
    seen_label: set[tuple[int, int]] = set()
    # Values before the first label (rare) are floating too.
    lead_end = occs[0].start if occs else b
    rows0, _ = _row_tokens(ctx, a, lead_end, own=False)
    floating_rows += rows0
    for i, occ in enumerate(occs):
        nxt = occs[i + 1].start if i + 1 < len(occs) else b
        vrows, own = _row_tokens(ctx, occ.end, nxt, own=True)
        t = occ.target
        if t.kind == "row":
            rk = (t.part, t.row)
            if own and rk not in bound:
                bound[rk] = (own, occ.start)
            elif own:
                ctx.warn(
                    "duplicate_row",
                    f"row {_row_name(tdef.parts[t.part].rows[t.row])} printed again; ignored",
                    occ.start,
                )
            elif rk not in seen_label:
                floating_labels.append((occ.start, rk, nxt))
            seen_label.add(rk)
        elif own:
            floating_rows.append(_ValueRow(own, occ.end))
        for vr in vrows:
            if vr.label is not None:
                extra.append(
                    ExtraRow(
                        table=key,
                        label=ctx.s.raw(vr.start, vr.start + len(vr.label) + 1)[0]
                        if ctx.s.raw(vr.start, vr.start + len(vr.label) + 1)
                        else vr.label,
                        values=tuple(x.text for x in vr.tokens),
                    )
                )
                ctx.warn(
                    "extra_row",
                    f"row {vr.label!r} is not in the format; kept in extra_rows",
                    vr.start,
                )
            else:
                floating_rows.append(vr)
    floating_labels = [(o, rk, e) for o, rk, e in floating_labels if rk not in bound]
    floating_rows.sort(key=lambda v: v.start)
    # Pair labels printed apart from their values, in document order.
    queue = list(floating_rows)
    for off, (p, r), slice_end in floating_labels:
        ncols = len(tdef.parts[p].columns)
        toks: list[_split.Token] = []
        start = queue[0].start if queue else off
        while queue and len(toks) < ncols:
            head = queue[0]
            if toks and len(toks) + len(head.tokens) > ncols and len(head.tokens) == ncols:
                ctx.warn(
                    "stray_values",
                    f"values {' '.join(x.text for x in toks)!r} fit no row; ignored",
                    start,
                )
                toks = []
            toks += head.tokens
            start = head.start if len(toks) == len(head.tokens) else start
            queue.pop(0)
        if toks:
            bound[(p, r)] = (toks, start)
            if off < start < slice_end:
                continue  # one cell per line: the values follow their label
            ctx.warn(
                "unlabelled_row",
                f"values printed apart from the label {_row_name(tdef.parts[p].rows[r])}; paired in document order",
                start,
            )
    # A row without a label (section 四) takes the remaining values in order.
    for p, part in enumerate(tdef.parts):
        for r, row in enumerate(part.rows):
            if row.label is None and (p, r) not in bound and queue:
                toks = [x for v in queue for x in v.tokens]
                bound[(p, r)] = (toks, queue[0].start)
                queue = []
    if any(not all(x.blank for x in v.tokens) for v in queue):
        ctx.warn(
            "stray_values",
            "values that fit no row were ignored: "
            + " | ".join(" ".join(x.text for x in v.tokens) for v in queue)[:200],
            queue[0].start,
        )
    read.rows = bound
    read.missing = [rk for rk in all_rows if rk not in bound]
    return read


def _loose_labels(
    ctx: _Ctx, cat: Catalogue, key: str, occs: list[_Occ], a: int, b: int
) -> list[_Occ]:
    """
    Find row labels not printed contiguously (PDF text interleaves columns: "2.没有现成信息需要另法提供行制作").

    Only for rows not found otherwise, with long labels, and only where the
    loose match contains no other row label.
    """
    found = {(o.target.part, o.target.row) for o in occs if o.target.kind == "row"}
    tdef = cat.table(key)
    text = ctx.s.text
    for p, part in enumerate(tdef.parts):
        for r, row in enumerate(part.rows):
            if (p, r) in found or row.label is None:
                continue
            for form in label_forms(row.label, loose=False):
                if len(form) < 8:
                    continue
                pattern = r"[\s\S]{0,8}?".join(re.escape(c) for c in form)
                m = re.search(pattern, text[a:b])
                if not m:
                    continue
                start, end = a + m.start(), a + m.end()
                inside = [o for o in occs if start <= o.start < end or o.start <= start < o.end]
                if any(o.target.kind == "row" for o in inside):
                    continue
                occs = [o for o in occs if o not in inside]
                occs.append(_Occ(start, end, _Target("row", key, p, r)))
                occs.sort(key=lambda o: o.start)
                ctx.warn(
                    "loose_label", f"label {row.label.zh} matched with other text inside it", start
                )
                break
    return occs


def _row_name(row: RowDef) -> str:
    return row.label.zh if row.label is not None else "(values)"


# --- values ---------------------------------------------------------------------


@functools.cache
def _keys(edition: Edition, table: str, p: int, r: int) -> tuple[str, ...]:
    # Cached by plain keys: hashing the frozen catalogue classes walks every label.
    part = catalogue(edition).table(table).parts[p]
    row = part.rows[r]
    out = []
    for col in part.columns:
        rest = [p for p in (*row.key.split("."), *col.key.split(".")) if p]
        out.append(".".join((table, *rest)))
    return tuple(out)


@functools.cache
def _equation_sides(edition: Edition) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """The identities of *edition* as (left keys, right keys)."""
    from ..rules._equations import _equations

    return tuple((eq.lhs, eq.rhs) for eq in _equations(edition))


@functools.cache
def _column_names(edition: Edition, table: str, p: int) -> tuple[str, ...]:
    """The last part of each column key of part *p* of *table* (for the plausibility hints)."""
    return tuple(c.key.split(".")[-1] for c in catalogue(edition).table(table).parts[p].columns)


def _fill(
    ctx: _Ctx,
    cat: Catalogue,
    reads: dict[str, _TableRead],
    values: dict[str, CellValue],
    blank: set[str],
    prov: dict[str, int],
    ambiguities: list[Ambiguity],
    units: dict[str, str],
    previous: AnnualReport | None,
    agency: str,
    year: int,
) -> None:
    equations = _equation_sides(cat.edition)
    # Readings of every row: key -> value dicts; the first is the printed one when unique.
    options: dict[str, list[dict[str, CellValue]]] = {}
    row_cols: dict[str, list[str]] = {}
    row_where: dict[str, int] = {}
    for key, read in reads.items():
        tdef = cat.table(key)
        for (p, r), (toks, off) in sorted(read.rows.items()):
            part = tdef.parts[p]
            row = part.rows[r]
            keys = _keys(cat.edition, key, p, r)
            rid = f"{key}.{row.key}" if row.key else key
            row_cols[rid] = list(_column_names(cat.edition, key, p))
            row_where[rid] = off
            cols = _columns(cat.edition, key, p)
            opts = _readings(
                ctx, part, cols, keys, toks, off, values, blank, prov, units, cat.edition
            )
            if opts is not None:
                options[rid] = opts
        for p, r in read.missing:
            part = tdef.parts[p]
            row = part.rows[r]
            keys = _keys(cat.edition, key, p, r)
            for k, col in zip(keys, part.columns, strict=True):
                values[k] = Decimal(0) if col.kind is ValueKind.MONEY else 0
                blank.add(k)
            ctx.warn(
                "missing_row",
                f"row {_row_name(row)} of {key} was not found; read as blank",
                None,
                keys,
            )
    if not options:
        return
    fixed = dict(values)
    # Readings that break an identity inside their own row are dropped first.
    for rid, opts in list(options.items()):
        inside = [eq for eq in equations if all(k in opts[0] for k in (*eq[0], *eq[1]))]
        good = [
            o
            for o in opts
            if all(sum(o[k] for k in lhs) == sum(o[k] for k in rhs) for lhs, rhs in inside)
        ]
        if good:
            if len(opts) > 1 and len(good) == 1 and row_where[rid] not in ctx.placed:
                ctx.warn(
                    "split_cells",
                    f"row {rid} was printed without separators; split by its identities",
                    row_where[rid],
                    list(good[0]),
                )
            options[rid] = good
        elif inside:
            ctx.warn(
                "identities_unsatisfied",
                f"no split of the digits of row {rid} satisfies its identities; kept the most plausible",
                row_where[rid],
            )
    multi = {rid: o for rid, o in options.items() if len(o) > 1}
    for o in options.values():
        if len(o) == 1:
            fixed.update(o[0])
            values.update(o[0])
            _settle_blanks(values, o[0], blank)

    def score(sol: dict[str, dict[str, CellValue]]) -> list[tuple[int, Decimal, list[Decimal]]]:
        return [
            _split.plausibility(row_cols[rid], list(v.values())) for rid, v in sorted(sol.items())
        ]

    # Rows linked by an identity are solved together; the others one by one.
    for comp in _components(multi, equations):
        sub = {rid: multi[rid] for rid in comp}
        limit = 64
        solutions = _split.solve(sub, fixed, equations, limit=limit)
        undecided = len(solutions) >= limit
        if not solutions:
            ctx.warn(
                "identities_unsatisfied",
                "no split of the digit runs of rows "
                + ", ".join(comp)
                + " satisfies the identities between them; each row read on its own",
                row_where[comp[0]],
            )
            best = {rid: _most_plausible(row_cols[rid], o) for rid, o in sub.items()}
            solutions = [best]
            undecided = True
        chosen = min(solutions, key=score)
        if previous is not None and len(solutions) > 1:
            chosen = _prefer_previous(solutions, fixed, previous, agency, year, cat, score)
        for opt in chosen.values():
            values.update(opt)
            fixed.update(opt)
            _settle_blanks(values, opt, blank)
        for rid in comp:
            rkeys = list(sub[rid][0])
            pool = sub[rid] if undecided else [sol[rid] for sol in solutions]
            amb = []
            for k in rkeys:
                cands = {o[k] for o in pool}
                if len(cands) > 1:
                    amb.append(
                        Ambiguity(
                            key=k,
                            candidates=tuple(sorted(cands)),
                            chosen=values[k],
                            location=ctx.s.loc(prov[k]) if k in prov else None,
                        )
                    )
            ambiguities.extend(amb)
            if amb:
                ctx.warn(
                    "ambiguous_split",
                    (
                        f"the missing or extra cells of row {rid} fit more than one place; cells "
                        if row_where[rid] in ctx.placed
                        else f"the digits of row {rid} split in more than one way; cells "
                    )
                    + ", ".join(
                        f"{a.key} in {{{', '.join(str(c) for c in a.candidates)}}}" for a in amb
                    )
                    + f"; kept {', '.join(f'{a.key}={a.chosen}' for a in amb)}",
                    row_where[rid],
                    [a.key for a in amb],
                )
            elif row_where[rid] not in ctx.placed:
                ctx.warn(
                    "split_cells",
                    f"row {rid} was printed without separators; split by the identities",
                    row_where[rid],
                    rkeys,
                )


def _most_plausible(
    columns: list[str], readings: list[dict[str, CellValue]]
) -> dict[str, CellValue]:
    return min(readings, key=lambda v: _split.plausibility(columns, list(v.values())))


def _components(
    multi: dict[str, list[dict[str, CellValue]]],
    equations: Sequence[tuple[tuple[str, ...], tuple[str, ...]]],
) -> list[list[str]]:
    owner = {k: rid for rid, opts in multi.items() for k in opts[0]}
    parent = {rid: rid for rid in multi}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for lhs, rhs in equations:
        rows = {owner[k] for k in (*lhs, *rhs) if k in owner}
        first = None
        for r in rows:
            if first is None:
                first = find(r)
            else:
                parent[find(r)] = first
    groups: dict[str, list[str]] = {}
    for rid in multi:
        groups.setdefault(find(rid), []).append(rid)
    return list(groups.values())


def _prefer_previous(
    solutions: list[dict[str, dict[str, CellValue]]],
    fixed: dict[str, CellValue],
    previous: AnnualReport,
    agency: str,
    year: int,
    cat: Catalogue,
    score: Any,
) -> dict[str, dict[str, CellValue]]:
    from ..rules import continuity

    def findings(sol: dict[str, dict[str, CellValue]]) -> int:
        vals = dict(fixed)
        for opt in sol.values():
            vals.update(opt)
        try:
            rep = from_cells(vals, agency=agency, year=year, edition=cat.edition)
            return len(continuity(previous, rep))
        except Exception:
            return 1 << 30

    return min(solutions, key=lambda s: (findings(s), score(s)))


@functools.cache
def _columns(edition: Edition, table: str, p: int) -> tuple[tuple[bool, str | None], ...]:
    """Per column of part *p* of *table*: whether it holds money, and its header's unit.

    Cached by plain keys: hashing the frozen catalogue classes walks every label.
    """
    part = catalogue(edition).table(table).parts[p]
    return tuple((c.kind is ValueKind.MONEY, c.unit) for c in part.columns)


class _BlankCount(int):
    """A 0 read from a blank cell in one of several readings (recorded blank if chosen)."""


class _BlankMoney(Decimal):
    """A 0 amount read from a blank cell in one of several readings."""


_BLANK_COUNT = _BlankCount(0)
_BLANK_MONEY = _BlankMoney(0)


def _settle_blanks(values: dict[str, CellValue], keys: Iterable[str], blank: set[str]) -> None:
    """Record the chosen reading's blank cells and store them as plain zeros."""
    for k in keys:
        v = values.get(k)
        if type(v) is _BlankCount:
            values[k] = 0
            blank.add(k)
        elif type(v) is _BlankMoney:
            values[k] = Decimal(0)
            blank.add(k)


@functools.cache
def _row_identities(
    edition: Edition, keys: tuple[str, ...]
) -> Callable[[Sequence[str]], bool] | None:
    """The identities inside one row, as a test of a reading's texts (counts only)."""
    equations = _equation_sides(edition)
    index = {k: i for i, k in enumerate(keys)}
    inside = [
        (tuple(index[k] for k in lhs), tuple(index[k] for k in rhs))
        for lhs, rhs in equations
        if all(k in index for k in (*lhs, *rhs))
    ]
    if not inside:
        return None

    def accept(texts: Sequence[str]) -> bool:
        try:
            v = list(map(int, texts))  # the common case: no blank (no blank reads as an int)
        except ValueError:
            try:
                v = [0 if t in _split.BLANKS else int(t) for t in texts]
            except ValueError:
                return True  # not plain counts: leave it to the readers
        get = v.__getitem__
        return all(sum(map(get, lhs)) == sum(map(get, rhs)) for lhs, rhs in inside)

    return accept


def _read_printed(
    ctx: _Ctx,
    part: PartDef,
    cols: tuple[tuple[bool, str | None], ...],
    keys: tuple[str, ...],
    toks: Sequence[_split.Token],
    values: dict[str, CellValue],
    blank: set[str],
    prov: dict[str, int],
    units: dict[str, str],
) -> None:
    """Read a row printed with one value per cell: each cell's value, blank, unit and separators."""
    grouped = _split.GROUPED.fullmatch
    for k, col, (money, header), tok in zip(keys, part.columns, cols, toks, strict=True):
        text = tok.text
        prov[k] = tok.offset
        if text.isdigit() and text.isascii() and len(text) <= _split.MAX_DIGITS:
            # The common case (what _split.parse_value reads first).
            values[k] = Decimal(text) if money else int(text)
            continue
        if not money and grouped(text) and len(text) <= _split.MAX_DIGITS + 5:
            # A count with thousands separators (what _split.parse_value reads next).
            digits = text.replace(",", "")
            if len(digits) <= _split.MAX_DIGITS:
                values[k] = int(digits)
                ctx.thousands.append(k)
                continue
        if text in _split.BLANKS:
            values[k] = Decimal(0) if money else 0
            blank.add(k)
            ctx.warn("blank_cell", f"{k} printed {text or 'blank'!r}; read as 0", tok.offset, [k])
            continue
        v, unit, thousands = _cell_value(ctx, k, col, header, text, tok.offset, warn=True)
        if v is None:
            _unreadable(ctx, k, col, text, tok.offset, values, blank)
            continue
        values[k] = v
        _keep(ctx, k, text, tok.offset, thousands, unit, units)


def _cell_value(
    ctx: _Ctx,
    k: str,
    col: ColumnDef,
    header: str | None,
    text: str,
    offset: int,
    *,
    warn: bool,
) -> tuple[CellValue | None, str | None, bool]:
    """
    The value of a printed, non-blank cell (``None`` when unreadable), the unit it keeps, and whether it had thousands separators.

    A count printed with a zero decimal part (``56.0``) is the integer; an
    amount in another unit than its header's is converted exactly.  With
    *warn*, says so (a cell of the one reading of its row).
    """
    v, unit, thousands = _split.parse_value(text, col.kind)
    whole = integral_part(text) if v is None and col.kind is not ValueKind.MONEY else None
    if whole is not None:
        # "56.0" in a count cell: the integer exactly (spreadsheet exports).
        v, unit, thousands = _split.parse_value(whole, col.kind)
        if v is not None and warn:
            ctx.warn(
                "decimal_count",
                f"{k} printed {text!r}, a count with a zero decimal part; read as {v}",
                offset,
                [k],
            )
    if v is not None and unit is not None and header is not None and unit != header:
        # The header fixes the unit (万元 for 2021 fees): convert exactly.
        v = _convert(v, unit, header)
        if warn:
            ctx.warn(
                "unit_converted",
                f"{k} printed {text!r} under a header in {header}; read as {v} {header}",
                offset,
                [k],
            )
        unit = None
    return v, unit, thousands


def _unreadable(
    ctx: _Ctx,
    k: str,
    col: ColumnDef,
    text: str,
    offset: int,
    values: dict[str, CellValue],
    blank: set[str],
) -> None:
    """Hold an unreadable cell as a blank 0, and say so."""
    values[k] = Decimal(0) if col.kind is ValueKind.MONEY else 0
    blank.add(k)
    ctx.warn(
        "unreadable_cell",
        f"{k} printed {text!r}, not a {col.kind.value}; read as blank",
        offset,
        [k],
    )


def _keep(
    ctx: _Ctx,
    k: str,
    text: str,
    offset: int,
    thousands: bool,
    unit: str | None,
    units: dict[str, str],
) -> None:
    """Record what a read cell was printed with: thousands separators, a unit kept in the cell."""
    if thousands:
        ctx.thousands.append(k)
    if unit is not None:
        units[k] = unit
        ctx.warn("unit_in_cell", f"{k} printed with its unit: {text!r}", offset, [k])


def _convert(v: int | Decimal, unit: str, header: str) -> Decimal:
    """An amount printed in *unit* in the *header*'s unit, exactly."""
    factor = MONEY_UNITS[unit] / MONEY_UNITS[header]
    d = (Decimal(v) * factor).normalize()
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    return d


def _readings(
    ctx: _Ctx,
    part: PartDef,
    cols: tuple[tuple[bool, str | None], ...],
    keys: tuple[str, ...],
    toks: list[_split.Token],
    off: int,
    values: dict[str, CellValue],
    blank: set[str],
    prov: dict[str, int],
    units: dict[str, str],
    edition: Edition,
) -> list[dict[str, CellValue]] | None:
    """Read one row; return its readings when digits had to be split, else ``None`` (values filled)."""
    ncols = len(part.columns)
    toks = list(toks)
    # Empty cells beside a label are filler of a spanned label column (Markdown
    # prints them); a row with too many cells loses them first.
    lead = 0
    while lead < len(toks) and toks[lead].text == "":
        lead += 1
    if lead > 1 and len(toks) - lead < ncols and _split.separated(toks[lead:]):
        # A run of empty cells before the values is filler (a Markdown
        # separator row, spanned label columns), not blank cells: the row's
        # own values are placed by the identities below.
        toks = toks[lead:]
    while len(toks) > ncols and toks[0].text == "":
        toks.pop(0)
    while len(toks) > ncols and toks[-1].blank:
        toks.pop()
    readings: list[tuple[tuple[str, int], ...]] = []
    placed = False
    if len(toks) != ncols and _split.separated(toks):
        # The source separated these cells: none is split.  The identities
        # say where a missing cell (blank) or an extra value goes; several
        # places left are an ambiguity like any other.
        accept = _row_identities(edition, keys)
        readings = _split.placements(toks, ncols, accept) or _split.placements(toks, ncols)
        placed = bool(readings)
        if placed:
            ctx.placed.add(off)
            code = "row_too_short" if len(toks) < ncols else "row_too_long"
            where = "missing cells are blanks" if len(toks) < ncols else "extra values are dropped"
            ctx.warn(
                code,
                f"{len(toks)} values for {ncols} columns; the {where} placed where the "
                f"identities hold ({len(readings)} possible place(s))",
                toks[0].offset if toks else off,
                keys,
            )
    if len(toks) > ncols and not placed:
        ctx.warn(
            "row_too_long",
            f"{len(toks)} values for {ncols} columns; ignored {' '.join(t.text for t in toks[ncols:])!r}",
            toks[ncols].offset,
            keys,
        )
        toks = toks[:ncols]
    if placed:
        pass
    elif len(toks) == ncols:
        # One value per cell, as printed (the common case): read in place.
        _read_printed(ctx, part, cols, keys, toks, values, blank, prov, units)
        return None
    else:
        accept = _row_identities(edition, keys)
        readings, cut = _split.candidates(toks, ncols, accept)
        if not readings and accept is not None:
            # The printed row breaks its own identity: every split stays a candidate.
            readings, cut = _split.candidates(toks, ncols)
        if len(readings) == 1:
            ctx.warn(
                "split_cells",
                f"{' '.join(t.text for t in toks)!r} printed without separators; one split "
                "satisfies the row's identities",
                off,
                keys,
            )
        if cut:
            ctx.warn(
                "ambiguous_split",
                f"too many ways to split {' '.join(t.text for t in toks)!r}; kept the first readings",
                off,
                keys,
            )
        if not readings:
            ctx.warn(
                "row_too_short",
                f"{len(toks)} values for {ncols} columns; the missing cells are read as blank",
                toks[-1].offset if toks else off,
                keys[len(toks) :],
            )
            pad = [_split.Token("", toks[-1].offset if toks else off)] * (ncols - len(toks))
            toks = toks + pad
            readings = [tuple((t.text, i) for i, t in enumerate(toks))]
    out: list[dict[str, CellValue]] = []
    for reading in readings:
        vals: dict[str, CellValue] = {}
        ok = True
        for k, col, (_, header), (text, ti) in zip(keys, part.columns, cols, reading, strict=True):
            tok = toks[ti]
            if len(readings) == 1:
                prov[k] = tok.offset
            if text in _split.BLANKS:
                vals[k] = _BLANK_MONEY if col.kind is ValueKind.MONEY else _BLANK_COUNT
                if len(readings) == 1:
                    blank.add(k)
                    ctx.warn(
                        "blank_cell", f"{k} printed {text or 'blank'!r}; read as 0", tok.offset, [k]
                    )
                continue
            one = len(readings) == 1
            v, unit, thousands = _cell_value(ctx, k, col, header, text, tok.offset, warn=one)
            if v is None:
                if not one:
                    ok = False
                    break
                _unreadable(ctx, k, col, text, tok.offset, vals, blank)
                continue
            vals[k] = v
            if one:
                _keep(ctx, k, text, tok.offset, thousands, unit, units)
        if ok:
            out.append(vals)
    if len(readings) == 1:
        values.update(out[0])
        _settle_blanks(values, out[0], blank)
        return None
    # Provenance of split cells: the run they came from.
    for k, (_, ti) in zip(keys, readings[0], strict=True):
        prov[k] = toks[ti].offset
    for reading in readings[:1]:
        for k, col, (text, _) in zip(keys, part.columns, reading, strict=True):
            if col.kind is ValueKind.MONEY:
                v, unit, _ = _split.parse_value(text, col.kind)
                if unit is not None:
                    units[k] = unit
    return out or [dict.fromkeys(keys, 0)]


# --- narratives ------------------------------------------------------------------


def _narratives(
    ctx: _Ctx, regions: dict[str, tuple[int, int] | None], text: str, title: Any
) -> dict[str, Any]:
    s = ctx.s
    heads: dict[str, tuple[int, int] | None] = {}
    for sid in ("general", "proactive", "requests", "appeals", "problems", "other_matters"):
        heads[sid] = s.heading(sid)
    t_start = min((r[0] for r in regions.values() if r is not None), default=len(text))
    t_end = max((r[1] for r in regions.values() if r is not None), default=len(text))
    g = heads["general"]
    # Headings found inside the tables are not narrative boundaries.
    if g is not None and g[0] > t_start:
        g = None
    pre_end = g[0] if g is not None else t_start
    pre = preamble_start(s, title, pre_end)
    if pre.clutter:
        ctx.warn(
            "page_clutter",
            f"{pre.clutter} line(s) before the report's title (navigation, dates, buttons) "
            "were dropped as page clutter, not kept in the preamble",
            pre.offset,
        )
    preamble = _paragraphs(s, pre.start, pre_end)
    general_paras: list[str] = []
    subsections: list[Subsection] = []
    if g is not None:
        gen_end = t_start
        p2 = heads["proactive"]
        if p2 is not None and g[1] <= p2[0] < gen_end:
            gen_end = p2[0]
        general_paras, subsections = _general(s, g[1], gen_end)
    else:
        ctx.warn("missing_heading", "the heading of section 一 was not found; section 一 is empty")
    five = heads["problems"]
    six = heads["other_matters"]
    if six is not None and six[0] < t_end:
        six = s.heading("other_matters", t_end)
    if five is not None and five[0] < t_end:
        five = s.heading("problems", t_end)
    p_start = five[1] if five is not None else None
    p_end = six[0] if six is not None else len(text)
    problems = _paragraphs(s, p_start, p_end) if p_start is not None else []
    other = _paragraphs(s, six[1], len(text)) if six is not None else []
    return {
        "preamble": preamble,
        "general": General(paragraphs=tuple(general_paras), subsections=tuple(subsections)),
        "problems": problems,
        "other_matters": other,
    }


def _paragraphs(s: Stream, start: int, end: int) -> list[str]:
    if start >= end:
        return []
    return [p for p in s.raw(start, end) if p.strip()]


def _general(s: Stream, start: int, end: int) -> tuple[list[str], list[Subsection]]:
    """Section 一: paragraphs, then headed subsections where the markup marks headings."""
    paras: list[str] = []
    subs: list[Subsection] = []
    i = s.row_of(start)
    first = True
    while 0 <= i < len(s.rows) and s.row_starts[i] < end:
        a = max(start, s.row_starts[i]) if first else s.row_starts[i]
        b = min(end, s.row_starts[i + 1] - 1 if i + 1 < len(s.rows) else len(s.text))
        first = False
        texts = s.raw(a, b)
        if texts:
            if s.rows[i].kind == "h":
                subs.append(Subsection(heading=texts[0]))
            elif subs:
                subs[-1] = attrs.evolve(subs[-1], paragraphs=(*subs[-1].paragraphs, *texts))
            else:
                paras += texts
        i += 1
    return paras, subs


def iter_rows(rows: Sequence[Row]) -> Iterator[str]:  # pragma: no cover -- debugging aid
    for r in rows:
        yield " | ".join(r.cells)


_ = unicodedata
