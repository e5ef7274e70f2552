"""``gov-disclosure check``: parse published reports and list what does not add up."""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from .._messages import Message
from ..errors import GovDisclosureError, MissingExtraError
from ..i18n import LOCALES
from ..many._batch import report_paths
from ..parsers import WARNING_CODES, Location
from ..rules import RULES, Finding
from . import _formats
from ._common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE, STDIN, STDIN_NAME, cli_message
from ._i18n import N_, current, location_text, os_error_text, pad, say
from ._i18n import gettext as _
from ._types import (
    AmbiguityOutput,
    CheckFinding,
    CheckResult,
    FindingLocation,
    JsonCellValue,
    ParseWarningOutput,
)

if TYPE_CHECKING:
    from ..model import AnnualReport
    from ..parsers import Parsed

#: The words of the text format (severities, kinds of line), translated where printed.
WORDS = (N_("error"), N_("warning"), N_("note"), N_("ambiguous"), N_("parse"), N_("waived"))

#: ``--fail-on``: the severities that make the exit status 1.
FAIL_ON = {"error": ("error",), "warning": ("error", "warning"), "never": ()}


def register(sub: Any) -> None:
    """Add the ``check`` subcommand to *sub*."""
    p = sub.add_parser(
        "check",
        help=_("parse published reports (text, HTML, DOCX, PDF) and list every broken identity"),
        description=_(
            "Parse each report and check it. Exit status: 0 clean, 1 a finding of the "
            "--fail-on severity (error by default), 2 an input that could not be read."
        ),
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="PATH",
        help=_(
            "published reports (.txt, .md, .html, .docx, .xlsx, .pdf), report documents (.json, as "
            "aggregate and convert write them), or folders (walked recursively); - reads a "
            "published report from standard input (named <stdin>)"
        ),
    )
    p.add_argument(
        "--glob",
        action="append",
        metavar="PATTERN",
        help=_("in folders, check only the files whose name matches PATTERN (e.g. '*2023*')"),
    )
    p.add_argument(
        "--format",
        choices=_formats.FORMATS,
        default=None,
        help=_("output format (default: text)"),
    )
    p.add_argument(
        "--locale",
        choices=LOCALES,
        default=None,
        help=_("language of everything printed (default: the system's)"),
    )
    p.add_argument(
        "--year",
        type=int,
        help=_(
            "the reporting year (used when the title does not say; overrides it, with a warning, when it does)"
        ),
    )
    p.add_argument(
        "--agency",
        help=_("the agency (used when the title does not say; overrides it when it does)"),
    )
    p.add_argument(
        "--warnings",
        action="store_true",
        help=_("also list the parser's warnings (blank cells...)"),
    )
    p.add_argument(
        "--select",
        action="append",
        metavar="RULE",
        help=_("report only these rules (ids or id prefixes, as `rules` lists them); repeatable"),
    )
    p.add_argument(
        "--ignore",
        action="append",
        metavar="RULE",
        help=_("never report these rules (ids or id prefixes); repeatable"),
    )
    p.add_argument(
        "--fail-on",
        choices=tuple(FAIL_ON),
        default=None,
        help=_("the least severity that makes the exit status 1 (default: error)"),
    )
    p.add_argument(
        "--exit-zero",
        action="store_true",
        help=_("exit 0 even with findings (2 still says an input could not be read)"),
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help=_("text format: print only the files with findings or errors, no summary"),
    )
    p.set_defaults(func=run)


def _json(value: object) -> JsonCellValue | None:
    if isinstance(value, Decimal):
        return str(value)
    assert value is None or isinstance(value, int)
    return value


def location(loc: Location) -> FindingLocation:
    """Where a value was read, in JSON."""
    return {
        "text": location_text(loc),
        "line": loc.line,
        "page": loc.page,
        "paragraph": loc.paragraph,
        "table": loc.table,
        "row": loc.row,
        "column": loc.column,
    }


