"""``gov-disclosure check``: parse published reports and list what does not add up."""

from __future__ import annotations

import argparse
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import GovDisclosureError
from ..i18n import LOCALES
from ._common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE, cli_message


def register(sub: Any) -> None:
    """Add the ``check`` subcommand to *sub*."""
    p = sub.add_parser(
        "check",
        help="parse published reports (text, HTML, DOCX, PDF) and list every broken identity",
        description="Parse each report and check it. Exit status: 0 clean, 1 a finding of "
        "severity error, 2 an input that could not be read.",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="published reports (.txt, .md, .html, .docx, .xlsx, .pdf) or report documents (.json, as aggregate and convert write them)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument("--locale", choices=LOCALES, default="en", help="language of the messages")
    p.add_argument(
        "--year",
        type=int,
        help="the reporting year (used when the title does not say; overrides it, with a warning, when it does)",
    )
    p.add_argument(
        "--agency", help="the agency (used when the title does not say; overrides it when it does)"
    )
    p.add_argument(
        "--warnings", action="store_true", help="also list the parser's warnings (blank cells...)"
    )
    p.set_defaults(func=run)


def _json(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    return value


def _check_one(path: str, args: argparse.Namespace) -> dict[str, Any]:
    from ..parsers import Parsed, parse
    from ..rules import check
    from ..serialize import from_json

    parsed: Parsed | None = None
    if os.path.isdir(path):
        # parse() would read the name as the text of a report.
        return {"file": path, "error": "is a folder; check takes files (batch walks folders)"}
    try:
        if path.lower().endswith(".json"):
            # A report document (to_json): checked as stored, nothing to parse.
            with open(path, "rb") as f:
                report = from_json(f.read())
        else:
            # A Path: always the file, never its name read as the text of a report.
            parsed = parse(Path(path), agency=args.agency, year=args.year)
            report = parsed.report
    except OSError as e:
        return {"file": path, "error": e.strerror or str(e)}
    except GovDisclosureError as e:
        options = getattr(args, "cli_options", ())
        return {"file": path, "error": cli_message(e, "check", options, file=path)}
    findings = check(report)
    return {
        "file": path,
        "error": None,
        "agency": report.agency,
        "year": report.year,
        "edition": report.edition.value,
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity.value,
                "subject": f.subject,
                "cells": list(f.cells),
                "expected": _json(f.expected),
                "actual": _json(f.actual),
                "blank_cells": list(f.blank_cells),
                "message": f.text(args.locale),
            }
            for f in findings
        ],
        "warnings": [
            {
                "code": w.code,
                "message": w.message,
                "location": str(w.location) if w.location is not None else None,
                "cells": list(w.cells),
            }
            for w in (parsed.warnings if parsed is not None else ())
        ],
        "ambiguities": [
            {
                "cell": a.key,
                "candidates": [_json(c) for c in a.candidates],
                "chosen": _json(a.chosen),
            }
            for a in (parsed.ambiguities if parsed is not None else ())
        ],
    }


def _status(results: list[dict[str, Any]]) -> int:
    if any(r["error"] for r in results):
        return EXIT_UNUSABLE
    if any(f["severity"] == "error" for r in results for f in r["findings"]):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def run(args: argparse.Namespace) -> int:
    """Parse and check every file; print a table (or JSON); return the exit status."""
    results = []
    for path in args.files:
        try:
            results.append(_check_one(path, args))
        except GovDisclosureError as e:  # pragma: no cover -- parse raises ParseError only
            options = getattr(args, "cli_options", ())
            results.append({"file": path, "error": cli_message(e, "check", options, file=path)})
    if args.format == "json":
        if not args.warnings:
            for r in results:
                r.pop("warnings", None)
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return _status(results)
    for r in results:
        if r["error"]:
            print(f"{r['file']}: UNREADABLE: {r['error']}")
            continue
        errors = sum(f["severity"] == "error" for f in r["findings"])
        warnings = len(r["findings"]) - errors
        parser_notes = len(r["warnings"])
        print(
            f"{r['file']}: {r['agency']} {r['year']} ({r['edition']} edition): "
            f"{errors} error(s), {warnings} warning(s)"
            + (
                f"; the parser assumed {parser_notes} thing(s)"
                + ("" if args.warnings else " (--warnings lists them)")
                if parser_notes
                else ""
            )
        )
        for f in r["findings"]:
            print(f"  {f['severity']:8} {f['rule']:26} {f['message']}")
        for a in r["ambiguities"]:
            print(
                f"  {'note':8} {'ambiguous':26} {a['cell']}: kept {a['chosen']} of "
                + ", ".join(str(c) for c in a["candidates"])
            )
        if args.warnings:
            for w in r["warnings"]:
                where = f"{w['location']}: " if w["location"] else ""
                print(f"  {'parse':8} {w['code']:26} {where}{w['message']}")
    return _status(results)
