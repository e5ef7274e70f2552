"""
Stage 4: inside a table, find every printed label and bind or pair it with its row of values.
"""

from __future__ import annotations

import bisect
import collections
import difflib
import itertools
from collections.abc import Iterator

import attrs

from ..._messages import M_
from ...catalogue import (
    Catalogue,
    Edition,
    PartDef,
    RowDef,
    TableDef,
    catalogue,
)
from ...model import (
    ExtraRow,
)
from . import split as _split
from .context import _Ctx, _Occ, _ValueRow
from .labels import _keys, _table_regex, _Target
from .norm import (
    CELL,
    GAPS,
    ROW,
    label_forms,
    norm_label,
)
from .split import Token
from .stream import _OWN_NUMBERS, _PLUS_ONE

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
        # Whole cells of text among a row's values (暂无, 〇, a form's placeholder):
        # each keeps its column as a token the readers cannot read (an
        # unreadable cell, held as a blank 0 and named), instead of vanishing
        # and moving the values after it into its column.  In the label's own
        # row every cell after the label may be one of its cells; in a row of
        # values only, text counts once a value follows it in the row.  A row
        # with more cells than columns loses its text cells first (a notes
        # column, a unit, a footnote: ctx.without_text_cells), and one
        # without any value has none (a header's text).
        pending: list[_split.Token] = []
        owned = first and own
        for j, cell in enumerate(cells):
            # The first piece continues the label's cell; a piece running into
            # the next label is the start of that label's cell: neither is a
            # whole cell, so neither can be a blank.
            whole = not (first and j == 0) and not (last_piece and j == last)
            if (cell.isdigit() and cell.isascii()) or (cell and number(cell)):
                # The common case, one number and nothing else around it:
                # what _split.tokens reads, without the call.
                if pending:
                    toks += pending
                    pending = []
                toks.append(new_token(Token, (cell, off, whole)))
                had_value = True
                off += len(cell) + 1
                continue
            if not cell or cell.isspace():
                # An empty cell: a blank when the source separated it.
                if whole:
                    if pending:
                        toks += pending
                        pending = []
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
                if t and pending:
                    toks += pending
                    pending = []
                if is_text and not t and whole and (owned or any(not x.blank for x in toks)):
                    text_at = off + (len(cell) - len(cell.lstrip()))
                    placeholder = new_token(Token, (cell.strip(), text_at, True))
                    ctx.text_cells.add(text_at)
                    if owned:
                        toks.append(placeholder)
                    else:
                        pending.append(placeholder)
                elif is_text and not t and all(x.blank for x in toks):
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


