"""
Optional dependencies: import one, or raise the error that names its extra.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._messages import M_
from .errors import MissingExtraError

__all__ = ["require"]


def require(module: str, *, extra: str, feature: str) -> Any:
    """
    Import *module*, which the extra *extra* installs, for *feature*.

    Raises:
        MissingExtraError: *module* is not installed, or cannot be imported
            (a broken install: the import error is quoted).
    """
    try:
        return importlib.import_module(module)
    except ImportError as e:
        top = module.partition(".")[0]
        missing = e.name is not None and (e.name == module or top == e.name.partition(".")[0])
        detail = (
            ""
            if missing and isinstance(e, ModuleNotFoundError)
            else M_("cannot import it: {e}", e=e)
        )
        raise MissingExtraError(feature, extra, module, detail=detail) from None
