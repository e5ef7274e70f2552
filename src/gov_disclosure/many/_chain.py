"""
One agency followed over the years: the cross-year rules over a whole series.

:func:`gov_disclosure.continuity` ties two consecutive years; a researcher or
a supervising office holds a whole series (2019 … 2025) and wants every break
in it, across the 2020 → 2021 edition change, and wants to know which years
are missing rather than have a gap pass for continuity.  This module sorts a
series, runs :func:`~gov_disclosure.continuity` on each consecutive pair and
records each gap.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from attrs import frozen

from ..errors import InvalidTypeError, ReportsError
from ..model import AnnualReport
from ..rules import Finding, continuity
from ._aggregate import _report_list

__all__ = ["Chain", "Gap", "Link", "continuity_chain"]


@frozen(kw_only=True)
class Link:
    """
    Two consecutive years of the series and the cross-year findings between them.

    Attributes:
        previous_year: The earlier year.
        current_year: The year after it.
        findings: What :func:`~gov_disclosure.continuity` found (each
            finding's :attr:`~gov_disclosure.Finding.years` is
            ``(previous_year, current_year)``).

    .. versionadded:: 0.1.0
    """

    previous_year: int
    current_year: int
    findings: tuple[Finding, ...] = ()


@frozen(kw_only=True)
class Gap:
    """
    Missing years in the series: no report between :attr:`after` and :attr:`before`.

    Nothing is checked across a gap (carried-over applications cannot be
    matched with those carried forward two years earlier), so a gap is
    reported instead of passing silently.

    Attributes:
        after: The last year present before the gap.
        before: The first year present after it.

    .. versionadded:: 0.1.0
    """

    after: int
    before: int

    @property
    def missing(self) -> tuple[int, ...]:
        """The years without a report."""
        return tuple(range(self.after + 1, self.before))

    @property
    def message(self) -> str:
        """A one-line English description."""
        years = ", ".join(map(str, self.missing))
        return (
            f"no report for {years}: the years {self.after} and {self.before} are not "
            "checked against each other"
        )


@frozen(kw_only=True)
class Chain:
    """
    The result of :func:`continuity_chain`: every consecutive pair checked, every gap recorded.

    Attributes:
        agency: The agency of the series.
        years: The years present, ascending.
        links: One :class:`Link` per pair of consecutive years present.
        gaps: One :class:`Gap` per run of missing years inside the series.

    .. versionadded:: 0.1.0
    """

    agency: str
    years: tuple[int, ...]
    links: tuple[Link, ...] = ()
    gaps: tuple[Gap, ...] = ()

    @property
    def findings(self) -> list[Finding]:
        """Every cross-year finding of the series, in year order."""
        return [f for link in self.links for f in link.findings]

    @property
    def missing_years(self) -> tuple[int, ...]:
        """Every year without a report between the first and the last year present."""
        return tuple(y for g in self.gaps for y in g.missing)

    @property
    def ok(self) -> bool:
        """``True`` when there is no finding and no gap."""
        return not self.gaps and not any(link.findings for link in self.links)


def continuity_chain(reports: Iterable[AnnualReport]) -> Chain:
    """
    Check the cross-year rules over a whole series of one agency's reports.

    The reports are sorted by year (any input order is fine).  Each pair of
    consecutive years is checked with :func:`~gov_disclosure.continuity`,
    which applies, across the 2020 → 2021 edition change, only the rules that
    still hold there (the carry-over of section 三, FORMAT.md §9 A5); the
    section 二 movements (S1–S4) are checked within an edition.  A missing
    year is recorded as a :class:`Gap`, never skipped silently.

    Args:
        reports: One agency's reports, one per year.

    Returns:
        A :class:`Chain` with one :class:`Link` per consecutive pair and one
        :class:`Gap` per run of missing years.

    Raises:
        ReportsError: *reports* is not a collection of reports (``None``, a
            single report); no reports; two reports of the same year; reports of
            different agencies (give one agency's name to every report of a
            renamed agency first, e.g. with ``attrs.evolve``).
        InvalidTypeError: an item is not an :class:`~gov_disclosure.AnnualReport`.

    >>> import gov_disclosure as gd
    >>> series = [gd.AnnualReport(agency="某局", year=y) for y in (2023, 2020, 2021)]
    >>> chain = gd.continuity_chain(series)
    >>> chain.years, [(g.after, g.before) for g in chain.gaps], chain.findings
    ((2020, 2021, 2023), [(2021, 2023)], [])

    .. versionadded:: 0.1.0
    """
    given = _report_list("continuity_chain", reports)
    if not given:
        raise ReportsError("continuity_chain: no reports (a series needs at least one)")
    items: list[AnnualReport] = []
    for i, r in enumerate(given):
        if not isinstance(r, AnnualReport):
            raise InvalidTypeError(f"continuity_chain(reports[{i}])", r, "an AnnualReport")
        items.append(r)
    first = items[0]
    by_year: dict[int, int] = {}
    for i, r in enumerate(items):
        if r.agency != first.agency:
            raise ReportsError(
                f"continuity_chain: reports[{i}] is by {r.agency!r}, but reports[0] is by "
                f"{first.agency!r}; a chain follows one agency (rename the reports of a "
                "renamed agency to one name first)",
                index=i,
                agency=r.agency,
                other_index=0,
            )
        j = by_year.setdefault(r.year, i)
        if j != i:
            raise ReportsError(
                f"continuity_chain: reports[{i}] and reports[{j}] ({r.agency}) are both for "
                f"{r.year}; keep one report per year (e.g. the later, corrected one)",
                index=i,
                agency=r.agency,
                other_index=j,
            )
    ordered = sorted(items, key=lambda r: r.year)
    links, gaps = [], []
    for prev, cur in itertools.pairwise(ordered):
        if cur.year == prev.year + 1:
            links.append(
                Link(
                    previous_year=prev.year,
                    current_year=cur.year,
                    findings=tuple(continuity(prev, cur)),
                )
            )
        else:
            gaps.append(Gap(after=prev.year, before=cur.year))
    return Chain(
        agency=first.agency,
        years=tuple(r.year for r in ordered),
        links=tuple(links),
        gaps=tuple(gaps),
    )
