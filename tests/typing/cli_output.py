"""Typed use of the JSON a Python integrator reads back (checked by ``mypy --strict``, never run)."""

from __future__ import annotations

import json
import subprocess

import gov_disclosure as gd
from gov_disclosure.cli import CheckFinding, CheckResult, FindingLocation, ParseOutput

doc: gd.ReportDocument2021 = json.loads(gd.to_json(gd.AnnualReport(agency="某局", year=2021)))
year: int = doc["year"]
edition: str = doc["edition"]
granted: int = doc["requests"]["granted"]["natural_person"]
fee: str | None = doc["proactive"]["fees"]["amount"]
either: gd.ReportDocument = json.loads(gd.to_json(gd.AnnualReport(agency="某局", year=2019)))
editions: str = either["edition"]

out = subprocess.run(
    ["gov-disclosure", "check", "--format", "json", "reports/"], capture_output=True, check=False
)
results: list[CheckResult] = json.loads(out.stdout)
for result in results:
    if result["error"] is None:
        for finding in result.get("findings", []):
            f: CheckFinding = finding
            rule: str = f["rule"]
            severity: str = f["severity"]
            where: list[FindingLocation] = [f["locations"][c] for c in f["cells"]]
            lines: list[int | None] = [w["line"] for w in where]

parsed: ParseOutput = json.loads(
    subprocess.run(["gov-disclosure", "parse", "--envelope", "r.html"], capture_output=True).stdout
)
report: gd.AnnualReport = gd.from_dict(parsed["report"])
codes: list[str] = [w["code"] for w in parsed["warnings"]]