def _own_cells(
    ctx: _Ctx, tdef: TableDef, target: _Target, own: list[_split.Token]
) -> list[_split.Token]:
    """
    The cells after a label on its line, text cells kept only where they may be the row's own.

    A row label's line of text cells and blanks alone is the row's when it
    has one cell per column (规章 | 暂无 | 暂无 | 暂无); otherwise, and after any
    other label (a header, a caption), text cells are no values (a header's
    备注 column).
    """
    if target.kind == "row" and (
        ctx.has_value(own) or len(own) == len(tdef.parts[target.part].columns)
    ):
        return own
    return ctx.without_text_cells(own)


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
    occs = _fuzzy_labels(ctx, cat, key, occs, a, b)
    found = {(o.target.part, o.target.row) for o in occs if o.target.kind == "row"}
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
        if own and ctx.text_cells:
            own = _own_cells(ctx, tdef, occ.target, own)
        t = occ.target
        if t.kind == "row":
            rk = (t.part, t.row)
            if own and rk not in bound:
                bound[rk] = (own, occ.start)
            elif own:
                ctx.warn(
                    "duplicate_row",
                    M_(
                        "row {row} printed again; ignored",
                        row=_row_name(tdef.parts[t.part].rows[t.row]),
                    ),
                    occ.start,
                    _keys(cat.edition, key, t.part, t.row),
                )
            elif rk not in seen_label:
                floating_labels.append((occ.start, rk, nxt))
            seen_label.add(rk)
        elif t.kind == "foreign" and (own or _unlabelled(vrows)):
            _foreign_row(ctx, cat, key, occ, own or _unlabelled(vrows), extra)
            if not own:
                vrows = []
        elif t.kind == "group" and _group_as_row(
            ctx, cat, key, occ, own or _unlabelled(vrows), found, extra
        ):
            if not own:
                vrows = []  # one cell per line: the group's values were on the lines after it
        elif own and any(x.text for x in own):
            # (Only empty cells after a header or caption on its line are the
            # filler of its spanned columns, not blank values.)
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
                    M_("row {label!r} is not in the format; kept in extra_rows", label=vr.label),
                    vr.start,
                )
            else:
                floating_rows.append(vr)
    floating_labels = [(o, rk, e) for o, rk, e in floating_labels if rk not in bound]
    floating_rows.sort(key=lambda v: v.start)
    queue = collections.deque(floating_rows)
    # Pair labels printed apart from their values, in document order.
    for off, (p, r), slice_end in floating_labels:
        ncols = len(tdef.parts[p].columns)
        toks: list[_split.Token] = []
        start = queue[0].start if queue else off
        # One cell per line: every value that follows the label, up to the
        # next label, is its own, and never one across it (a row whose blank
        # cells were left out stays short, one with a value too many, a page
        # number say, stays long: both are warned by their cells).
        own_line = off < start < slice_end
        while queue and (own_line or len(toks) < ncols):
            head = queue[0]
            if own_line and head.start >= slice_end:
                break
            if (
                not own_line
                and toks
                and len(toks) + len(head.tokens) > ncols
                and len(head.tokens) == ncols
            ):
                ctx.warn(
                    "stray_values",
                    M_("values {text!r} fit no row; ignored", text=" ".join(x.text for x in toks)),
                    start,
                )
                toks = []
            toks += head.tokens
            start = head.start if len(toks) == len(head.tokens) else start
            queue.popleft()
        if toks:
            bound[(p, r)] = (toks, start)
            if off < start < slice_end:
                continue  # one cell per line: the values follow their label
            ctx.warn(
                "unlabelled_row",
                M_(
                    "values printed apart from the label {row}; paired in document order",
                    row=_row_name(tdef.parts[p].rows[r]),
                ),
                start,
                _keys(cat.edition, key, p, r),
            )
    # A row without a label (section 四) takes the remaining values in order.
    for p, part in enumerate(tdef.parts):
        for r, row in enumerate(part.rows):
            if row.label is None and (p, r) not in bound and queue:
                toks = [x for v in queue for x in v.tokens]
                bound[(p, r)] = (toks, queue[0].start)
                pieces = [len(v.tokens) for v in queue if not all(x.blank for x in v.tokens)]
                cuts = set(itertools.accumulate(pieces))
                if len(pieces) > 1 and set(pieces) != {1} and not cuts <= _groups_ends(part):
                    # Not one printed row, nor one cell per line: pieces of
                    # rows (a PDF's reading order) joined in document order.
                    ctx.warn(
                        "unlabelled_row",
                        M_(
                            "the values of {key} were printed in {n} pieces ({pieces}) that do not follow its column groups; joined in document order",
                            key=key,
                            n=len(pieces),
                            pieces="+".join(map(str, pieces)),
                        ),
                        queue[0].start,
                        _keys(cat.edition, key, p, r),
                    )
                queue.clear()
    if any(not all(x.blank for x in v.tokens) for v in queue):
        ctx.warn(
            "stray_values",
            M_(
                "values that fit no row were ignored: {values}",
                values=" | ".join(" ".join(x.text for x in v.tokens) for v in queue)[:200],
            ),
            queue[0].start,
        )
    read.rows = bound
    read.missing = [rk for rk in all_rows if rk not in bound]
    return read


#: What may be printed between two characters of a label found loosely: a few
#: characters of another column (a PDF's reading order interleaves them), or a
#: run of spaces and values (a label wrapped over lines with its values on a
#: middle line).
_GAP_ANY = 8
_GAP_VALUES = 160
#: Tables longer than this (in characters) are searched for exact labels only:
#: a real table is a few thousand characters, and loose and fuzzy matching cost
#: time in proportion to the table for each row not found.
_LOOSE_REGION = 50_000


