"""
Reading the values of one row, and splitting digits printed without separators.

Archived page text often loses every cell boundary: ``予以公开270020130`` is
seven cells.  A run of digits is split into the row's columns using only the
column count and the identities of the format (row totals, column balances,
group totals, taken from :mod:`gov_disclosure.rules`), searched jointly over
the rows of a table.  A split is chosen only when exactly one reading
satisfies them all; otherwise every reading is kept as a candidate and the
caller sees the ambiguity.  Nothing here names a cell: plausibility hints
are the small data table :data:`HINTS`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from ...catalogue import MONEY_UNITS, ValueKind

__all__ = [
    "HINTS",
    "Token",
    "candidates",
    "parse_value",
    "placements",
    "plausibility",
    "separated",
    "solve",
    "tokens",
]

#: Words printed for "nothing here" (after normalisation).
BLANKS = frozenset({"", "/", "-", "—", "–", "无", "\\", "--", "——", "n/a", "—-"})
#: The units a number may carry: the catalogue's units of money (longest first),
#: and "cny" (as 元), which English pages print.
_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (*((u, u) for u in MONEY_UNITS), ("cny", "元"))
_UNIT_ALT = "|".join(re.escape(u) for u, _ in _UNIT_SUFFIXES)
_NUM = re.compile(r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?(?:" + _UNIT_ALT + ")?")
#: One printed number, with separators, a decimal part or a unit.
NUMBER = _NUM
#: Numbers with more digits than this are not read (the model holds 64-bit counts).
MAX_DIGITS = 18

_SIGNED_START = re.compile(r"[+-]\d")
#: A list number opening a label ("6.", "6、", "(6)"-less forms): followed by text, not digits.
_ENUMERATOR = re.compile(r"\d{1,2}[.、．](?=[^\d\s.,])")
_INT = re.compile(r"[+-]?\d+")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
#: A count printed with thousands separators.
GROUPED = _GROUPED
#: A note in parentheses (innermost); one holding only digits and spaces is a
#: value, kept (checked in :func:`_blank_note`: a pattern requiring a non-digit
#: between two ``[^()]*`` backtracks quadratically on an unclosed parenthesis).
_NOTE = re.compile(r"\([^()]*\)")
_NOT_A_VALUE = re.compile(r"[^\d\s()]")


def _blank_note(m: re.Match[str]) -> str:
    note = m.group(0)
    return " " * len(note) if _NOT_A_VALUE.search(note) else note


#: Plausibility hints for choosing among readings the identities cannot
#: decide: (column, column it is usually not larger than).  A column named
#: ``|x|`` compares the absolute value.  Data only; the identities decide
#: first, and the choice is always reported as ambiguous.
HINTS: tuple[tuple[str, str], ...] = (
    ("issued", "in_force"),
    ("repealed", "in_force"),
    ("repealed", "issued"),
    ("new_published", "total_published"),
    ("|change|", "last_year_items"),
)


class Token(NamedTuple):
    """
    One printed value (or blank) and the stream offset it starts at.

    ``whole`` is true when the token is the only value of a cell the source
    separated from its neighbours: such a token is one cell as printed and is
    never split into several.  (A named tuple: made for every printed cell,
    and a tuple is several times cheaper to make than a frozen attrs class.)
    """

    text: str
    offset: int
    whole: bool = False

    @property
    def blank(self) -> bool:
        return self.text in BLANKS


def tokens(fragment: str, offset: int, *, whole_cell: bool) -> tuple[list[Token], bool]:
    """
    Read the leading values of a piece of one cell.

    Returns the tokens and whether the piece had text (not a value) in it.
    An empty *whole_cell* is a blank token; notes in parentheses are skipped.
    """
    stripped = fragment.strip()
    if not stripped:
        return ([Token("", offset, True)] if whole_cell else []), False
    if stripped.isdigit() and stripped.isascii():  # the common case: one number
        return [Token(stripped, offset + fragment.index(stripped[0]), whole_cell)], False
    if _NUM.fullmatch(stripped) and fragment.strip(" ") == stripped:
        # One number with separators or a unit, only spaces around it: what
        # the loop below reads, without the note and word scanning.
        return [Token(stripped, offset + fragment.index(stripped[0]), whole_cell)], False
    if _ENUMERATOR.match(stripped):
        return [], True  # "6.无法联系到申请人": a numbered label, not the value 6
    text = _NOTE.sub(_blank_note, fragment)
    out: list[Token] = []
    pos = 0
    n = len(text)
    while pos < n:
        while pos < n and text[pos] == " ":
            pos += 1
        if pos >= n:
            break
        m = _NUM.match(text, pos)
        end = text.find(" ", pos)
        end = n if end < 0 else end
        word = text[pos:end]
        if word in BLANKS and whole_cell:
            out.append(Token(word, offset + pos, True))
            pos = end
            continue
        if m is None:
            return out, True
        out.append(Token(m.group(0), offset + pos))
        pos = m.end()
        if pos < end and not _SIGNED_START.match(text, pos):
            return out, True  # a value glued to text: keep the value, stop
    if whole_cell and len(out) == 1 and not out[0].whole:
        out[0] = Token(out[0].text, out[0].offset, True)  # the cell's one value
    return out, False


#: The most cells a separated row may lack (or have in excess) for the
#: identities to place them; beyond that the row is read as printed.
MAX_PLACED = 3


def placements(
    toks: Sequence[Token],
    ncols: int,
    accept: Callable[[Sequence[str]], bool] | None = None,
) -> list[tuple[tuple[str, int], ...]]:
    """
    Every reading of a separated row with too few or too many values as *ncols* cells.

    A row whose cells the source separated is never split: a missing cell is
    a blank placed at some position, an extra value is dropped from some
    position.  Every placement is a reading (``(text, token index)``, the
    blank ``""``); *accept* (the row's own identities, a blank read as 0)
    drops readings as they are made.  Returns no reading when more than
    :data:`MAX_PLACED` cells are missing or extra.
    """
    n = len(toks)
    out: list[tuple[tuple[str, int], ...]] = []
    if n < ncols and ncols - n <= MAX_PLACED:
        # Gaps at the end first: a row copied short most often lost its last cells.
        for gaps in itertools.combinations(range(ncols - 1, -1, -1), ncols - n):
            acc: list[tuple[str, int]] = []
            ti = 0
            for c in range(ncols):
                if c in gaps:
                    acc.append(("", min(ti, n - 1) if n else 0))
                else:
                    acc.append((toks[ti].text, ti))
                    ti += 1
            if accept is None or accept([t for t, _ in acc]):
                out.append(tuple(acc))
    elif n > ncols and n - ncols <= MAX_PLACED:
        for dropped in itertools.combinations(range(n - 1, -1, -1), n - ncols):
            reading = tuple((t.text, i) for i, t in enumerate(toks) if i not in dropped)
            if accept is None or accept([t for t, _ in reading]):
                out.append(reading)
    return out


def separated(toks: Sequence[Token]) -> bool:
    """Whether the values of a row came from cells the source separated (so none may be split)."""
    return len(toks) > 1 and all(t.whole for t in toks[:-1])


def parse_value(text: str, kind: ValueKind) -> tuple[int | Decimal | None, str | None, bool]:
    """
    The value of a printed number for a column of *kind*: ``(value, unit, thousands)``.

    ``value`` is ``None`` when the text is not a number of that kind.
    """
    if len(text) > MAX_DIGITS + 16:
        return None, None, False  # absurd: no count or amount is that long
    if text.isdigit() and text.isascii() and len(text) <= MAX_DIGITS:  # the common case
        return (Decimal(text) if kind is ValueKind.MONEY else int(text)), None, False
    if kind is not ValueKind.MONEY and _GROUPED.fullmatch(text) and len(text) <= MAX_DIGITS + 5:
        # Counts with thousands separators (HTML pages print them), at most 18 digits.
        digits = text.replace(",", "")
        if len(digits) <= MAX_DIGITS:
            return int(digits), None, True
    unit = None
    for u, as_unit in _UNIT_SUFFIXES:
        if text.endswith(u):
            unit = as_unit
            text = text[: -len(u)]
            break
    thousands = "," in text
    text = text.replace(",", "")
    if kind is ValueKind.MONEY:
        try:
            d = Decimal(text)
        except InvalidOperation:
            return None, unit, thousands
        if not d.is_finite() or d < 0 or text.startswith("+") or d >= 10**MAX_DIGITS:
            return None, unit, thousands
        if -d.as_tuple().exponent > 12:  # type: ignore[operator]
            return None, unit, thousands
        return d, unit, thousands
    if not _INT.fullmatch(text) or unit is not None:
        return None, unit, thousands
    v = int(text)
    if abs(v) >= 10**MAX_DIGITS:
        return None, unit, thousands
    if v < 0 and kind is ValueKind.COUNT:
        return None, unit, thousands
    return v, unit, thousands


_SPLITTABLE = re.compile(r"([+-]?)(\d+)((?:\.\d+)?(?:" + _UNIT_ALT + ")?)")


def _splits(digits: str, k: int, tail: str) -> Iterator[list[str]]:
    """Every way to cut *digits* into *k* numbers without leading zeros; *tail* goes on the last."""
    n = len(digits)
    if 1 < k <= n and math.comb(n - 1, k - 1) <= _SPLIT_TABLE_MAX:
        table = _split_table(digits, k)
        if table is not None:
            # Few enough splits to list at once (the common case).
            for split in table:
                out = list(split)
                out[-1] += tail
                yield out
            return
    if "0" in digits[:-1] and k > 1:
        # Zeros: a part starting at one is that "0" alone, so most cuts are
        # no split; the search skips them (same splits, same order).
        yield from _zero_splits(digits, k, tail)
        return
    for cuts in itertools.combinations(range(1, n), k - 1):
        parts = []
        prev = 0
        for c in (*cuts, n):
            part = digits[prev:c]
            if len(part) > 1 and part[0] == "0":
                break
            parts.append(part)
            prev = c
        else:
            parts[-1] += tail
            yield parts


#: The most splits of one run of digits listed at once (more are generated one by one).
_SPLIT_TABLE_MAX = 2000


class _TooMany(Exception):
    """More than :data:`_SPLIT_TABLE_MAX` splits."""


def _split_table(digits: str, k: int) -> list[tuple[str, ...]] | None:
    """
    Every split of *digits* into *k* numbers without leading zeros, in :func:`_splits`' order; ``None`` when too many.

    Built from the end: the splits of the digits from each position into
    each number of parts, each made once (a part starting with ``0`` is that
    ``0`` alone).
    """
    n = len(digits)
    if n < k:
        return []
    memo: dict[tuple[int, int], list[tuple[str, ...]]] = {}

    def suffixes(start: int, left: int) -> list[tuple[str, ...]]:
        # The splits of digits[start:] into `left` parts (n - start >= left).
        got = memo.get((start, left))
        if got is not None:
            return got
        out: list[tuple[str, ...]]
        if left == 1:
            out = [(digits[start:],)] if n - start == 1 or digits[start] != "0" else []
        elif digits[start] == "0":
            out = [("0", *rest) for rest in suffixes(start + 1, left - 1)]
        else:
            out = []
            for end in range(start + 1, n - left + 2):
                head = digits[start:end]
                out += [(head, *rest) for rest in suffixes(end, left - 1)]
                if len(out) > _SPLIT_TABLE_MAX:
                    raise _TooMany
        memo[(start, left)] = out
        return out

    try:
        return suffixes(0, k)
    except _TooMany:
        return None


def _zero_splits(digits: str, k: int, tail: str) -> Iterator[list[str]]:
    """:func:`_splits` of digits with zeros: cut positions in increasing order, pruned at each zero."""
    n = len(digits)
    parts: list[str] = []

    def rec(start: int, left: int) -> Iterator[list[str]]:
        # Invariant: n - start >= left (each part left has a digit).
        if left == 1:
            if n - start == 1 or digits[start] != "0":
                yield [*parts, digits[start:] + tail]
            return
        if digits[start] == "0":
            parts.append("0")
            yield from rec(start + 1, left - 1)
            parts.pop()
            return
        for end in range(start + 1, n - left + 2):
            parts.append(digits[start:end])
            yield from rec(end, left - 1)
            parts.pop()

    if n >= k:
        yield from rec(0, k)


#: The longest run of digits split into cells (seven cells of five digits
#: each fit; a longer run is read as printed, and refused as a number).
MAX_SPLIT_RUN = 2 * MAX_DIGITS
#: The most readings of one row kept before giving up on a split.
MAX_CANDIDATES = 500
#: The most splits of one row tried (complete readings or not) before giving up.
MAX_TRIED = 20000


def candidates(
    toks: Sequence[Token],
    ncols: int,
    accept: Callable[[Sequence[str]], bool] | None = None,
) -> tuple[list[tuple[tuple[str, int], ...]], bool]:
    """
    Every reading of *toks* as *ncols* cells: tuples of ``(text, token index)``.

    Only tokens that are plain runs of digits (optionally signed, or ending
    in a decimal part or unit) may hold more than one cell.  *accept* (the
    row's own identities) drops readings as they are made.  Returns the
    readings and whether the search was cut short (:data:`MAX_CANDIDATES`
    readings kept, or :data:`MAX_TRIED` tried).
    """
    shapes = []
    for t in toks:
        m = _SPLITTABLE.fullmatch(t.text)
        if m is not None and len(m.group(2)) > MAX_SPLIT_RUN:
            m = None  # no row prints that many digits in its cells: not split
        # (sign, digits, tail): the sign stays on the first cell, the tail on the last.
        shapes.append((m.group(1), m.group(2), m.group(3)) if m else None)
    spare = ncols - len(toks)
    # How many extra cells the tokens from i on can hold at most, and at
    # least (a part starting with 0 is that 0 alone: "000023" is at least
    # five cells): the search never enters a split the rest cannot complete.
    room = [0] * (len(toks) + 1)
    least = [0] * (len(toks) + 1)
    for i in range(len(toks) - 1, -1, -1):
        shape = shapes[i]
        room[i] = room[i + 1] + (0 if shape is None else len(shape[1]) - 1)
        least[i] = least[i + 1] + (0 if shape is None else _least_extra(shape[1]))
    out: list[tuple[tuple[str, int], ...]] = []
    cut = False
    tried = 0

    ntoks = len(toks)

    # The reading so far: the cells' texts, and the token each came from.
    def rec(i: int, left: int, texts: list[str], idxs: list[int]) -> None:
        nonlocal cut, tried
        if cut:
            return
        if i == ntoks:
            if left == 0:
                if accept is None or accept(texts):
                    out.append(tuple(zip(texts, idxs, strict=True)))
                if len(out) >= MAX_CANDIDATES or tried >= MAX_TRIED:
                    cut = True
            return
        shape = shapes[i]
        if shape is None:
            rec(i + 1, left, [*texts, toks[i].text], [*idxs, i])
            return
        top = min(left - least[i + 1], len(shape[1]) - 1)
        for extra in range(max(_least_extra(shape[1]), left - room[i + 1]), top + 1):
            for parts in _splits(shape[1], extra + 1, shape[2]):
                # Every split counts, not only complete readings: a long run
                # of digits has exponentially many, and the budget bounds them.
                tried += 1
                if tried > MAX_TRIED:
                    cut = True
                    return
                parts[0] = shape[0] + parts[0]
                rec(i + 1, left - extra, texts + parts, idxs + [i] * len(parts))
                if cut:
                    return

    if 0 <= spare <= room[0]:
        rec(0, spare, [], [])
    return out, cut


def _least_extra(digits: str) -> int:
    """The fewest extra cells *digits* splits into: its leading zeros are cells of their own."""
    zeros = len(digits) - len(digits.lstrip("0"))
    return zeros - 1 if zeros == len(digits) else zeros


def _num(v: int | Decimal) -> Decimal:
    return Decimal(v)


def plausibility(
    columns: Sequence[str], values: Sequence[int | Decimal]
) -> tuple[int, Decimal, list[Decimal]]:
    """
    A sort key for readings of one row: fewer broken :data:`HINTS`, smaller changes, then smaller numbers.
    """
    by: dict[str, Decimal] = {c: _num(v) for c, v in zip(columns, values, strict=False)}
    broken = 0
    for small, big in HINTS:
        absolute = small.startswith("|")
        name = small.strip("|")
        if name in by and big in by:
            a = abs(by[name]) if absolute else by[name]
            if a > by[big]:
                broken += 1
    signed = sum((abs(v) for c, v in by.items() if c == "change"), Decimal(0))
    return (broken, signed, sorted((_num(v) for v in values), reverse=True))


#: An equation: keys summed on the left equal keys summed on the right.
Equation = tuple[tuple[str, ...], tuple[str, ...]]


def solve(
    options: dict[str, list[dict[str, int | Decimal]]],
    fixed: dict[str, int | Decimal],
    equations: Sequence[Equation],
    *,
    limit: int = 64,
    budget: int = 200000,
) -> list[dict[str, dict[str, int | Decimal]]]:
    """
    Every joint choice of one reading per row (``options``: row -> readings as key -> value) satisfying *equations*.

    Values of cells outside the rows come from *fixed*.  At most *limit*
    solutions are returned; the search stops after *budget* steps.
    """
    rows = sorted(options, key=lambda r: len(options[r]))
    owner: dict[str, str] = {}
    for r, opts in options.items():
        for key in opts[0]:
            owner[key] = r
    # For each row, the equations that become checkable once it is assigned.
    index = {r: i for i, r in enumerate(rows)}
    checks: dict[str, list[Equation]] = {r: [] for r in rows}
    for eq in equations:
        involved = {owner[k] for k in (*eq[0], *eq[1]) if k in owner}
        if not involved:
            continue
        if any(k not in owner and k not in fixed for k in (*eq[0], *eq[1])):
            continue
        last = max(involved, key=index.__getitem__)
        checks[last].append(eq)
    out: list[dict[str, dict[str, int | Decimal]]] = []
    chosen: dict[str, dict[str, int | Decimal]] = {}
    steps = 0

    def value(k: str) -> int | Decimal:
        r = owner.get(k)
        return chosen[r][k] if r is not None else fixed[k]

    def ok(r: str) -> bool:
        for lhs, rhs in checks[r]:
            if sum(value(k) for k in lhs) != sum(value(k) for k in rhs):
                return False
        return True

    def rec(i: int) -> None:
        nonlocal steps
        if len(out) >= limit or steps > budget:
            return
        if i == len(rows):
            out.append(dict(chosen))
            return
        r = rows[i]
        for opt in options[r]:
            steps += 1
            chosen[r] = opt
            if ok(r):
                rec(i + 1)
            if len(out) >= limit or steps > budget:
                break
        chosen.pop(r, None)

    rec(0)
    return out


def pick(
    solutions: Sequence[dict[str, dict[str, int | Decimal]]],
    key: Callable[[dict[str, dict[str, int | Decimal]]], object],
) -> dict[str, dict[str, int | Decimal]]:
    """The solution with the smallest *key*."""
    return min(solutions, key=key)  # type: ignore[arg-type]
