"""``gov-disclosure convert`` and ``gov-disclosure schema``: reports between JSON, CSV and Parquet, and the JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .cli import EXIT_CLEAN, EXIT_UNUSABLE
from .errors import StructureError
from .serialize import dumps_many, from_rows, json_schema, loads_many, read_rows, write_rows

_FORMATS = ("json", "csv", "parquet")


def register(sub: Any) -> None:
    """Add the ``convert`` and ``schema`` subcommands to *sub*."""
    p = sub.add_parser(
        "convert",
        help="convert reports between JSON documents and tidy CSV/Parquet rows",
        description="Convert between JSON report documents (one document or an array) and tidy "
        "rows (agency, year, edition, key, value) in CSV or Parquet.  Rows hold numbers only: "
        "converting rows to JSON gives reports with empty narratives.",
    )
    p.add_argument("input", type=Path, help="a .json, .csv or .parquet file")
    p.add_argument(
        "output", type=Path, help="a .json, .csv or .parquet file ('-' for JSON on stdout)"
    )
    p.add_argument(
        "--from", dest="from_format", choices=_FORMATS, help="input format (default: by suffix)"
    )
    p.add_argument(
        "--to", dest="to_format", choices=_FORMATS, help="output format (default: by suffix)"
    )
    p.set_defaults(func=run_convert)
    s = sub.add_parser("schema", help="print the JSON Schema of the report document")
    s.add_argument("--edition", choices=("2019", "2021"), help="one edition only (default: both)")
    s.set_defaults(func=run_schema)


def _format(path: Path, given: str | None) -> str:
    if given:
        return given
    if str(path) == "-":
        return "json"
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in _FORMATS:
        raise StructureError(
            [(str(path), f"cannot tell the format from {path.suffix!r}; use --from/--to")]
        )
    return fmt


def run_convert(args: argparse.Namespace) -> int:
    """Read the input, write the output."""
    try:
        return _convert(args)
    except ImportError as e:  # Parquet without pyarrow
        print(f"gov-disclosure convert: {e}", file=sys.stderr)
        return EXIT_UNUSABLE


def _convert(args: argparse.Namespace) -> int:
    src, dst = _format(args.input, args.from_format), _format(args.output, args.to_format)
    if src == "json":
        reports = loads_many(args.input.read_bytes())
    else:
        reports = from_rows(read_rows(args.input, format=src))
    if dst == "json":
        data = dumps_many(reports)
        if str(args.output) == "-":
            sys.stdout.write(data.decode() + "\n")
        else:
            args.output.write_bytes(data)
    else:
        write_rows(reports, args.output, format=dst)
    return EXIT_CLEAN


def run_schema(args: argparse.Namespace) -> int:
    """Print the schema."""
    print(json.dumps(json_schema(args.edition), ensure_ascii=False, indent=2))
    return EXIT_CLEAN
