"""
What every command shares: the exit statuses, and library messages said in command line terms.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from .._messages import M_
from ._i18n import error_text, say
from ._i18n import gettext as _

__all__ = ["EXIT_CLEAN", "EXIT_FINDINGS", "EXIT_UNUSABLE", "STDIN", "STDIN_NAME", "cli_message"]

#: Nothing wrong.
EXIT_CLEAN = 0
#: At least one finding of severity error.
EXIT_FINDINGS = 1
#: The input could not be used (unreadable, invalid, unknown option value).
EXIT_UNUSABLE = 2

#: The path that means standard input (``check -``, ``parse -``).
STDIN = "-"
#: How standard input is named in output.
STDIN_NAME = "<stdin>"

#: "pass year=", "pass allow_duplicates=True if ...": a Python keyword argument
#: offered as the fix (to the end of its clause).
#: Only ASCII identifiers are Python names: quoted Chinese text is left alone.
_PASS_KEYWORD = re.compile(
    r"(?P<lead>[;,；，]?[ \t]*)\bpass (?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>[^\s)]*)"
    r"(?P<rest>[^;\n)]*)",
    re.ASCII,
)
#: "batch(jobs): ...": a Python function and parameter naming the culprit, at
#: the start of the message (where the library puts it).
_CALL_ARGUMENT = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\((?P<name>[A-Za-z_][A-Za-z0-9_]*)\)(?=:)")


def _option(name: str, options: Collection[str]) -> str | None:
    option = "--" + name.replace("_", "-")
    return option if option in options else None


def cli_message(
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
    >>> cli_message(e, "aggregate", {"--allow-duplicates"})
    'a.json repeats b.json; give --allow-duplicates if both count'
    >>> cli_message(ValueError("no year in the title; pass year="), "aggregate", {"--agency"})
    'no year in the title'
    >>> cli_message(ValueError("no year (pass year= or fix the title) and more"), "check", {"--year"})
    'no year (give --year or fix the title) and more'
    >>> cli_message(ValueError("report 2021: bad"), "check", file="2021")
    'report 2021: bad'
    >>> cli_message(ValueError("row 其他(year): bad"), "check", {"--year"})
    'row 其他(year): bad'
    """
    text = error_text(error)
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
        # In another language the line says "unreadable" already: the reason alone.
        text = text.replace(say(M_("cannot read {path}: {reason}", path=name, reason="")), "")

    def keyword(m: re.Match[str]) -> str:
        option = _option(m.group("name"), options)
        if option is None:
            return ""
        give = _("give {option}").format(option=option)
        return f"{m.group('lead')}{give}{m.group('rest')}"

    def argument(m: re.Match[str]) -> str:
        return _option(m.group("name"), options) or m.group(0)

    text = _PASS_KEYWORD.sub(keyword, text)
    return _CALL_ARGUMENT.sub(argument, text)