def _rule_filter(args: argparse.Namespace) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The --select and --ignore prefixes, each checked against the rule catalogue."""
    ids = [r.id for r in RULES]
    config = getattr(args, "config", {})
    select = tuple(args.select or config.get("select", ()))
    ignore = tuple(args.ignore or config.get("ignore", ()))
    for given in (*select, *ignore):
        if not any(i == given or i.startswith(given + ".") for i in ids):
            raise GovDisclosureError(
                _("unknown rule {rule!r} (gov-disclosure rules lists them)").format(rule=given)
            )
    return select, ignore


def _wanted(rule: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    def matches(prefixes: tuple[str, ...]) -> bool:
        return any(rule == p or rule.startswith(p + ".") for p in prefixes)

    return (not select or matches(select)) and not matches(ignore)


def fingerprint(rule: str, subject: str, agency: str, year: int) -> str:
    """
    A finding's stable id: 16 hex digits of the SHA-256 of its rule, subject and the report's agency and year.

    The same broken rule about the same column or row of the same agency's
    report for the same year has the same fingerprint whatever file it is read
    from (text, PDF, a report document) or where the file lies, and whatever
    the values are: a waiver keeps accepting it when a figure is corrected
    but the identity still does not hold.
    """
    key = "\x1f".join((rule, subject, agency, str(year)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _finding(f: Finding, provenance: Any, report: Any, waivers: dict[str, str]) -> CheckFinding:
    severity: Literal["error", "warning"] = f.severity.value
    fp = fingerprint(f.rule, f.subject, report.agency, report.year)
    return {
        "rule": f.rule,
        "severity": severity,
        "subject": f.subject,
        "cells": list(f.cells),
        "expected": _json(f.expected),
        "actual": _json(f.actual),
        "blank_cells": list(f.blank_cells),
        "message": f.text(current()),
        "locations": {c: location(provenance[c]) for c in f.cells if c in provenance},
        "fingerprint": fp,
        "waived": waivers.get(fp),
    }


def parse_warning(w: Any) -> ParseWarningOutput:
    """
    A parser warning in JSON, in the run's language.

    The library's warnings are said in full (their message is translated);
    a warning without a translatable message (one of a registered parser)
    is said by its code's meaning, when the code is a known one.
    """
    message = say(w.message)
    if current() != "en" and not isinstance(w.message, Message) and w.code in WARNING_CODES:
        message = _(WARNING_CODES[w.code])
    return {
        "code": w.code,
        "message": message,
        "location": location_text(w.location) if w.location is not None else None,
        "cells": list(w.cells),
    }


def ambiguity(a: Any) -> AmbiguityOutput:
    """An ambiguity in JSON."""
    chosen = _json(a.chosen)
    assert chosen is not None
    return {
        "cell": a.key,
        "candidates": [c for c in map(_json, a.candidates) if c is not None],
        "chosen": chosen,
    }


def _check_one(path: str, args: argparse.Namespace, select: Any, ignore: Any) -> list[CheckResult]:
    """The results of one file: one, or one per report of a JSON array of documents."""
    from ..parsers import _read_path, parse
    from ..serialize import MAX_DOCUMENT_FILE_BYTES

    if path == STDIN:
        path = STDIN_NAME
        source: BinaryIO | Path = sys.stdin.buffer
    else:
        # A Path: always the file, never its name read as the text of a report.
        source = Path(path)
    try:
        if isinstance(source, Path) and path.lower().endswith(".json"):
            # Report documents (to_json, parse, convert): checked as stored, nothing to parse.
            data = _read_path(source, MAX_DOCUMENT_FILE_BYTES)
            return _check_documents(path, data, args, select, ignore)
        if isinstance(source, Path) and path.lower().endswith(_ROWS_SUFFIXES):
            # Tidy rows (parse -o x.csv, convert, batch's cells file): the reports they hold.
            return _check_rows(source, args, select, ignore)
        if isinstance(source, Path) and source.is_dir():
            # A folder the walk could not list: the system's reason (no permission...).
            os.listdir(source)
        parsed = parse(source, agency=args.agency, year=args.year)
    except OSError as e:
        return [{"file": path, "error": os_error_text(e)}]
    except MissingExtraError:
        raise  # said once for the whole run, not once per file
    except GovDisclosureError as e:
        return [_unreadable(path, e, args)]
    return [_checked(path, parsed.report, parsed, args, select, ignore)]


def _unreadable(path: str, e: GovDisclosureError, args: argparse.Namespace) -> CheckResult:
    options = getattr(args, "cli_options", ())
    return {"file": path, "error": cli_message(e, "check", options, file=path)}


def _check_documents(
    path: str, data: bytes, args: argparse.Namespace, select: Any, ignore: Any
) -> list[CheckResult]:
    """
    Check the report documents of a ``.json`` file: one, or each of an array (``item`` its index).

    One document (or the report of an envelope of ``parse --envelope``) is
    one result; an array (as ``parse`` and ``convert`` write for several
    reports, envelopes unwrapped) one result per document, an invalid one
    unreadable on its own.
    """
    from ..serialize import from_dict, split_documents

    try:
        docs, array = split_documents(data)
        if not array:
            # A report document, or the report of an envelope (decoded once, above).
            return [_checked(path, from_dict(docs[0]), None, args, select, ignore)]
    except GovDisclosureError as e:
        return [_unreadable(path, e, args)]
    if not docs:
        return [{"file": path, "error": _("an empty JSON array: no report documents")}]

    def one(doc: Any) -> CheckResult:
        try:
            return _checked(path, from_dict(doc), None, args, select, ignore)
        except GovDisclosureError as e:
            return _unreadable(path, e, args)

    return _numbered(map(one, docs))


def _numbered(results: Iterable[CheckResult]) -> list[CheckResult]:
    """*results* of the reports of one file, each with ``item``, its index in the file."""
    out = list(results)
    for i, result in enumerate(out):
        result["item"] = i
    return out


#: The files of tidy rows check reads (see :func:`gov_disclosure.read_rows`).
_ROWS_SUFFIXES = (".csv", ".parquet")


def _check_rows(
    source: Path, args: argparse.Namespace, select: Any, ignore: Any
) -> list[CheckResult]:
    """
    Check the reports of a file of tidy rows: one result each (``item`` its index, in the order first seen).

    Rows hold the numbers (with their blank marks and units), not the text:
    the rules that read text (the fee sentence) see none.
    """
    from ..parsers import _read_path
    from ..serialize import from_rows, read_rows

    path = str(source)
    try:
        if not source.is_file():
            # Missing, unreadable, or not a regular file (a FIFO would block): said as parse says it.
            _read_path(source)
        reports = from_rows(read_rows(source))
    except GovDisclosureError as e:
        return [_unreadable(path, e, args)]
    if not reports:
        return [{"file": path, "error": _("no rows: no reports")}]
    return _numbered(_checked(path, r, None, args, select, ignore) for r in reports)


def _checked(
    path: str,
    report: AnnualReport,
    parsed: Parsed | None,
    args: argparse.Namespace,
    select: Any,
    ignore: Any,
) -> CheckResult:
    """The result of a report read from *path*: its findings, and the parser's notes if parsed."""
    from ..rules import check

    provenance = parsed.provenance if parsed is not None else {}
    edition: Literal["2019", "2021"] = report.edition.value
    waivers = getattr(args, "config", {}).get("waivers", {})
    return {
        "file": path,
        "error": None,
        "agency": report.agency,
        "year": report.year,
        "edition": edition,
        "findings": [
            _finding(f, provenance, report, waivers)
            for f in check(report)
            if _wanted(f.rule, select, ignore)
        ],
        "warnings": [parse_warning(w) for w in (parsed.warnings if parsed is not None else ())],
        "ambiguities": [ambiguity(a) for a in (parsed.ambiguities if parsed is not None else ())],
    }


