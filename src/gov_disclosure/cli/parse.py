"""``gov-disclosure parse``: published reports into report documents (JSON) or another format, in one step."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import GovDisclosureError, MissingExtraError
from ..i18n import LOCALES
from ..parsers import Parsed, parse
from ..renderers import formats, render
from ..serialize import dumps_many, to_dict, to_json, write_rows
from ._common import EXIT_CLEAN, STDIN, STDIN_NAME, cli_message
from ._i18n import gettext as _
from ._i18n import os_error_text
from ._types import ParseOutput
from .check import ambiguity, location, parse_warning

#: Formats of tidy rows (numbers only), by ``--to``.
_ROWS = ("csv", "parquet")


def register(sub: Any) -> None:
    """Add the ``parse`` subcommand to *sub*."""
    p = sub.add_parser(
        "parse",
        help=_("parse published reports into JSON report documents (or rows, or a rendering)"),
        description=_(
            "Parse published reports (text, HTML, DOCX, PDF) into report documents. By default "
            "the document goes to stdout (an array for several reports) and the parser's "
            "warnings to stderr; --envelope puts the warnings, ambiguities and (with "
            "--provenance) where each cell was read in the JSON instead."
        ),
    )
    p.add_argument(
        "reports",
        nargs="+",
        metavar="REPORT",
        help=_("published report files; - reads one from standard input (named <stdin>)"),
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help=_("where to write (default: stdout); its suffix chooses the format unless --to says"),
    )
    p.add_argument(
        "--to",
        choices=("json", *_ROWS, *(f for f in formats() if f != "json")),
        help=_("output format (default: by the suffix of --output, else json)"),
    )
    p.add_argument(
        "--envelope",
        action="store_true",
        help=_("json: each report with its warnings and ambiguities ({file, format, report, ...})"),
    )
    p.add_argument(
        "--provenance",
        action="store_true",
        help=_("json: also where each cell was read (implies --envelope)"),
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help=_("do not print the parser's warnings on stderr (--envelope keeps them in the JSON)"),
    )
    p.add_argument("--year", type=int, help=_("the reporting year, when the title does not say"))
    p.add_argument("--agency", help=_("the agency, when the title does not say"))
    p.add_argument(
        "--locale",
        choices=LOCALES,
        default=None,
        help=_("language of the messages and of a rendering (default: the system's)"),
    )
    p.set_defaults(func=run)


def _format(args: argparse.Namespace) -> str:
    if args.to:
        return str(args.to)
    if args.output is not None:
        suffix = args.output.suffix.lower().lstrip(".")
        known = {"json": "json", "csv": "csv", "parquet": "parquet", "md": "markdown"}
        known |= {f: f for f in formats()}
        if suffix in known:
            return known[suffix]
    return "json"


def _envelope(path: str, parsed: Parsed, provenance: bool) -> ParseOutput:
    out: ParseOutput = {
        "file": path,
        "format": parsed.format,
        "report": to_dict(parsed.report),
        "warnings": [parse_warning(w) for w in parsed.warnings],
        "ambiguities": [ambiguity(a) for a in parsed.ambiguities],
    }
    if provenance:
        out["provenance"] = {key: location(loc) for key, loc in parsed.provenance.items()}
    return out


def run(args: argparse.Namespace) -> int:
    """Parse every report, write the result, say the warnings on stderr."""
    fmt = _format(args)
    envelope = args.envelope or args.provenance
    if fmt != "json" and envelope:
        raise GovDisclosureError(_("--envelope and --provenance are for --to json"))
    if fmt not in ("json", *_ROWS) and len(args.reports) > 1:
        raise GovDisclosureError(
            _("--to {format} writes one report; give one REPORT").format(format=fmt)
        )
    if fmt in _ROWS and args.output is None:
        raise GovDisclosureError(_("--to {format} needs --output").format(format=fmt))
    results: list[tuple[str, Parsed]] = []
    for given in args.reports:
        stdin = given == STDIN
        path = STDIN_NAME if stdin else given
        try:
            source = sys.stdin.buffer if stdin else Path(path)
            parsed = parse(source, agency=args.agency, year=args.year)
        except OSError as e:
            raise GovDisclosureError(f"{path}: {os_error_text(e)}") from None
        except MissingExtraError:
            raise  # said as it is: it is not about this file
        except GovDisclosureError as e:
            options = getattr(args, "cli_options", ())
            message = cli_message(e, "parse", options, file=path)
            raise GovDisclosureError(f"{path}: {message}") from None
        results.append((path, parsed))
        if not envelope and not args.quiet:
            for w in parsed.warnings:
                said = parse_warning(w)
                where = (
                    _("{location}: ").format(location=said["location"]) if said["location"] else ""
                )
                print(
                    _("{file}: warning: {where}{message} [{code}]").format(
                        file=path, where=where, message=said["message"], code=said["code"]
                    ),
                    file=sys.stderr,
                )
    _write(args, fmt, envelope, results)
    return EXIT_CLEAN


def _write(
    args: argparse.Namespace, fmt: str, envelope: bool, results: list[tuple[str, Parsed]]
) -> None:
    reports = [p.report for _path, p in results]
    out: Path | None = args.output
    if fmt in _ROWS:
        assert out is not None
        write_rows(reports, out, format=fmt)
        return
    data: str | bytes
    if fmt == "json" and envelope:
        docs = [_envelope(path, p, args.provenance) for path, p in results]
        data = json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False, indent=2)
    elif fmt == "json":
        # One report: its document, as to_json writes it; several: an array.
        data = (to_json(reports[0]) if len(reports) == 1 else dumps_many(reports)).decode()
    else:
        data = render(reports[0], fmt, locale=args.locale or "zh_Hans_CN")
    if out is None or str(out) == "-":
        if isinstance(data, bytes):
            raise GovDisclosureError(_("--to {format} is binary; give --output").format(format=fmt))
        sys.stdout.write(data if data.endswith("\n") else data + "\n")
    elif isinstance(data, bytes):
        out.write_bytes(data)
    else:
        out.write_text(data if data.endswith("\n") else data + "\n", encoding="utf-8")
