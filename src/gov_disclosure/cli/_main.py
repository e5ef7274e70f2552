"""
The command line tool proper: its parser, settings and language (see the package's docstring).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from .._metadata import version
from ..errors import GovDisclosureError
from ..i18n import LOCALES
from ._common import EXIT_CLEAN, EXIT_UNUSABLE, cli_message
from ._config import load_config
from ._i18n import error_text, os_error_text, speaking, system_locale
from ._i18n import gettext as _

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gov-disclosure",
        description=_(
            "Check, convert, render and parse 政府信息公开工作年度报告 (annual reports on "
            "government information disclosure)."
        ),
        epilog=_(
            "Exit status: 0 clean, 1 findings (check, aggregate, batch), 2 unusable input or "
            "usage error."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {version()}",
        help=_("show program's version number and exit"),  # Python 3.10/3.11 do not translate it
    )
    parser.add_argument(
        "--locale",
        dest="interface_locale",
        choices=LOCALES,
        help=_("language of everything printed (default: the system's)"),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # The subcommands, in the order of the help text.
    from . import aggregate, check, parse, render, rules, serialize

    for command_module in (rules, parse, render, serialize, aggregate, check):
        command_module.register(sub)
    for command in sub.choices.values():
        if "--locale" not in command._option_string_actions:
            # The interface's language after the command too (the pre-scan reads it).
            command.add_argument(
                "--locale",
                dest="interface_locale",
                choices=LOCALES,
                default=argparse.SUPPRESS,
                help=_("language of everything printed (default: the system's)"),
            )
        # What the command accepts: messages name these, not Python parameters.
        options = frozenset(s for action in command._actions for s in action.option_strings)
        command.set_defaults(cli_options=options)
    return parser


def _tolerant_output() -> None:
    """
    Let stdout and stderr write what their encoding cannot (Chinese to an ASCII pipe) as escapes.

    A traceback for a message that cannot be printed helps nobody; a file
    the tool writes is always UTF-8, whatever the terminal's encoding.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):  # a replaced stream that cannot
                reconfigure(errors="backslashreplace")


def _given_locale(argv: Sequence[str]) -> str | None:
    """The value of ``--locale`` in *argv*, before argparse (whose help it translates) runs."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        # argparse takes a prefix of an option (--loc): so does this.
        if len(name) < 5 or not "--locale".startswith(name):
            continue
        if eq:
            return value
        if i + 1 < len(argv):
            return argv[i + 1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """The command line tool (:func:`gov_disclosure.cli.main` after ``--version``)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    _tolerant_output()
    try:
        config = load_config()
    except GovDisclosureError as e:
        # The file that would say the language is the one at fault: the option or the system's.
        try:
            with speaking(_given_locale(args_list) or system_locale()):
                message = error_text(e)
        except GovDisclosureError:  # an unsupported --locale: said in English
            message = str(e)
        print(f"gov-disclosure: {message}", file=sys.stderr)
        return EXIT_UNUSABLE
    locale = _given_locale(args_list) or config.get("locale") or system_locale()
    try:
        with speaking(locale):
            return _run(args_list, config)
    except GovDisclosureError as e:  # a locale that is not supported
        print(f"gov-disclosure: {e}", file=sys.stderr)
        return EXIT_UNUSABLE


def _run(argv: list[str], config: dict[str, object]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    args.config = config
    args.status = EXIT_CLEAN
    try:
        status: int = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        return _closed_pipe(args.status)
    except GovDisclosureError as e:
        message = cli_message(e, args.command, args.cli_options)
        print(f"gov-disclosure {args.command}: {message}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as e:
        # "nosuch.json: No such file or directory", not Python's errno repr.
        where = f"{e.filename}: " if e.filename else ""
        print(f"gov-disclosure {args.command}: {where}{os_error_text(e)}", file=sys.stderr)
        return EXIT_UNUSABLE
    return status


def _closed_pipe(status: int) -> int:
    """
    The reader of stdout went away (``| head``): stop quietly with the run's status.

    Python's documented way: point stdout at devnull, so the flush at exit
    does not raise again.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover -- stdout without a file descriptor
        pass
    return status