def _paths(given: list[str], globs: list[str] | None) -> Iterator[tuple[str, str | None]]:
    """Each file to check, or a path with the reason it has none (a folder without reports)."""
    for path in given:
        if path == STDIN or not os.path.isdir(path):
            yield path, None
            continue
        found = [
            p
            for p in report_paths(path)
            # A folder among them is one that could not be listed: said, whatever --glob.
            if not globs
            or os.path.isdir(p)
            or any(fnmatch.fnmatch(os.path.basename(p), g) for g in globs)
        ]
        if not found:
            yield path, _("a folder without report files")
        for p in found:
            yield p, None


def status(results: list[CheckResult], fail_on: str) -> int:
    """The exit status of *results*: 2 if a file was unreadable, else 1 if a finding fails the run."""
    if any(r["error"] for r in results):
        return EXIT_UNUSABLE
    failing = FAIL_ON[fail_on]
    if any(
        f["severity"] in failing and f["waived"] is None
        for r in results
        for f in r.get("findings", ())
    ):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def run(args: argparse.Namespace) -> int:
    """Parse and check every file; print a table (or JSON, SARIF...); return the exit status."""
    config = getattr(args, "config", {})
    # The configuration's values are checked before any work (options are, by argparse).
    fail_on = "never" if args.exit_zero else args.fail_on or config.get("fail-on", "error")
    fmt = args.format or config.get("format", "text")
    for key, value, allowed in (
        ("fail-on", fail_on, tuple(FAIL_ON)),
        ("format", fmt, _formats.FORMATS),
    ):
        if value not in allowed:
            raise GovDisclosureError(
                _("{where}: {key} must be one of {allowed}, got {value!r}").format(
                    where=config.get("where", ""), key=key, allowed=", ".join(allowed), value=value
                )
            )
    select, ignore = _rule_filter(args)
    results: list[CheckResult] = []
    for path, problem in _paths(args.files, args.glob):
        if problem is not None:
            results.append({"file": path, "error": problem})
        else:
            results.extend(_check_one(path, args, select, ignore))
    # Known before a line is printed: a reader that closes the pipe early gets the same status.
    args.status = status(results, fail_on)
    if fmt == "json":
        if not args.warnings:
            for r in results:
                r.pop("warnings", None)
        print(json.dumps(results, ensure_ascii=False, indent=2))
    elif fmt == "text":
        _text(results, args)
    else:
        text = getattr(_formats, fmt)(results)
        if text:
            print(text)
    return int(args.status)


