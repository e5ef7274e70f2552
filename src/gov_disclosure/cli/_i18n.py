"""
The command line's language: chosen once per run, used by every text it prints.

The command line's own texts are English message ids (``_("...")``) in the
gettext domain ``gov_disclosure_cli``, translated in
``i18n/locale/<locale>/LC_MESSAGES/gov_disclosure_cli.po`` (``make
locale-update`` extracts them).  The language is ``--locale``, else the
configuration file's ``locale``, else the system's (``LC_ALL``,
``LC_MESSAGES``, ``LANG``: ``zh_CN.UTF-8`` gives Simplified Chinese), else
English.  argparse's own texts (``usage:``, ``options``, its errors) are
translated too while :func:`speaking` is in force.
"""

from __future__ import annotations

import argparse
import contextlib
import gettext as _gettext
import os
import unicodedata
from collections.abc import Iterator, Mapping

from .._messages import Message
from .._messages import say as _say
from ..errors import GovDisclosureError, ParseError, StructureError
from ..i18n import LOCALES, locale_name, translations

__all__ = [
    "ARGPARSE_MESSAGES",
    "CLI_DOMAIN",
    "LOCALES",
    "N_",
    "current",
    "error_text",
    "gettext",
    "location_text",
    "ngettext",
    "os_error_text",
    "pad",
    "say",
    "speaking",
    "system_locale",
]

#: The gettext domain of the command line's texts.
CLI_DOMAIN = "gov_disclosure_cli"

_NULL = _gettext.NullTranslations()
_state: dict[str, object] = {"locale": "en", "translations": _NULL}


def N_(message: str) -> str:
    """Mark *message* for extraction without translating it (translated where it is printed)."""
    return message


def gettext(message: str) -> str:
    """*message* (an English message id) in the language of this run."""
    t = _state["translations"]
    assert isinstance(t, _gettext.NullTranslations)
    return t.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """*singular* or *plural* (English message ids) for the count *n*, in the language of this run."""
    t = _state["translations"]
    assert isinstance(t, _gettext.NullTranslations)
    return t.ngettext(singular, plural, n)


_ngettext = ngettext


#: The first line of a :class:`StructureError`'s message.
_INVALID_DOCUMENT = N_("invalid document:")


def say(text: object) -> str:
    """
    A library message in the language of this run: English as the library wrote it, or its translation.

    The library builds its messages with ``gov_disclosure._messages.M_``
    (English text that keeps its template and parameters); the template's
    translation in this run's catalogue is formatted with the same
    parameters.  Any other text is said as it is.
    """
    return _say(text, gettext)


#: The most problems of one invalid document listed (then "... and N more").
MAX_PROBLEMS = 20


def error_text(error: BaseException) -> str:
    """The message of a library *error* in the language of this run (``str(error)`` in English)."""
    if isinstance(error, StructureError) and (
        current() != "en" or len(error.errors) > MAX_PROBLEMS
    ):
        shown = error.errors[:MAX_PROBLEMS]
        lines = [f"  {path}: {say(message)}" for path, message in shown]
        if len(error.errors) > len(shown):
            more = gettext("... and {n} more").format(n=len(error.errors) - len(shown))
            lines.append(f"  {more}")
        return "\n".join([gettext(_INVALID_DOCUMENT), *lines])
    if current() == "en":
        return str(error)
    if isinstance(error, ParseError):
        message = say(error.message)
        return f"{error.location}: {message}" if error.location else message
    if error.args and isinstance(error.args[0], Message):
        return say(error.args[0])
    return str(error)


#: The operating system's reasons a file cannot be read that a run says most
#: (the C library's English text, as Python gives it in ``OSError.strerror``).
OS_ERRORS = (
    N_("No such file or directory"),
    N_("Permission denied"),
    N_("Is a directory"),
    N_("Not a directory"),
)


def os_error_text(error: OSError) -> str:
    """Why the operating system refused a file, in the language of this run when the catalogue has its text."""
    return gettext(error.strerror) if error.strerror else str(error)


#: How the parts of a location are joined (", " in English).
_PARTS_SEP = N_(", ")


def location_text(location: object) -> str:
    """Where in a source (a :class:`~gov_disclosure.parsers.Location`), in the language of this run."""
    parts = getattr(location, "parts", None)
    if current() == "en" or parts is None:
        return str(location)
    return gettext(_PARTS_SEP).join(say(p) for p in parts())


def width(text: str) -> int:
    """
    The columns *text* takes in a terminal: two for a wide (CJK) character, one for the others.

    >>> width("error"), width("错误"), width("錯誤 x")
    (5, 4, 6)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    """
    *text* with spaces after it to fill *columns* terminal columns (as ``f"{text:<n}"`` does for ASCII).

    >>> pad("错误", 8) + "|", pad("error", 8) + "|", pad("警告信息很长的", 4) + "|"
    ('错误    |', 'error   |', '警告信息很长的|')
    """
    return text + " " * max(0, columns - width(text))


def current() -> str:
    """The locale of this run (one of :data:`gov_disclosure.i18n.LOCALES`)."""
    return str(_state["locale"])


def system_locale(environ: Mapping[str, str] | None = None) -> str:
    """
    The supported locale the environment asks for, as gettext reads it (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else ``en``.

    >>> system_locale({"LANG": "zh_CN.UTF-8"}), system_locale({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"})
    ('zh_Hans_CN', 'zh_Hant_TW')
    >>> system_locale({"LANG": "C.UTF-8"}), system_locale({"LANG": "fr_FR.UTF-8"}), system_locale({})
    ('en', 'en', 'en')
    """
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        # zh_CN.UTF-8@modifier -> zh_CN; the first variable set decides, as in gettext.
        name = value.partition(".")[0].partition("@")[0]
        if name in ("C", "POSIX"):
            return "en"
        try:
            return locale_name(name)
        except GovDisclosureError:
            return "en"
    return "en"


@contextlib.contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Print in *locale* (a supported locale name) until the block ends, argparse included."""
    name = locale_name(locale)
    saved = dict(_state)
    saved_argparse = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    _state["locale"] = name
    _state["translations"] = _NULL if name == "en" else translations(name, CLI_DOMAIN)
    # argparse looks its texts up through these module globals at run time.
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        _state.update(saved)
        argparse._, argparse.ngettext = saved_argparse  # type: ignore[attr-defined]


#: argparse's own texts that a run prints (Python 3.10-3.13), translated in the CLI catalogue.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)
