"""
The bundled real report: a Changchun bureau's 2021 annual report, built, checked and shown.

``changchun_2021.txt`` is the report as published on the web, flattened to one
table cell per line.  Until the parser lands, this script builds the model by
hand: the tables are typed in below (the bureau received no applications and
printed zeros everywhere), the narratives are the paragraphs between the
section headings of the text.

Run it with ``make demo``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import gov_disclosure as gd

HERE = Path(__file__).parent
SOURCE = HERE / "changchun_2021.txt"


def _paragraphs(lines: list[str], start: str, end: str | None) -> tuple[str, ...]:
    """The non-empty lines after the heading *start* and before the heading *end*."""
    names = [line.strip() for line in lines]
    i = names.index(start) + 1
    j = names.index(end) if end else len(names)
    return tuple(line for line in names[i:j] if line)


def build() -> gd.AnnualReport:
    """The report as printed: all tables zero, narratives from the source text."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    general = _paragraphs(lines, "一、总体情况", "二、主动公开政府信息情况")
    return gd.AnnualReport(
        agency="中韩（长春）国际合作示范区科技创新和工业信息化局",
        year=2021,
        preamble=_paragraphs(lines, "2021年政府信息公开工作年度报告", "一、总体情况"),
        general=gd.General(paragraphs=general),
        proactive=gd.Proactive2021(fees=gd.FeeAmount(amount=Decimal("0"))),
        requests=gd.Requests.of(other=gd.OtherHandling()),
        appeals=gd.Appeals(),
        problems=gd.Problems(
            paragraphs=_paragraphs(lines, "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
        ),
        other_matters=gd.OtherMatters(
            paragraphs=_paragraphs(lines, "六、其他需要报告的事项", None)
        ),
    )


def main() -> None:
    report = build()
    print(f"{report.agency} — {report.year} (edition {report.edition.value})")
    findings = gd.check(report)
    print(f"findings: {len(findings)}")
    for f in findings:
        print(f"  [{f.severity.value}] {f.message}")
    cells = gd.cells(report)
    nonzero = {k: v for k, v in cells.items() if v}
    print(f"cells: {len(cells)}, of which non-zero: {len(nonzero)}")
    for section in gd.catalogue(report.edition).sections:
        print(f"{section.heading.zh}")
        if section.id in ("general", "problems", "other_matters"):
            paragraphs = getattr(report, section.id).paragraphs
            for p in paragraphs[:1]:
                print(f"  {p[:60]}…" if len(p) > 60 else f"  {p}")


if __name__ == "__main__":
    main()