def _text(results: list[CheckResult], args: argparse.Namespace) -> None:
    n_errors = n_warnings = n_bad = n_waived = 0
    for r in results:
        if r["error"]:
            n_bad += 1
            print(_("{file}: UNREADABLE: {error}").format(file=_formats.name(r), error=r["error"]))
            continue
        findings = r["findings"]
        active = [f for f in findings if f["waived"] is None]
        errors = sum(f["severity"] == "error" for f in active)
        warnings = len(active) - errors
        n_errors += errors
        n_warnings += warnings
        n_waived += len(findings) - len(active)
        notes = len(r["warnings"])
        if args.quiet and not active:
            continue
        line = _(
            "{file}: {agency} {year} ({edition} edition): {errors} error(s), {warnings} warning(s)"
        )
        line = line.format(
            file=_formats.name(r),
            agency=r["agency"],
            year=r["year"],
            edition=r["edition"],
            errors=errors,
            warnings=warnings,
        )
        if len(findings) > len(active):
            line += _("; {n} waived").format(n=len(findings) - len(active))
        if notes:
            line += _("; the parser assumed {n} thing(s)").format(n=notes)
            if not args.warnings:
                line += _(" (--warnings lists them)")
        print(line)
        for f in findings:
            if f["waived"] is None:
                print(f"  {pad(_(f['severity']), 8)} {f['rule']:26} {f['message']}")
            else:
                # The brackets are the language's own (full-width in Chinese).
                said = _("{message} (waived: {reason})").format(
                    message=f["message"], reason=f["waived"]
                )
                print(f"  {pad(_('waived'), 8)} {f['rule']:26} {said}")
        for a in r["ambiguities"]:
            kept = _("{cell}: kept {chosen} of {candidates}").format(
                cell=a["cell"],
                chosen=a["chosen"],
                candidates=", ".join(str(c) for c in a["candidates"]),
            )
            print(f"  {pad(_('note'), 8)} {pad(_('ambiguous'), 26)} {kept}")
        if args.warnings:
            for w in r["warnings"]:
                where = _("{location}: ").format(location=w["location"]) if w["location"] else ""
                print(f"  {pad(_('parse'), 8)} {w['code']:26} {where}{w['message']}")
    if not args.quiet:
        # Files, not reports: the reports of one JSON array count as their file.
        files = sum(r.get("item", 0) == 0 for r in results)
        summary = _(
            "{files} file(s) checked: {errors} error(s), {warnings} warning(s), {bad} unreadable"
        ).format(files=files, errors=n_errors, warnings=n_warnings, bad=n_bad)
        if n_waived:
            summary += _("; {n} waived").format(n=n_waived)
        print(summary)
