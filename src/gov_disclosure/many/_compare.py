"""
Year-over-year comparison of two reports, cell by cell, across the edition change.

Researchers and supervising offices ask "what changed since last year?".
Within one edition every cell has a counterpart; between the 2019 and 2021
editions only some do, and comparing cells that merely share a position is
how wrong conclusions are drawn (FORMAT.md §9 S8: 2019's 对外公开总数量 and
2021's 现行有效件数 measure different things).  The correspondence is
derived from the catalogue, not listed here:

* a cell key present in both editions means the same thing in both
  (section 三 and 四 throughout; section 二's 行政许可, 行政处罚, 行政强制
  decisions; section 六's fee figures);
* a row of one edition that the other divides into sub-rows (section 三's
  （六）其他处理, one row in 2019, three in 2021) corresponds to the sum of
  the sub-rows, column by column;
* every other cell has no counterpart, and says so.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from attrs import frozen
from babel.numbers import format_percent

from .. import i18n as _i18n
from ..catalogue import CellDef, Edition, Label, catalogue
from ..cells import CellValue, cells
from ..errors import GovDisclosureError, InvalidTypeError
from ..i18n import Localizer, localizer
from ..model import AnnualReport

__all__ = ["CellChange", "Comparison", "compare"]

#: How a compared cell relates to its counterpart.
Correspondence = Literal["same", "sum", "no_counterpart", "not_stated"]


@frozen(kw_only=True)
class CellChange:
    """
    One compared cell: the previous and current values and the change.

    Attributes:
        key: The cell key the row is about (for a sum, the key of the
            undivided row, e.g. ``t3.other.total``).
        previous_keys: The keys read from the previous report (several for
            a sum; empty when the previous edition has no counterpart).
        current_keys: The keys read from the current report (likewise).
        previous: The previous value (summed over :attr:`previous_keys`), or
            ``None`` when there is no counterpart or it is not stated.
        current: The current value, likewise.
        change: ``current - previous``, or ``None`` when either is ``None``.
        relative: ``change / previous`` as a float, or ``None`` when either
            value is ``None`` or ``previous`` is 0.
        correspondence: ``"same"`` (the same cell in both reports),
            ``"sum"`` (a row against the sum of the rows the other edition
            divides it into), ``"no_counterpart"`` (the other edition has
            nothing that means the same), ``"not_stated"`` (an optional
            section 六 figure one of the reports does not state).

    .. versionadded:: 0.1.0
    """

    key: str
    previous_keys: tuple[str, ...]
    current_keys: tuple[str, ...]
    previous: CellValue | None
    current: CellValue | None
    change: CellValue | None
    relative: float | None
    correspondence: Correspondence


@frozen(kw_only=True)
class Comparison:
    """
    The result of :func:`compare`: one :class:`CellChange` per cell, in the current report's reading order.

    Cells of the previous report without a counterpart come last.

    Attributes:
        agency: The current report's agency.
        previous_year: The previous report's year.
        current_year: The current report's year.
        previous_edition: The previous report's edition.
        current_edition: The current report's edition.
        changes: Every compared cell.

    .. versionadded:: 0.1.0
    """

    agency: str
    previous_year: int
    current_year: int
    previous_edition: Edition
    current_edition: Edition
    changes: tuple[CellChange, ...]

    def __getitem__(self, key: str) -> CellChange:
        """The change of cell *key* (a key of either report; for a sum, the undivided row's key)."""
        for c in self.changes:
            if c.key == key:
                return c
        raise KeyError(key)

    def comparable(self) -> list[CellChange]:
        """The changes with a value on both sides."""
        return [c for c in self.changes if c.change is not None]

    def render(
        self,
        format: Literal["markdown", "html"] = "markdown",
        *,
        locale: str = "zh_Hans_CN",
        changed_only: bool = False,
    ) -> str:
        """
        Render the comparison as a table: item, both years, change, relative change, note.

        Labels are the catalogue's official labels in *locale* (the same
        translations the report renderers use); numbers keep every digit,
        with the locale's separators; relative changes are babel percentages.  Cells
        without a counterpart show ``—`` and say why in the note column.

        Args:
            format: ``"markdown"`` or ``"html"``.
            locale: ``zh_Hans_CN``, ``zh_Hant_TW`` or ``en`` (``zh_TW``,
                ``en_GB``... designate one of them).
            changed_only: Leave out the cells whose value did not change.

        Raises:
            GovDisclosureError: an unknown format or locale.

        >>> import gov_disclosure as gd
        >>> a = gd.AnnualReport(agency="某局", year=2020)
        >>> b = gd.AnnualReport(agency="某局", year=2021)
        >>> print(gd.compare(a, b).render(locale="en").splitlines()[0])
        | Item | Key | 2020 | 2021 | Change | Relative change | Note |

        .. versionadded:: 0.1.0
        """
        loc = localizer(locale)
        words = {k: loc.gettext(v) for k, v in _WORDS.items()}
        rows = [c for c in self.changes if not changed_only or c.change not in (None, 0)]
        head = [
            words["item"],
            words["key"],
            words["year"].format(year=self.previous_year),
            words["year"].format(year=self.current_year),
            words["change"],
            words["relative"],
            words["note"],
        ]
        editions = (self.current_edition, self.previous_edition)
        body = [
            [
                _label(c.key, editions, loc),
                c.key,
                _num(c.previous, loc),
                _num(c.current, loc),
                _num(c.change, loc, signed=True),
                "—"
                if c.relative is None
                else format_percent(c.relative, "+#,##0.0%;-#,##0.0%", locale=loc.locale),
                _note(c, self, words),
            ]
            for c in rows
        ]
        if format == "markdown":

            def md(text: str) -> str:
                return text.replace("\\", "\\\\").replace("|", "\\|")

            lines = ["| " + " | ".join(map(md, head)) + " |", "|" + "---|" * len(head)]
            lines += ["| " + " | ".join(map(md, r)) + " |" for r in body]
            return "\n".join(lines) + "\n"
        if format == "html":
            out = ['<table class="gd-comparison">', "<thead><tr>"]
            out += [f'<th scope="col">{html.escape(h)}</th>' for h in head]
            out += ["</tr></thead>", "<tbody>"]
            for r in body:
                out.append("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r) + "</tr>")
            out += ["</tbody>", "</table>"]
            return "\n".join(out) + "\n"
        raise GovDisclosureError(
            f"Comparison.render(format): unknown format {format!r}; choose 'markdown' or 'html'"
        )


#: The comparison table's own words (headers and notes), translated through gettext.
_WORDS: dict[str, str] = {
    "item": _i18n.CMP_ITEM,
    "key": _i18n.CMP_KEY,
    "year": _i18n.CMP_YEAR,
    "change": _i18n.CMP_CHANGE,
    "relative": _i18n.CMP_RELATIVE,
    "note": _i18n.CMP_NOTE,
    "sum": _i18n.CMP_SUM,
    "none": _i18n.CMP_NONE,
    "unstated": _i18n.CMP_UNSTATED,
    "sep": _i18n.CMP_SEP,
}


def _num(value: CellValue | None, loc: Localizer, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = loc.number(value)
    return "+" + text if signed and value > 0 else text


def _note(c: CellChange, cmp: Comparison, words: dict[str, str]) -> str:
    if c.correspondence == "sum":
        side = c.current_keys if len(c.current_keys) > 1 else c.previous_keys
        return words["sum"].format(keys=words["sep"].join(side))
    if c.correspondence == "no_counterpart":
        other = cmp.previous_edition if not c.previous_keys else cmp.current_edition
        return words["none"].format(edition=other.value)
    if c.correspondence == "not_stated":
        return words["unstated"]
    return ""


def _label(key: str, editions: Sequence[Edition], loc: Localizer) -> str:
    for ed in editions:
        cell = catalogue(ed).cells.get(key)
        if cell is not None:
            return _cell_label(cell, loc)
    return key  # pragma: no cover -- every key comes from one of the two catalogues


def _strip(paths: Sequence[tuple[Label, ...]], path: tuple[Label, ...]) -> tuple[Label, ...]:
    """Drop the labels every path of a part shares (a spanning header), never the leaf."""
    common = 0
    if len(paths) > 1:
        while all(len(p) > common and p[common] == paths[0][common] for p in paths):
            common += 1
    return path[min(common, max(len(path) - 1, 0)) :]


def _cell_label(cell: CellDef, loc: Localizer) -> str:
    part = cell.part
    row = _strip([r.path for r in part.rows], cell.row.path)
    col = _strip([c.path for c in part.columns], cell.column.path)
    left = " ".join(loc.label(lab) for lab in row)
    right = " ".join(loc.label(lab) for lab in col)
    return f"{left} — {right}" if left else right


@functools.cache
def _crosswalk(
    previous: Edition, current: Edition
) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...], Correspondence], ...]:
    """``(key, previous_keys, current_keys, correspondence)`` for every cell, from the catalogues."""
    prev, cur = catalogue(previous).cells, catalogue(current).cells
    if previous is current:
        return tuple((k, (k,), (k,), "same") for k in cur)
    # Rows one edition divides into sub-rows: a row whose label path is a
    # proper prefix of other rows' paths in the other edition.
    sums: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for whole, parts, whole_is_prev in ((prev, cur, True), (cur, prev, False)):
        index = {(c.table, c.row.key, c.column.key): k for k, c in parts.items()}
        for key, cell in whole.items():
            if key in parts or not cell.row.path:
                continue
            n = len(cell.row.path)
            children = [
                k
                for k, c in parts.items()
                if c.table == cell.table
                and len(c.row.path) > n
                and c.row.path[:n] == cell.row.path
                and c.column.key == cell.column.key
            ]
            if children and all(
                (cell.table, parts[k].row.key, cell.column.key) in index for k in children
            ):
                kids = tuple(children)
                sums.append((key, (key,), kids) if whole_is_prev else (key, kids, (key,)))
    out: list[tuple[str, tuple[str, ...], tuple[str, ...], Correspondence]] = []
    placed: set[str] = set()
    for k in cur:
        for entry in sums:
            if k in entry[2] and entry[0] not in placed:
                out.append((*entry, "sum"))
                placed.add(entry[0])
        if k in prev:
            out.append((k, (k,), (k,), "same"))
        elif k not in placed:
            out.append((k, (), (k,), "no_counterpart"))
    wholes = {entry[0] for entry in sums}
    out += [(k, (k,), (), "no_counterpart") for k in prev if k not in cur and k not in wholes]
    return tuple(out)


