"""
The package's version: the one place it is written (``pyproject.toml`` reads it from here).

A constant rather than a look-up in the installed distribution's metadata:
``importlib.metadata`` scans ``sys.path`` and imports the ``email`` package,
which costs more than the whole ``gov-disclosure --version`` should.
"""

from __future__ import annotations

__all__ = ["__version__", "version"]

__version__ = "0.1.0.dev0"


def version() -> str:
    """The version of ``gov-disclosure``."""
    return __version__
