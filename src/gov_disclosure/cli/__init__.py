"""
The ``gov-disclosure`` command line tool (also ``python -m gov_disclosure``).

Each subcommand lives in its own module of this package (``check``,
``render``...) exposing ``register(subparsers)``; this module only assembles
them, and :mod:`._common` holds what they share.  Exit status: 0
clean, 1 findings of severity error, 2 unusable input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .._metadata import version
from ..errors import GovDisclosureError
from ._common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE, cli_message

__all__ = ["EXIT_CLEAN", "EXIT_FINDINGS", "EXIT_UNUSABLE", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gov-disclosure",
        description="Check, convert, render and parse 政府信息公开工作年度报告 (annual reports on "
        "government information disclosure).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # The subcommands, in the order of the help text.
    from . import aggregate, check, render, rules, serialize

    for command_module in (rules, render, serialize, aggregate, check):
        command_module.register(sub)
    for command in sub.choices.values():
        # What the command accepts: messages name these, not Python parameters.
        options = frozenset(s for action in command._actions for s in action.option_strings)
        command.set_defaults(cli_options=options)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the command line tool with *argv* (default: ``sys.argv[1:]``) and return the exit status.

    .. versionadded:: 0.1.0
    """
    if list(sys.argv[1:] if argv is None else argv)[:1] == ["--version"]:
        # Answered before the subcommands are assembled: they import the
        # library's layers, which a version query does not need.
        print(f"gov-disclosure {version()}")
        return EXIT_CLEAN
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except GovDisclosureError as e:
        message = cli_message(e, args.command, args.cli_options)
        print(f"gov-disclosure {args.command}: {message}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as e:
        # "nosuch.json: No such file or directory", not Python's errno repr.
        where = f"{e.filename}: " if e.filename else ""
        print(f"gov-disclosure {args.command}: {where}{e.strerror or e}", file=sys.stderr)
        return EXIT_UNUSABLE
    return status
