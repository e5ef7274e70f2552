"""
The ``gov-disclosure`` command line tool (also ``python -m gov_disclosure``).

Each subcommand lives in its own module of this package (``check``,
``parse``, ``render``...) exposing ``register(subparsers)``; this module only
assembles them, and :mod:`._common` holds what they share.

Exit status (stable): 0 clean; 1 a finding of the ``--fail-on`` severity
(``check``, ``aggregate``, ``batch``); 2 unusable input, a missing extra, a
bad configuration file or a usage error.  A reader that closes the pipe early
(``gov-disclosure check . | head``) ends the run quietly with the status it
would have had.

The language of everything printed is ``--locale``, else ``locale`` in the
configuration file (``gov-disclosure.toml`` or ``[tool.gov-disclosure]`` in
``pyproject.toml``, looked for from the current folder upward), else the
system's (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.

The ``TypedDict`` types of the JSON output (:class:`CheckResult`,
:class:`ParseOutput`...) are exported here.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .._metadata import version

# Not ``typing.TYPE_CHECKING``: ``--version`` should import as little as it can.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE
    from ._types import (
        AmbiguityOutput,
        CheckFinding,
        CheckResult,
        FindingLocation,
        ParseOutput,
        ParseWarningOutput,
    )

__all__ = [
    "EXIT_CLEAN",
    "EXIT_FINDINGS",
    "EXIT_UNUSABLE",
    "AmbiguityOutput",
    "CheckFinding",
    "CheckResult",
    "FindingLocation",
    "ParseOutput",
    "ParseWarningOutput",
    "main",
]

#: Where each exported name lives, imported on first use (:pep:`562`).
_EXPORTS = {
    "EXIT_CLEAN": "_common",
    "EXIT_FINDINGS": "_common",
    "EXIT_UNUSABLE": "_common",
    "AmbiguityOutput": "_types",
    "CheckFinding": "_types",
    "CheckResult": "_types",
    "FindingLocation": "_types",
    "ParseOutput": "_types",
    "ParseWarningOutput": "_types",
}


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the command line tool with *argv* (default: ``sys.argv[1:]``) and return the exit status.

    ``--version`` is answered before anything else is imported: the
    configuration, the language and the subcommands load the library's layers.

    .. versionadded:: 0.1.0
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--version"]:
        print(f"gov-disclosure {version()}")
        return 0
    from ._main import main as run

    return run(args)


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
