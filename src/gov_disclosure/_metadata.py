"""
The installed distribution's version, read from its metadata once and only when asked.
"""

from __future__ import annotations

import functools

__all__ = ["version"]


@functools.cache
def version() -> str:
    """The version of the installed ``gov-disclosure`` (``0+unknown`` in a source tree without metadata)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as distribution_version

    try:
        return distribution_version("gov-disclosure")
    except PackageNotFoundError:  # pragma: no cover -- running from a source tree without metadata
        return "0+unknown"
