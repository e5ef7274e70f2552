"""
Continuity across two consecutive years of one agency: what one year carries forward, the next carries over.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..catalogue import APPLICANT_COLUMNS
from ..cells import CellValue, cells
from ..errors import InvalidValueError
from ..model import AnnualReport, Proactive2019, Proactive2021
from ._equations import _finding, _ordered, _require_report, _rows_with
from ._finding import Finding
from ._rules import RULES

# --- continuity -----------------------------------------------------------


def continuity(previous: AnnualReport, current: AnnualReport) -> list[Finding]:
    """
    Check the rules that tie two consecutive years of one agency, and return every finding.

    Across the 2020 → 2021 edition change only the rules that still apply
    are checked (the carry-over of section 三); section 二's movements are
    compared only within one edition, since the two editions count
    different things.  Findings name cells by key with the year in
    :attr:`Finding.years` (previous, current).

    Raises:
        InvalidValueError: *current* is not the year after *previous*.

    .. versionadded:: 0.1.0
    """
    _require_report(previous, "continuity(previous)")
    _require_report(current, "continuity(current)")
    if current.year != previous.year + 1:
        raise InvalidValueError(
            "continuity(current.year)",
            current.year,
            f"{previous.year + 1}, the year after previous.year",
        )
    prev, cur = cells(previous), cells(current)
    years = (previous.year, current.year)
    edition = current.edition
    out: list[Finding] = []

    def mk(
        rule_id: str,
        subject: str,
        prev_keys: Iterable[str],
        cur_keys: Iterable[str],
        expected: CellValue,
        actual: CellValue,
    ) -> Finding:
        # Reading order, as for check(); the years are in Finding.years.  A key
        # is reported blank when it was printed blank in the year it is read from.
        prev_keys, cur_keys = tuple(prev_keys), tuple(cur_keys)
        blank = frozenset(k for k in prev_keys if k in previous.blank_cells) | frozenset(
            k for k in cur_keys if k in current.blank_cells
        )
        keys = _ordered(edition, (*prev_keys, *cur_keys))
        return _finding(rule_id, subject, keys, expected, actual, blank, years)

    for c in APPLICANT_COLUMNS:
        before, now = prev[f"t3.carried_forward.{c.key}"], cur[f"t3.carried_over.{c.key}"]
        if before != now:
            out.append(
                mk(
                    "continuity.carried_over",
                    c.key,
                    [f"t3.carried_forward.{c.key}"],
                    [f"t3.carried_over.{c.key}"],
                    before,
                    now,
                )
            )
    pp, cp = previous.proactive, current.proactive
    if isinstance(pp, Proactive2021) and isinstance(cp, Proactive2021):
        in_force, repealed = [], []
        for r in _rows_with(edition, "t2", "in_force"):
            expected = prev[f"t2.{r}.in_force"] + cur[f"t2.{r}.issued"] - cur[f"t2.{r}.repealed"]
            prev_keys = [f"t2.{r}.in_force"]
            cur_keys = [f"t2.{r}.in_force", f"t2.{r}.issued", f"t2.{r}.repealed"]
            if cur[f"t2.{r}.in_force"] != expected:
                in_force.append(
                    mk(
                        "continuity.in_force",
                        r,
                        prev_keys,
                        cur_keys,
                        expected,
                        cur[f"t2.{r}.in_force"],
                    )
                )
            bound = prev[f"t2.{r}.in_force"] + cur[f"t2.{r}.issued"]
            if cur[f"t2.{r}.repealed"] > bound:
                repealed.append(
                    mk(
                        "continuity.repealed",
                        r,
                        prev_keys,
                        cur_keys,
                        bound,
                        cur[f"t2.{r}.repealed"],
                    )
                )
        out += in_force + repealed
    if isinstance(pp, Proactive2019) and isinstance(cp, Proactive2019):
        for r in _rows_with(edition, "t2", "last_year_items"):
            expected = prev[f"t2.{r}.last_year_items"] + prev[f"t2.{r}.change"]
            if cur[f"t2.{r}.last_year_items"] != expected:
                out.append(
                    mk(
                        "continuity.last_year_items",
                        r,
                        [f"t2.{r}.last_year_items", f"t2.{r}.change"],
                        [f"t2.{r}.last_year_items"],
                        expected,
                        cur[f"t2.{r}.last_year_items"],
                    )
                )
        for r in _rows_with(edition, "t2", "total_published"):
            expected = prev[f"t2.{r}.total_published"] + cur[f"t2.{r}.new_published"]
            if cur[f"t2.{r}.total_published"] != expected:
                out.append(
                    mk(
                        "continuity.total_published",
                        r,
                        [f"t2.{r}.total_published"],
                        [f"t2.{r}.total_published", f"t2.{r}.new_published"],
                        expected,
                        cur[f"t2.{r}.total_published"],
                    )
                )
    order = {r.id: i for i, r in enumerate(RULES)}
    return sorted(out, key=lambda f: order[f.rule])
