"""
The output formats of ``check`` for machines: SARIF 2.1.0, JUnit XML, GitHub Actions workflow commands.

Each takes the per-file results of ``check`` (:class:`~gov_disclosure.cli.CheckResult`)
and returns the text to print.  Rule ids are the catalogue's
(:data:`gov_disclosure.RULES`); a finding's location names the file and,
where the parser recorded it, the cell key and the line, page or table cell
the value was read from.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import quote
from xml.etree import ElementTree as ET

from .._metadata import version
from ..i18n import localizer
from ..rules import RULES
from ._i18n import current
from ._i18n import gettext as _
from ._types import CheckFinding, CheckResult, FindingLocation

__all__ = ["FORMATS", "github", "junit", "sarif"]

#: Every output format of ``check``.
FORMATS = ("text", "json", "sarif", "junit", "github")

_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: The key of a result's fingerprint in SARIF's ``partialFingerprints`` (versioned, as SARIF asks).
FINGERPRINT = "govDisclosureFinding/v1"
#: The rule id under which an unreadable file is reported (not a rule of the catalogue).
UNREADABLE = "unreadable"


def _description(rule_index: int) -> str:
    r = RULES[rule_index]
    loc = localizer(current())
    return r.description.en if loc.name == "en" else loc.label(r.description)


def artifact_uri(path: str) -> str:
    """
    *path* as SARIF's ``artifactLocation.uri``: a URI reference escaped per RFC 3986.

    The path, with ``/`` separators, percent-encoded as UTF-8 except its
    unreserved characters and ``/`` (a ``%``, a space, a ``:``, CJK are
    escaped); a relative path stays a relative reference.
    """
    return quote(path.replace("\\", "/"), safe="/")


def name(result: CheckResult) -> str:
    """How a result's file is named: ``file``, or ``file[i]`` for the *i*-th report of a JSON array."""
    item = result.get("item")
    return result["file"] if item is None else f"{result['file']}[{item}]"


def _item(result: CheckResult, text: str) -> str:
    """*text* said of the *i*-th report of a JSON array: ``[i] text`` (the file is the location)."""
    item = result.get("item")
    return text if item is None else f"[{item}] {text}"


def _sarif_location(
    path: str, where: FindingLocation | None, cell: str | None
) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": {"uri": artifact_uri(path)}}
    if where is not None and where.get("line") is not None:
        physical["region"] = {"startLine": where["line"]}
    location: dict[str, object] = {"physicalLocation": physical}
    if cell is not None:
        location["logicalLocations"] = [{"name": cell, "kind": "member"}]
    if where is not None:
        # Page, table, row, column: no SARIF region says them; said in words.
        location["message"] = {"text": where["text"]}
    return location


def _locations(path: str, f: CheckFinding) -> list[dict[str, object]]:
    cells = f["cells"] or []
    found = [_sarif_location(path, f["locations"].get(c), c) for c in cells]
    return found or [_sarif_location(path, None, None)]


def sarif(results: Sequence[CheckResult]) -> str:
    """The findings of *results* as a SARIF 2.1.0 log (one run, the rules of the catalogue)."""
    index = {r.id: i for i, r in enumerate(RULES)}
    rules = [
        {
            "id": r.id,
            "shortDescription": {"text": _description(i)},
            "fullDescription": {"text": r.formula},
            "defaultConfiguration": {"level": r.severity.value},
            "properties": {"basis": r.basis, "editions": sorted(e.value for e in r.editions)},
        }
        for i, r in enumerate(RULES)
    ]
    out: list[dict[str, object]] = []
    notifications: list[dict[str, object]] = []
    for res in results:
        if res["error"]:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": _item(res, res["error"])},
                    "locations": [_sarif_location(res["file"], None, None)],
                    "descriptor": {"id": UNREADABLE},
                }
            )
            continue
        for f in res["findings"]:
            result: dict[str, object] = {
                "ruleId": f["rule"],
                "level": f["severity"],
                "message": {"text": _item(res, f["message"])},
                "partialFingerprints": {FINGERPRINT: f["fingerprint"]},
            }
            if f["waived"] is not None:
                # Accepted in the configuration file: SARIF's "external" suppression.
                result["suppressions"] = [
                    {"kind": "external", "status": "accepted", "justification": f["waived"]}
                ]
            # The first cell is where the result is; the other cells of its formula are related.
            first, *related = _locations(res["file"], f)
            result["locations"] = [first]
            if related:
                result["relatedLocations"] = [{"id": i, **loc} for i, loc in enumerate(related, 1)]
            if f["rule"] in index:
                result["ruleIndex"] = index[f["rule"]]
            out.append(result)
    log = {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "gov-disclosure",
                        "version": version(),
                        "rules": rules,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": out,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def junit(results: Sequence[CheckResult]) -> str:
    """The findings of *results* as JUnit XML: a test suite per file, a test case per rule broken."""
    suites = ET.Element("testsuites", name="gov-disclosure check")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for res in results:
        suite = ET.SubElement(suites, "testsuite", name=name(res))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if res["error"]:
            case = ET.SubElement(suite, "testcase", classname=name(res), name=UNREADABLE)
            ET.SubElement(case, "error", message=res["error"])
            counts["tests"] += 1
            counts["errors"] += 1
        else:
            for f in res["findings"]:
                case = ET.SubElement(suite, "testcase", classname=name(res), name=f["rule"])
                counts["tests"] += 1
                if f["waived"] is not None:
                    # Accepted: a skipped test case, the waiver's reason its message.
                    reason = _("waived: {reason}").format(reason=f["waived"])
                    ET.SubElement(case, "skipped", message=reason)
                    counts["skipped"] += 1
                    continue
                where = "; ".join(
                    f"{c}: {f['locations'][c]['text']}" for c in f["cells"] if c in f["locations"]
                )
                failure = ET.SubElement(case, "failure", message=f["message"], type=f["severity"])
                failure.text = f["message"] + (f" ({where})" if where else "")
                counts["failures"] += 1
            if not res["findings"]:
                ET.SubElement(suite, "testcase", classname=name(res), name="check")
                counts["tests"] += 1
        for key, n in counts.items():
            suite.set(key, str(n))
            totals[key] += n
    for key, n in totals.items():
        suites.set(key, str(n))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def _escape_data(text: str) -> str:
    # GitHub's workflow command escaping (actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(results: Sequence[CheckResult]) -> str:
    """The findings of *results* as GitHub Actions workflow commands (``::error file=...::``)."""
    lines = []
    for res in results:
        file = _escape_property(res["file"])
        if res["error"]:
            title = _escape_property(_("unreadable"))
            error = _item(res, res["error"])
            lines.append(f"::error file={file},title={title}::{_escape_data(error)}")
            continue
        for f in res["findings"]:
            command = "error" if f["severity"] == "error" else "warning"
            message = _item(res, f["message"])
            if f["waived"] is not None:
                # Accepted: a notice, which fails no workflow step.
                command = "notice"
                message = _("{message} (waived: {reason})").format(
                    message=message, reason=f["waived"]
                )
            props = f"file={file}"
            line = next(
                (
                    f["locations"][c]["line"]
                    for c in f["cells"]
                    if c in f["locations"] and f["locations"][c].get("line") is not None
                ),
                None,
            )
            if line is not None:
                props += f",line={line}"
            props += f",title={_escape_property(f['rule'])}"
            lines.append(f"::{command} {props}::{_escape_data(message)}")
    return "\n".join(lines)
