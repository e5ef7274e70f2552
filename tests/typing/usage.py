"""Documented usage that ``mypy --strict`` must accept (run by ``make typecheck``)."""

from __future__ import annotations

import io
import sys
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
# Many reports: aggregate, continuity chains, comparison, batch.
agg: gd.Aggregate = gd.aggregate([report, attrs.evolve(report, agency="乙局")], agency="汇总")
agg_findings: list[gd.Finding] = gd.check(agg)
traced: list[gd.TracedFinding] = agg.trace(agg_findings)
culprits: list[int] = [c.index for t in traced for c in t.contributions]
at_fault: list[str] = [c.agency for f in agg_findings for c in f.contributions or ()]
sum_only: bool = all(f.from_sum for f in agg_findings)
plain: gd.AnnualReport = agg.report
chain: gd.Chain = gd.continuity_chain([report, gd.AnnualReport(agency="某局", year=2022)])
breaks: list[gd.Finding] = chain.findings
gaps: tuple[gd.Gap, ...] = chain.gaps
comparison: gd.Comparison = gd.compare(report, gd.AnnualReport(agency="某局", year=2022))
change: gd.CellChange = comparison["t3.new_received.total"]
relative: float | None = change.relative
table_md: str = comparison.render("markdown", locale="en")


def _batch_usage() -> None:
    # In a function: type-checked, never run (pytest imports this module).
    results: list[gd.BatchResult] = list(gd.batch(gd.report_paths("reports"), jobs=2, skip=()))
    single: gd.BatchResult = gd.batch_file("report.json")
    row_dict: gd.BatchRow = single.row()
    with gd.BatchWriter("results.parquet") as writer:
        written: int = writer.write_all(gd.batch(["a.json"], skip=writer.done))
    counts: tuple[int, int, int] = (writer.files, writer.unreadable, writer.with_errors)
    retry: frozenset[str] = writer.retry
    units: dict[str, str] = dict(single.units)
    blank: tuple[str, ...] = single.blank_cells
    cell_row: gd.BatchCellRow = single.cell_rows()[0]
    errors: int | None = row_dict["n_errors"]
    printed_blank: bool = cell_row["blank"]
    print(results, row_dict, written, counts, retry, units, blank, cell_row, errors, printed_blank)


html_fragment: str = gd.render(report, "html", locale="zh_Hans_CN")
word: bytes = gd.render(report, "docx", locale="zh_Hant_TW")
workbook: bytes = gd.render(report, "xlsx", locale="en")
form: gd.AnnualReport = gd.AnnualReport.blank(agency="某某局", year=2026, edition=gd.Edition.V2021)
text_en: str = gd.render(report, "text", locale="en")
page: str = gd.render(report, "html", standalone=True)
supported: tuple[str, ...] = gd.LOCALES + gd.FORMATS
grid: list[list[gd.LayoutCell]] = gd.layout("2021", "t3").grid()
t4: gd.Layout = gd.layout(gd.Edition.V2021, "t4")
spans: list[tuple[int, int]] = [(c.rowspan, c.colspan) for c in t4.cells if c.kind == "header"]
hant: list[str] = [f.text("zh_Hant_TW") for f in findings]
# Core: the catalogue, the model's constructors, cells and the rules catalogue.
for_2020: gd.Edition = gd.Edition.for_year(2020)
cat21: gd.Catalogue = gd.catalogue("2021")
cell_def: gd.CellDef = cat21.cells["t2.fees.amount"]
kind: gd.ValueKind = cell_def.kind
attr_path: tuple[str, ...] = cell_def.attr_path
row_label: gd.Label | None = cat21.cells["t3.deny.state_secret.total"].row.label
t3_part: gd.PartDef = cat21.table("t3").parts[0]
column_keys: list[str] = [c.key for c in t3_part.columns]
section: gd.SectionDef = cat21.section("requests")
appeal: gd.AppealCounts = gd.AppealCounts.of(upheld=2, pending=1)
summed: gd.ApplicantCounts = gd.ApplicantCounts.of(commercial=1) + gd.ApplicantCounts.zero()
other_sum: gd.ApplicantCounts = gd.OtherHandling(unpaid_fee=summed).sum()
outcome_rows: list[gd.ApplicantCounts] = report.requests.outcomes()
fees: gd.InformationFees = gd.InformationFees(notices=1, collected_amount=Decimal("400"))
with_fees: gd.AnnualReport = attrs.evolve(report, other_matters=gd.OtherMatters(fees=fees))
v2019: gd.AnnualReport = gd.AnnualReport(
    agency="某局",
    year=2020,
    proactive=gd.Proactive2019(
        licensing=gd.Items2019(last_year_items=10, change=-3, decisions=4),
        procurement=gd.Procurement2019(items=2, amount=Decimal("251000"), amount_unit="元"),
    ),
    requests=gd.Requests.of(other=gd.ApplicantCounts.zero()),
    blank_cells={"t3.granted.total"},
)
from_2019: gd.AnnualReport = gd.from_cells(
    gd.cells(v2019), agency="某局", year=2020, edition="2019"
)
severity: gd.Severity = gd.rule("requests.balance").severity
error_ids: list[str] = [r.id for r in gd.RULES if r.severity is gd.Severity.ERROR]
finding_cells: list[tuple[str, ...]] = [f.cells for f in gd.check(v2019)]
expected_values: list[gd.CellValue | None] = [f.expected for f in gd.check(v2019)]
carry: list[gd.Finding] = gd.continuity(v2019, report)
try:
    gd.from_cells({}, agency="某局", year=2021)