def _loose_match(text: str, a: int, b: int, form: str) -> tuple[int, int] | None:
    """
    The first span of text [a, b) holding the characters of *form* in order, with gaps allowed by _GAP_*.

    Where the label is wrapped around its values ("1.本机关不掌\n握相关政 2 0 2\n府信息"),
    the span ends where the values begin, so they are read from there.  A
    dynamic programme over the occurrences of each character: linear in the
    text for each character of the label (a regular expression with a lazy gap
    per character backtracks exponentially on text that repeats the label's
    characters).
    """
    # run[i]: where the run of spaces and digits that ends just before i starts.
    # Built lazily over [a, b) only where a character of the form occurs.
    spaces = frozenset(_VALUE_TAIL)
    run_start: dict[int, int] = {}

    def run_before(i: int) -> int:
        if i in run_start:
            return run_start[i]
        j = i
        while j > a and j > i - _GAP_VALUES - 1 and text[j - 1] in spaces:
            j -= 1
        run_start[i] = j
        return j

    prev = _positions(text, form[0], a, b)
    if not prev:
        return None
    origin = {i: i for i in prev}
    back: list[dict[int, int]] = []
    for ch in form[1:]:
        here: list[int] = []
        links: dict[int, int] = {}
        for i in _positions(text, ch, a, b):
            # The latest earlier character within reach: a short gap of
            # anything, or a longer gap of spaces and values only.
            lo = min(i - _GAP_ANY - 1, max(run_before(i) - 1, i - _GAP_VALUES - 1))
            k = bisect.bisect_left(prev, i) - 1
            if k >= 0 and prev[k] >= lo:
                links[i] = prev[k]
                here.append(i)
        if not here:
            return None
        origin = {i: origin[links[i]] for i in here}
        back.append(links)
        prev = here
    last = min(prev, key=lambda i: (origin[i], i))
    start, end = origin[last], last + 1
    # Walk back: the first gap (from the start) that holds a digit ends the label.
    path = [last]
    for links in reversed(back):
        path.append(links[path[-1]])
    path.reverse()
    for x, y in itertools.pairwise(path):
        if any(c.isdigit() for c in text[x + 1 : y]):
            return start, x + 1
    return start, end


def _positions(text: str, ch: str, a: int, b: int) -> list[int]:
    """Every offset of *ch* in text [a, b), in order."""
    out = []
    i = text.find(ch, a, b)
    while i >= 0:
        out.append(i)
        i = text.find(ch, i + 1, b)
    return out


def _loose_labels(
    ctx: _Ctx, cat: Catalogue, key: str, occs: list[_Occ], a: int, b: int
) -> list[_Occ]:
    """
    Find row labels not printed contiguously.

    PDF text interleaves columns ("2.没有现成信息需要另法提供行制作"), and a
    label wrapped over lines may have its values on a middle line.  Only for
    rows not found otherwise, with long labels, and only where the loose
    match contains no other row label; each is a ``loose_label`` warning
    naming the row's cells.
    """
    found = {(o.target.part, o.target.row) for o in occs if o.target.kind == "row"}
    tdef = cat.table(key)
    text = ctx.s.text
    if b - a > _LOOSE_REGION:
        return occs
    for p, part in enumerate(tdef.parts):
        for r, row in enumerate(part.rows):
            if (p, r) in found or row.label is None:
                continue
            for form in label_forms(row.label, loose=False):
                if len(form) < 8:
                    continue
                found_at = _loose_match(text, a, b, form)
                if found_at is None:
                    continue
                start, end = found_at
                inside = [o for o in occs if start <= o.start < end or o.start <= start < o.end]
                if any(o.target.kind == "row" for o in inside):
                    continue
                occs = [o for o in occs if o not in inside]
                occs.append(_Occ(start, end, _Target("row", key, p, r)))
                occs.sort(key=lambda o: o.start)
                ctx.warn(
                    "loose_label",
                    M_("label {zh} matched with other text inside it", zh=row.label.zh),
                    start,
                    _keys(cat.edition, key, p, r),
                )
                break
    return occs


#: How alike a damaged label and an official one must be (difflib's ratio), and
#: by how much the closest label must beat the next one, to be taken as it.
FUZZY_RATIO = 0.8
FUZZY_MARGIN = 0.1
#: Text cells of one table compared at most (hostile input: each comparison is
#: quadratic in the cell's length, and cells longer than twice the longest
#: label are no label).
_FUZZY_CELLS = 400


