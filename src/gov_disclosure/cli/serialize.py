"""``gov-disclosure convert`` and ``gov-disclosure schema``: reports between JSON, CSV and Parquet, and the JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import StructureError
from ..model import AnnualReport
from ..serialize import (
    MAX_DOCUMENT_FILE_BYTES,
    MAX_DOCUMENTS,
    SCHEMA,
    _loads,
    _unwrap,
    dumps_many,
    from_dict,
    json_schema,
    write_rows,
)
from ..serialize._rows import ROW_FIELDS, _from_rows, _read_rows
from ._common import EXIT_CLEAN, EXIT_UNUSABLE
from ._i18n import error_text, say
from ._i18n import gettext as _

_FORMATS = ("json", "csv", "parquet")
#: At most this many problems are listed; the rest are counted.
_MAX_PROBLEMS = 20


class _Unusable(Exception):
    """The input or the output cannot be used: the lines to print, the first one the summary."""

    def __init__(self, *lines: str) -> None:
        self.lines = lines


def register(sub: Any) -> None:
    """Add the ``convert`` and ``schema`` subcommands to *sub*."""
    p = sub.add_parser(
        "convert",
        help=_("convert reports between JSON documents and tidy CSV/Parquet rows"),
        description=_(
            "Convert between JSON report documents (one document or an array) and tidy "
            "rows ({fields}) in CSV or Parquet.  Rows hold the numbers with "
            "their printed units and blank-cell marks, not the text: converting rows to JSON "
            "gives reports with empty narratives."
        ).format(fields=", ".join(ROW_FIELDS)),
    )
    p.add_argument(
        "input", type=Path, help=_("a .json, .csv or .parquet file ('-' for JSON on stdin)")
    )
    p.add_argument(
        "output", type=Path, help=_("a .json, .csv or .parquet file ('-' for JSON on stdout)")
    )
    p.add_argument(
        "--from", dest="from_format", choices=_FORMATS, help=_("input format (default: by suffix)")
    )
    p.add_argument(
        "--to", dest="to_format", choices=_FORMATS, help=_("output format (default: by suffix)")
    )
    p.set_defaults(func=run_convert)
    s = sub.add_parser("schema", help=_("print the JSON Schema of the report document"))
    s.add_argument(
        "--edition", choices=("2019", "2021"), help=_("one edition only (default: both)")
    )
    s.set_defaults(func=run_schema)


def _format(path: Path, given: str | None, role: str) -> str:
    if str(path) == "-":
        if given not in (None, "json"):
            std = _("standard input") if role == "input" else _("standard output")
            raise _Unusable(
                _("'-' ({std}) takes JSON only; give a file name for {format}").format(
                    std=std, format=given
                )
            )
        return "json"
    if given:
        return given
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in _FORMATS:
        if role == "input":
            text = _(
                "cannot tell the format of the input {path} from {suffix}; "
                "name it .json, .csv or .parquet, or use --from"
            )
        else:
            text = _(
                "cannot tell the format of the output {path} from {suffix}; "
                "name it .json, .csv or .parquet, or use --to"
            )
        suffix = (
            _("its suffix {suffix!r}").format(suffix=path.suffix)
            if path.suffix
            else _("a name without a suffix")
        )
        raise _Unusable(text.format(path=path, suffix=suffix))
    return fmt


def run_convert(args: argparse.Namespace) -> int:
    """Read the input, write the output."""
    try:
        return _convert(args)
    except ImportError as e:  # Parquet without pyarrow
        print(f"gov-disclosure convert: {error_text(e)}", file=sys.stderr)
        return EXIT_UNUSABLE
    except _Unusable as e:
        first, *rest = e.lines
        print(f"gov-disclosure convert: {first}", file=sys.stderr)
        shown = rest[:_MAX_PROBLEMS]
        for line in shown:
            print(f"  {line}", file=sys.stderr)
        if len(rest) > len(shown):
            more = _("... and {n} more").format(n=len(rest) - len(shown))
            print(f"  {more}", file=sys.stderr)
        return EXIT_UNUSABLE


def _convert(args: argparse.Namespace) -> int:
    if str(args.input) != "-" and args.input.is_dir():
        raise _Unusable(_("{path} is a folder; convert reads one file").format(path=args.input))
    if str(args.input) != "-" and args.input.exists() and not args.input.is_file():
        # A FIFO or a device would block or never end.
        raise _Unusable(_("{path} is not a regular file").format(path=args.input))
    src = _format(args.input, args.from_format, "input")
    dst = _format(args.output, args.to_format, "output")
    reports = _read_json(args.input) if src == "json" else _read_rows_file(args.input, src)
    if not reports:
        raise _Unusable(
            _("no reports in {input}; nothing to write to {output}").format(
                input=args.input, output=args.output
            )
        )
    if dst == "json":
        data = dumps_many(reports)
        if str(args.output) == "-":
            sys.stdout.write(data.decode() + "\n")
        else:
            args.output.write_bytes(data)
        return EXIT_CLEAN
    _distinct(reports, args.input)
    write_rows(reports, args.output, format=dst)
    texts = sum(1 for r in reports if _has_text(r))
    if texts:
        note = _(
            "note: rows hold numbers only; the text and extra rows "
            "of {texts} of {n} report(s) are not in {output}"
        ).format(texts=texts, n=len(reports), output=args.output)
        print(f"gov-disclosure convert: {note}", file=sys.stderr)
    return EXIT_CLEAN


def _distinct(reports: list[AnnualReport], source: Path) -> None:
    """Refuse reports that rows cannot tell apart (same agency, year and edition)."""
    seen: dict[tuple[str, int, str], int] = {}
    for i, r in enumerate(reports):
        j = seen.setdefault((r.agency, r.year, r.edition.value), i)
        if j != i:
            raise _Unusable(
                _(
                    "reports {first} and {second} of {source} are both {agency} {year}: "
                    "rows tell reports apart by agency and year, so they would read back as one; "
                    "rename the agency of one of them or convert them separately"
                ).format(first=j + 1, second=i + 1, source=source, agency=r.agency, year=r.year)
            )


def _has_text(r: AnnualReport) -> bool:
    return bool(
        r.preamble
        or r.general.paragraphs
        or r.general.subsections
        or r.problems.paragraphs
        or r.other_matters.paragraphs
        or r.extra_rows
    )


def _read_json(path: Path) -> list[AnnualReport]:
    name = _("standard input") if str(path) == "-" else str(path)
    from ..parsers import _read_binary, _read_path

    # Bounded, and a FIFO or a device refused (they would block or never end).
    data = (
        _read_binary(sys.stdin.buffer)
        if str(path) == "-"
        else _read_path(path, MAX_DOCUMENT_FILE_BYTES)
    )
    if not data.strip():
        raise _Unusable(_("{name} is empty: no reports").format(name=name))
    try:
        doc = _loads(data)
    except StructureError as e:
        detail = e.errors[0][1].removeprefix("not valid JSON: ")
        raise _Unusable(
            _("{name} is not valid JSON ({detail})").format(name=name, detail=detail)
        ) from None
    if type(doc) is list and len(doc) > MAX_DOCUMENTS:
        raise _Unusable(
            _("{name}: an array of {n} documents; at most {limit} are read from one file").format(
                name=name, n=len(doc), limit=MAX_DOCUMENTS
            )
        )
    # Envelopes of `parse --envelope` hold the report document.
    items = [_unwrap(d) for d in doc] if type(doc) is list else [_unwrap(doc)]
    if not items:
        return []
    if not any(type(d) is dict and "schema" in d for d in items):
        got = (
            _("an array of other values")
            if type(doc) is list
            else _("a JSON {type}").format(type=_json_type(doc))
        )
        raise _Unusable(
            _(
                "{name} is not a report document: expected a JSON object with "
                '"schema": "{schema}" (as `gov-disclosure convert` and to_json() write), '
                "or an array of them; got {got}"
            ).format(name=name, schema=SCHEMA, got=got)
        )
    reports, errors = [], []
    for i, item in enumerate(items):
        try:
            reports.append(from_dict(item))
        except StructureError as e:
            at = f"$[{i}]" if type(doc) is list else "$"
            errors += [f"{at}{p[1:]}: {say(m)}" for p, m in e.errors]
    if errors:
        raise _Unusable(
            _("{name}: invalid report document ({count}):").format(name=name, count=_count(errors)),
            *errors,
        )
    return reports


def _json_type(value: object) -> str:
    if type(value) is dict:
        return _("object without a schema key")
    if isinstance(value, bool) or value is None:
        return _("literal {value}").format(value=json.dumps(value))
    names = {str: _("string"), int: _("number"), float: _("number")}
    return names.get(type(value), type(value).__name__)


def _count(errors: list[str]) -> str:
    n = len(errors)
    return (_("{n} problem") if n == 1 else _("{n} problems")).format(n=n)


def _read_rows_file(path: Path, fmt: str) -> list[AnnualReport]:
    try:
        rows, where = _read_rows(path, fmt)
    except StructureError as e:  # not a file of our rows: its problems name the file
        raise _Unusable(*(f"{say(p)}: {say(m)}" for p, m in e.errors)) from None

    def place(i: int, column: str) -> str:
        return (
            _("{place}, column {column}").format(place=where[i], column=column)
            if column
            else where[i]
        )

    try:
        return _from_rows(rows, place)
    except StructureError as e:
        errors = [f"{say(p)}: {say(m)}" for p, m in e.errors]
        raise _Unusable(
            _("{path}: invalid rows ({count}):").format(path=path, count=_count(errors)), *errors
        ) from None


def run_schema(args: argparse.Namespace) -> int:
    """Print the schema."""
    print(json.dumps(json_schema(args.edition), ensure_ascii=False, indent=2))
    return EXIT_CLEAN
