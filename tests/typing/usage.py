"""Documented usage that ``mypy --strict`` must accept (run by ``make typecheck``)."""

from __future__ import annotations

from decimal import Decimal

import attrs

import gov_disclosure as gd

report: gd.AnnualReport = gd.AnnualReport(agency="某局", year=2021)
edition: gd.Edition = gd.Edition.for_year(2020)
row: gd.ApplicantCounts = gd.ApplicantCounts.of(natural_person=1)
requests: gd.Requests = gd.Requests.of(granted=row, new_received=row, other=gd.OtherHandling())
report = attrs.evolve(report, requests=requests)
findings: list[gd.Finding] = gd.check(report)
messages: list[str] = [f.message for f in findings] + [f.text("zh_Hans_CN") for f in findings]
cells: dict[str, int | Decimal] = gd.cells(report)
back: gd.AnnualReport = gd.from_cells(cells, agency=report.agency, year=report.year)
cont: list[gd.Finding] = gd.continuity(report, gd.AnnualReport(agency="某局", year=2022))
rules: tuple[gd.Rule, ...] = gd.RULES
total: int = report.requests.total_processed.total
cat: gd.Catalogue = gd.catalogue(gd.Edition.V2019)
label: str = cat.cells["t3.other.total"].column.label.zh