def _fuzzy_labels(
    ctx: _Ctx, cat: Catalogue, key: str, occs: list[_Occ], a: int, b: int
) -> list[_Occ]:
    """
    Find row labels printed with a character missing or wrong ("2.其他法律行政止公开").

    Only while rows of the table are not found, only for text cells that no
    label covers, and only when the closest label of the whole table (found
    rows included: a damaged label closer to a printed row is no missing row)
    is a missing row's, alike by :data:`FUZZY_RATIO` and ahead of the next
    row's by :data:`FUZZY_MARGIN`.  Each match is a ``fuzzy_label`` warning
    naming the printed and the official label and the row's cells.
    """
    tdef = cat.table(key)
    if b - a > _LOOSE_REGION:
        return occs
    found = {(o.target.part, o.target.row) for o in occs if o.target.kind == "row"}
    labelled = [(p, r, row) for p, part in enumerate(tdef.parts) for r, row in enumerate(part.rows)]
    if all((p, r) in found for p, r, row in labelled if row.label is not None):
        return occs
    forms = [
        ((p, r), f)
        for p, r, row in labelled
        if row.label is not None
        for f in label_forms(row.label, loose=False)
    ]
    longest = max(len(f) for _, f in forms)
    text = ctx.s.text
    starts = [o.start for o in occs]
    taken: set[tuple[int, int]] = set()
    added: list[_Occ] = []
    dropped: set[_Occ] = set()
    seen = 0
    for start, body, inside in _label_candidates(text, a, b, occs, starts):
        end = start + len(body)
        printed = norm_label(body)
        if len(printed) < 4 or len(printed) > 2 * longest or not any(map(str.isalpha, printed)):
            continue
        seen += 1
        if seen > _FUZZY_CELLS:
            break
        score: dict[tuple[int, int], float] = {}
        matcher = difflib.SequenceMatcher(None, printed, autojunk=False)
        for rk, form in forms:
            matcher.set_seq2(form)
            if matcher.real_quick_ratio() >= FUZZY_RATIO and matcher.quick_ratio() >= FUZZY_RATIO:
                score[rk] = max(score.get(rk, 0.0), matcher.ratio())
        ranked = sorted(score.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < FUZZY_RATIO:
            continue
        (p, r), best = ranked[0]
        if len(ranked) > 1 and best - ranked[1][1] < FUZZY_MARGIN:
            continue
        if (p, r) in found or (p, r) in taken:
            continue
        row = tdef.parts[p].rows[r]
        assert row.label is not None  # only labelled rows have forms
        added.append(_Occ(start, end, _Target("row", key, p, r)))
        dropped.update(inside)
        taken.add((p, r))
        ctx.warn(
            "fuzzy_label",
            M_(
                "printed label {printed!r} read as the row {zh!r}, the closest label of the format (alike {best:.0%})",
                printed=body.strip(),
                zh=row.label.zh,
                best=best,
            ),
            start,
            _keys(cat.edition, key, p, r),
        )
    if not added:
        return occs
    return sorted([*(o for o in occs if o not in dropped), *added], key=lambda o: o.start)


#: What ends a cell after its label when values are run into it.
_VALUE_TAIL = GAPS + "0123456789"


def _label_candidates(
    text: str, a: int, b: int, occs: list[_Occ], starts: list[int]
) -> Iterator[tuple[int, str, list[_Occ]]]:
    """
    The pieces of text [a, b) that may be a damaged label, with the header labels inside each.

    A cell's text up to the values run into it ("2.其他法律行政止公开 0 0 0"),
    cut where a row or group label is printed in it (a line of layout-mode
    text: "（三）不予公开  1.属于国秘密  0 0"); a header label inside a piece
    ("其他" in "2.其他法律行政止公开") is part of it.
    """
    for cell_start, cell in _cells(text, a, b):
        cell_end = cell_start + len(cell)
        k = max(bisect.bisect_right(starts, cell_start) - 1, 0)
        hard: list[_Occ] = []
        soft: list[_Occ] = []
        while k < len(occs) and occs[k].start < cell_end:
            o = occs[k]
            if o.end > cell_start:
                (soft if o.target.kind == "boundary" else hard).append(o)
            k += 1
        cuts = [cell_start, *(x for o in hard for x in (o.start, o.end)), cell_end]
        for lo, hi in zip(cuts[::2], cuts[1::2], strict=True):
            piece = text[lo:hi].rstrip(_VALUE_TAIL)
            lead = len(piece) - len(piece.lstrip(GAPS))
            piece = piece[lead:]
            if piece:
                lo += lead
                yield lo, piece, [o for o in soft if o.start < lo + len(piece) and o.end > lo]


def _cells(text: str, a: int, b: int) -> Iterator[tuple[int, str]]:
    """The cells of *text* [a, b) with their offsets (split on the stream's separators)."""
    pos = a
    for line in text[a:b].split(ROW):
        for cell in line.split(CELL):
            yield pos, cell
            pos += len(cell) + 1


def _group_as_row(
    ctx: _Ctx,
    cat: Catalogue,
    key: str,
    occ: _Occ,
    own: list[Token],
    found: set[tuple[int, int]],
    extra: list[ExtraRow],
) -> bool:
    """
    Keep a group label printed with a row of values of its own, when none of its rows is printed.

    The 2021 table printed with the 2019 edition's single （六）其他处理 row:
    the values are the group's, not any one row's, so they are kept in
    ``extra_rows`` and the group's rows stay blank (``missing_row``); the
    ``group_row`` warning names those rows' cells.
    """
    t = occ.target
    part = cat.table(key).parts[t.part]
    values = list(own)
    while len(values) > len(part.columns) and values[0].text == "":
        values.pop(0)  # filler of a spanned label column
    if (
        len(values) != len(part.columns)
        or all(x.blank for x in values)
        or any((t.part, r) in found for r in t.rows)
    ):
        return False
    label = "".join(ctx.s.raw(occ.start, occ.end)).strip() or _text_of(ctx, occ)
    extra.append(ExtraRow(table=key, label=label, values=tuple(x.text for x in values)))
    rows = "、".join(_row_name(part.rows[r]) for r in t.rows)
    other = _other_edition(cat.edition)
    as_other = (
        M_(", as the {edition} edition prints it", edition=other.value)
        if other is not None and _is_row_label(other, key, norm_label(label))
        else ""
    )
    ctx.warn(
        "group_row",
        M_(
            "{label} printed as one row of values{as_other}, without its rows {rows}: its values are kept in extra_rows and its rows read as blank",
            label=label,
            as_other=as_other,
            rows=rows,
        ),
        occ.start,
        [k for r in t.rows for k in _keys(cat.edition, key, t.part, r)],
    )
    return True


def _foreign_row(
    ctx: _Ctx, cat: Catalogue, key: str, occ: _Occ, own: list[Token], extra: list[ExtraRow]
) -> None:
    """
    Keep a row of the other edition, printed in this edition's table, as an extra row.

    A 2019-edition table printed with the 2021 rows under （六）其他处理: their
    values are not this table's row's, so they are kept in ``extra_rows``; the
    ``edition_row`` warning names the cells of this table's row that counts
    them (blank unless printed too).
    """
    t = occ.target
    label = "".join(ctx.s.raw(occ.start, occ.end)).strip() or _text_of(ctx, occ)
    extra.append(ExtraRow(table=key, label=label, values=tuple(x.text for x in own)))
    other = _other_edition(cat.edition)
    holder = cat.table(key).parts[t.part].rows[t.row] if t.row >= 0 else None
    ctx.warn(
        "edition_row",
        (
            M_(
                "{label} is a row of the {edition} edition, not of this table; its values are kept in extra_rows",
                label=label,
                edition=other.value if other else M_("other"),
            )
            if holder is None
            else M_(
                "{label} is a row of the {edition} edition, not of this table; its values are kept in extra_rows, and not counted in {row}",
                label=label,
                edition=other.value if other else M_("other"),
                row=_row_name(holder),
            )
        ),
        occ.start,
        _keys(cat.edition, key, t.part, t.row) if t.row >= 0 else (),
    )


def _unlabelled(vrows: list[_ValueRow]) -> list[Token]:
    """The tokens of value rows printed without a label of their own (one cell per line), else none."""
    if not vrows or any(v.label is not None for v in vrows):
        return []
    return [x for v in vrows for x in v.tokens]


def _text_of(ctx: _Ctx, occ: _Occ) -> str:
    """The (normalised) text of a label occurrence."""
    return ctx.s.text[occ.start : occ.end]


def _other_edition(edition: Edition) -> Edition | None:
    others = [e for e in Edition if e is not edition]
    return others[0] if len(others) == 1 else None


def _is_row_label(edition: Edition, table: str, printed: str) -> bool:
    """Whether *printed* is a row label of *table* in *edition*."""
    return any(
        printed in label_forms(row.label)
        for part in catalogue(edition).table(table).parts
        for row in part.rows
        if row.label is not None
    )


def _groups_ends(part: PartDef) -> set[int]:
    """Where the column groups of *part* end (5, 10, 15 for section 四's three groups)."""
    groups = [c.key.rpartition(".")[0] for c in part.columns]
    return {i for i in range(1, len(groups) + 1) if i == len(groups) or groups[i] != groups[i - 1]}


def _row_name(row: RowDef) -> str:
    return row.label.zh if row.label is not None else "(values)"
