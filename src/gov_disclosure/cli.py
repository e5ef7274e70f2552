"""
The ``gov-disclosure`` command line tool (also ``python -m gov_disclosure``).

Each subcommand lives in its own private module ``_cli_<name>.py`` exposing
``register(subparsers)``; this module only assembles them.  Exit status: 0
clean, 1 findings of severity error, 2 unusable input.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__
from .errors import GovDisclosureError

__all__ = ["EXIT_CLEAN", "EXIT_FINDINGS", "EXIT_UNUSABLE", "main"]

#: Nothing wrong.
EXIT_CLEAN = 0
#: At least one finding of severity error.
EXIT_FINDINGS = 1
#: The input could not be used (unreadable, invalid, unknown option value).
EXIT_UNUSABLE = 2

# The subcommand modules, in the order of the help text.
_COMMANDS: tuple[str, ...] = (
    "_cli_rules",
    "_cli_render",
    "_cli_serialize",
    "_cli_aggregate",
    "_cli_check",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gov-disclosure",
        description="Check, convert, render and parse 政府信息公开工作年度报告 (annual reports on "
        "government information disclosure).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _COMMANDS:
        importlib.import_module(f"{__package__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the command line tool with *argv* (default: ``sys.argv[1:]``) and return the exit status.

    .. versionadded:: 0.1.0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except GovDisclosureError as e:
        print(f"gov-disclosure {args.command}: {e}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as e:
        # "nosuch.json: No such file or directory", not Python's errno repr.
        where = f"{e.filename}: " if e.filename else ""
        print(f"gov-disclosure {args.command}: {where}{e.strerror or e}", file=sys.stderr)
        return EXIT_UNUSABLE
    return status
