"""
The bundled real report: a Changchun bureau's 2021 annual report, parsed, checked and shown.

``changchun_2021.txt`` is the report as published on the web, flattened to one
table cell per line.  :func:`gov_disclosure.parse` reads it (the format is
sniffed), :func:`gov_disclosure.check` lists what does not add up, and the
report is printed again in the official layout.

Run it with ``make demo``.
"""

from __future__ import annotations

from pathlib import Path

import gov_disclosure as gd

SOURCE = Path(__file__).parent / "changchun_2021.txt"


def main() -> None:
    parsed = gd.parse(SOURCE)
    report = parsed.report
    print(f"{report.agency} — {report.year} (edition {report.edition.value})")
    print(f"parser warnings: {len(parsed.warnings)}")
    for w in parsed.warnings[:5]:
        print(f"  {w}")
    where = parsed.provenance.get("t3.new_received.total")
    print(f"t3.new_received.total = {gd.cells(report)['t3.new_received.total']} (read at {where})")
    findings = gd.check(report)
    print(f"findings: {len(findings)}")
    for f in findings:
        print(f"  [{f.severity.value}] {f.message}")
    print()
    print(gd.render(report, "text"))


if __name__ == "__main__":
    main()
