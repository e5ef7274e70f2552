"""
The ``gov-disclosure`` command line tool (also ``python -m gov_disclosure``).

Each subcommand lives in its own private module ``_cli_<name>.py`` exposing
``register(subparsers)``; this module only assembles them.  Exit status: 0
clean, 1 findings of severity error, 2 unusable input.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Collection, Sequence
from pathlib import Path

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
    for command in sub.choices.values():
        # What the command accepts: messages name these, not Python parameters.
        options = frozenset(s for action in command._actions for s in action.option_strings)
        command.set_defaults(cli_options=options)
    return parser


#: "pass year=", "pass allow_duplicates=True if ...": a Python keyword argument
#: offered as the fix (to the end of its clause).
#: Only ASCII identifiers are Python names: quoted Chinese text is left alone.
_PASS_KEYWORD = re.compile(
    r"(?P<lead>[;,]?[ \t]*)\bpass (?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>[^\s)]*)"
    r"(?P<rest>[^;\n)]*)",
    re.ASCII,
)
#: "batch(jobs): ...": a Python function and parameter naming the culprit, at
#: the start of the message (where the library puts it).
_CALL_ARGUMENT = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\((?P<name>[A-Za-z_][A-Za-z0-9_]*)\)(?=:)")


def _option(name: str, options: Collection[str]) -> str | None:
    option = "--" + name.replace("_", "-")
    return option if option in options else None


def _cli_message(
    error: BaseException, command: str, options: Collection[str] = (), *, file: str | None = None
) -> str:
    """
    The message of *error* in command line terms, for ``gov-disclosure COMMAND`` (which prints its own prefix).

    The library's messages speak to Python callers; on the command line a
    keyword argument is an option (``pass year=`` is ``give --year``,
    ``pass allow_duplicates=True`` is ``give --allow-duplicates``; a hint
    whose option *command* lacks is dropped), ``batch(jobs):`` is
    ``--jobs:``, and a prefix the caller prints (the command, *file*) is not
    repeated.

    >>> e = ValueError("aggregate: a.json repeats b.json; pass allow_duplicates=True if both count")
    >>> _cli_message(e, "aggregate", {"--allow-duplicates"})
    'a.json repeats b.json; give --allow-duplicates if both count'
    >>> _cli_message(ValueError("no year in the title; pass year="), "aggregate", {"--agency"})
    'no year in the title'
    >>> _cli_message(ValueError("no year (pass year= or fix the title) and more"), "check", {"--year"})
    'no year (give --year or fix the title) and more'
    >>> _cli_message(ValueError("report 2021: bad"), "check", file="2021")
    'report 2021: bad'
    >>> _cli_message(ValueError("row 其他(year): bad"), "check", {"--year"})
    'row 其他(year): bad'
    """
    text = str(error)
    prefixes = [f"gov-disclosure {command}: ", f"{command}: "]
    # The file as typed ("./a.txt") and as the library names it ("a.txt").
    files = sorted({file, str(Path(file))}, key=len, reverse=True) if file else []
    prefixes += [f"{name}: " for name in files]
    stripped = True
    while stripped:
        stripped = False
        for prefix in prefixes:
            if text.startswith(prefix):
                text = text[len(prefix) :]
                stripped = True
    for name in files:
        # "cannot read a.txt: No such file" after "a.txt: ": said once.
        text = text.replace(f"cannot read {name}: ", "cannot read it: ")

    def keyword(m: re.Match[str]) -> str:
        option = _option(m.group("name"), options)
        if option is None:
            return ""
        return f"{m.group('lead')}give {option}{m.group('rest')}"

    def argument(m: re.Match[str]) -> str:
        return _option(m.group("name"), options) or m.group(0)

    text = _PASS_KEYWORD.sub(keyword, text)
    return _CALL_ARGUMENT.sub(argument, text)


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
        message = _cli_message(e, args.command, args.cli_options)
        print(f"gov-disclosure {args.command}: {message}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as e:
        # "nosuch.json: No such file or directory", not Python's errno repr.
        where = f"{e.filename}: " if e.filename else ""
        print(f"gov-disclosure {args.command}: {where}{e.strerror or e}", file=sys.stderr)
        return EXIT_UNUSABLE
    return status
