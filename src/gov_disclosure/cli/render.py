"""``gov-disclosure render``: write a report (JSON) as text, Markdown, HTML, DOCX or XLSX."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import GovDisclosureError, ParseError, StructureError
from ..i18n import LOCALES
from ..renderers import formats, renderer
from ._common import EXIT_CLEAN, EXIT_UNUSABLE, cli_message
from ._i18n import gettext as _


def register(sub: Any) -> None:
    """Add the ``render`` subcommand to *sub*."""
    p = sub.add_parser(
        "render",
        help=_(
            "render a report (JSON) in the official layout as text, markdown, html, docx or xlsx"
        ),
    )
    p.add_argument(
        "report",
        help=_("the report as a JSON document (as aggregate and convert write it), or - for stdin"),
    )
    p.add_argument(
        "--format",
        choices=formats(),
        default=None,
        help=_("output format (default: by the suffix of --output, else text)"),
    )
    p.add_argument(
        "--locale",
        choices=LOCALES,
        default="zh_Hans_CN",
        help=_("language of the report and of the messages (default: zh_Hans_CN, the official)"),
    )
    p.add_argument(
        "--standalone",
        action="store_true",
        help=_("html: a complete page with a print stylesheet instead of a fragment"),
    )
    p.add_argument(
        "-o",
        "--output",
        help=_(
            "where to write (default: stdout; required for docx and xlsx unless stdout is redirected)"
        ),
    )
    p.set_defaults(func=run)


def _suffixes() -> dict[str, str]:
    """Output file suffix -> format: each format's own name, and the usual others."""
    known = {"txt": "text", "md": "markdown", "htm": "html"}
    return known | {f: f for f in formats()}


def _format(args: argparse.Namespace) -> str:
    """The format asked for, else the one the suffix of ``-o`` names (a .docx gets DOCX)."""
    if args.format:
        return str(args.format)
    if not args.output:
        return "text"
    suffix = Path(args.output).suffix.lower().lstrip(".")
    known = _suffixes()
    if suffix not in known:
        raise GovDisclosureError(
            _(
                "-o {output}: no format has the suffix {suffix!r}; name it {suffixes}, or give --format"
            ).format(
                output=args.output,
                suffix=suffix,
                suffixes=", ".join(f".{s}" for s in sorted(known)),
            )
        )
    return known[suffix]


def run(args: argparse.Namespace) -> int:
    """Read the report, render it, write it."""
    # Imported lazily: serialization is not needed otherwise.
    from ..parsers import _read_binary, _read_path
    from ..serialize import MAX_DOCUMENT_FILE_BYTES, from_dict, split_documents

    name = "stdin" if args.report == "-" else args.report
    try:
        # Bounded, and a FIFO or a device refused (they would block or never end).
        data = (
            _read_binary(sys.stdin.buffer)
            if args.report == "-"
            else _read_path(Path(name), MAX_DOCUMENT_FILE_BYTES)
        )
        docs, array = split_documents(data)
        if array and len(docs) != 1:
            raise GovDisclosureError(
                _("{file} holds {n} report documents, not one; render takes one report").format(
                    file=name, n=len(docs)
                )
            )
        report = from_dict(docs[0])  # the document, the one of an array, or of an envelope
    except (StructureError, ParseError) as e:
        # Name the input: "r.txt: invalid document: ..." (a published report is no JSON).
        message = cli_message(e, "render", getattr(args, "cli_options", ()), file=name)
        raise GovDisclosureError(f"{name}: {message}") from None
    fmt = _format(args)
    options = {"standalone": True} if args.standalone and fmt == "html" else {}
    out = renderer(fmt, locale=args.locale, **options)(report)
    if args.output:
        path = Path(args.output)
        if isinstance(out, bytes):
            path.write_bytes(out)
        else:
            path.write_text(out, encoding="utf-8")
        return EXIT_CLEAN
    if isinstance(out, bytes):
        if sys.stdout.isatty():
            message = _("{format} is binary; give -o FILE").format(format=fmt)
            print(f"gov-disclosure render: {message}", file=sys.stderr)
            return EXIT_UNUSABLE
        sys.stdout.buffer.write(out)
    else:
        sys.stdout.write(out)
    return EXIT_CLEAN