except gd.CellsError as cells_error:
    problems: tuple[str, ...] = cells_error.unknown + cells_error.missing
try:
    gd.Edition.for_year(2018)
except gd.UnsupportedEditionError as edition_error:
    too_early: int | None = edition_error.year
# Serialization.
document: bytes = gd.to_json(report)
loaded: gd.AnnualReport = gd.from_json(document)
loaded = gd.from_json(document.decode())
as_dict: gd.ReportDocument = gd.to_dict(report)
loaded = gd.from_dict(as_dict)
doc_agency: str = as_dict["agency"]
groups: int = as_dict["appeals"]["review"]["total"]
schema_doc: dict[str, object] = gd.json_schema("2021")
tidy: list[gd.TidyRow] = gd.to_rows([report])
from_tidy: list[gd.AnnualReport] = gd.from_rows(tidy)
tidy_value: int | Decimal = tidy[0]["value"]
tidy_blank: bool = tidy[0]["blank"]


def _rows_files(path: str) -> list[gd.AnnualReport]:
    gd.write_rows([report], path)
    read: list[gd.TidyRowRead] = gd.read_rows(path, format="parquet")
    unit: str | None = read[0].get("unit")
    print(unit)
    return gd.from_rows(read)


try:
    gd.from_json(b"{}")
except gd.StructureError as structure_error:
    paths: list[str] = [path for path, _ in structure_error.errors]
# Parsing.


def _parse_usage() -> tuple[object, ...]:
    parsed: gd.Parsed = gd.parse("某局2021年政府信息公开工作年度报告\n", year=2021, agency="某局")
    parsed = gd.parse(b"<p>...</p>", format="html", previous=report)
    parsed = gd.parse(io.BytesIO(b"<p>...</p>"), year=2021, agency="某局")  # a binary stream
    parsed = gd.parse(io.StringIO("<p>...</p>"), year=2021, agency="某局")  # a text stream
    parsed = gd.parse(sys.stdin.buffer, year=2021, agency="某局")
    parsed_report: gd.AnnualReport = parsed.report
    parse_warnings: tuple[gd.ParseWarning, ...] = parsed.warnings
    where: gd.Location | None = parsed.provenance.get("t3.granted.total")
    undecided: list[gd.Ambiguity] = list(parsed.ambiguities)
    warning_codes: set[str] = parsed.codes()
    parse_where: str | None = None
    try:
        gd.parse("")
    except gd.ParseError as parse_error:
        parse_where = parse_error.location
    return (parsed_report, parse_warnings, where, undecided, warning_codes, parse_where)