def _value(values: dict[str, CellValue], keys: tuple[str, ...]) -> CellValue | None:
    if not keys or any(k not in values for k in keys):
        return None
    total: CellValue = 0
    for k in keys:
        total += values[k]
    return total


def compare(previous: AnnualReport, current: AnnualReport) -> Comparison:
    """
    Compare two reports cell by cell: previous and current value, change and relative change.

    Usually two consecutive years of one agency, but any two reports can be
    compared (two agencies of one year, a report and its correction).  Across
    the 2019/2021 edition change only cells that mean the same thing are
    compared (see the module notes); the others are listed with
    ``correspondence="no_counterpart"`` and no change.  Section 六's
    optional fee figures are ``"not_stated"`` when either report leaves them
    out.

    Args:
        previous: The earlier report.
        current: The later report.

    Returns:
        A :class:`Comparison`; render it with :meth:`Comparison.render`.

    Raises:
        InvalidTypeError: an argument is not an :class:`~gov_disclosure.AnnualReport`.

    >>> import gov_disclosure as gd
    >>> a = gd.AnnualReport(agency="某局", year=2020, requests=gd.Requests.of(
    ...     new_received=gd.ApplicantCounts.of(natural_person=4),
    ...     other=gd.ApplicantCounts.of(natural_person=4)))
    >>> b = gd.AnnualReport(agency="某局", year=2021, requests=gd.Requests.of(
    ...     new_received=gd.ApplicantCounts.of(natural_person=5),
    ...     other=gd.OtherHandling(other=gd.ApplicantCounts.of(natural_person=5))))
    >>> c = gd.compare(a, b)
    >>> n = c["t3.new_received.total"]
    >>> n.previous, n.current, n.change, n.relative
    (4, 5, 1, 0.25)
    >>> s = c["t3.other.total"]
    >>> s.correspondence, s.current_keys[0], s.change
    ('sum', 't3.other.no_correction.total', 1)
    >>> c["t2.regulations.in_force"].correspondence
    'no_counterpart'

    .. versionadded:: 0.1.0
    """
    for name, r in (("previous", previous), ("current", current)):
        if not isinstance(r, AnnualReport):
            raise InvalidTypeError(f"compare({name})", r, "an AnnualReport")
    pv, cv = cells(previous), cells(current)
    changes = []
    for key, pkeys, ckeys, corr in _crosswalk(previous.edition, current.edition):
        p, c = _value(pv, pkeys), _value(cv, ckeys)
        if corr != "no_counterpart" and (p is None or c is None):
            corr = "not_stated"
        change: CellValue | None = None if p is None or c is None else c - p
        relative = (
            None if change is None or p is None or p == 0 else float(Decimal(change) / Decimal(p))
        )
        changes.append(
            CellChange(
                key=key,
                previous_keys=pkeys,
                current_keys=ckeys,
                previous=p,
                current=c,
                change=change,
                relative=relative,
                correspondence=corr,
            )
        )
    return Comparison(
        agency=current.agency,
        previous_year=previous.year,
        current_year=current.year,
        previous_edition=previous.edition,
        current_edition=current.edition,
        changes=tuple(changes),
    )
