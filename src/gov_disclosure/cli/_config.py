"""
Settings from a configuration file: ``gov-disclosure.toml``, or ``[tool.gov-disclosure]`` in ``pyproject.toml``.

The file is looked for in the current folder and then upward, the first
folder that has one deciding (``gov-disclosure.toml`` before a
``pyproject.toml`` with a ``[tool.gov-disclosure]`` table).  Options given on
the command line override it.  Keys::

    locale = "zh_Hans_CN"       # language of everything printed
    format = "sarif"            # check's output format
    fail-on = "warning"         # check exits 1 on: "error" (default), "warning", "never"
    select = ["requests"]       # check only these rule ids (or id prefixes)
    ignore = ["fees.amounts"]   # never report these

    [[waivers]]                 # a finding accepted: reported as waived, not failing the run
    fingerprint = "3f2a9c0d1e4b5a67"   # as check's json/sarif output prints it
    reason = "the agency printed the total so; confirmed by telephone"

(In ``pyproject.toml``: ``[[tool.gov-disclosure.waivers]]``.)  A waiver needs
both keys, the reason not empty; anything else is refused like an unknown key.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._messages import M_
from ..errors import GovDisclosureError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover -- Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

__all__ = ["CONFIG_NAME", "Config", "find_config", "load_config"]

#: The file name of a configuration of its own.
CONFIG_NAME = "gov-disclosure.toml"
#: The table of ``pyproject.toml`` that holds the settings.
_TABLE = "gov-disclosure"

#: Every key with the type of its value.
_KEYS: Mapping[str, type] = {
    "locale": str,
    "format": str,
    "fail-on": str,
    "select": list,
    "ignore": list,
    "waivers": list,
}

#: The keys of a waiver: every one required.
_WAIVER_KEYS = ("fingerprint", "reason")

#: The settings read, by key (``fail-on`` as written), and the file they came from.
Config = dict[str, Any]


def _table(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as f:
            data: dict[str, Any] = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise GovDisclosureError(M_("{path}: not valid TOML ({e})", path=path, e=e)) from None
    if path.name == CONFIG_NAME:
        return data
    tool = data.get("tool", {})
    table = tool.get(_TABLE) if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def find_config(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The first configuration file from *start* (default: the current folder) upward, with its table."""
    folder = (start or Path.cwd()).resolve()
    for d in (folder, *folder.parents):
        for name in (CONFIG_NAME, "pyproject.toml"):
            path = d / name
            if path.is_file():
                table = _table(path)
                if table is not None:
                    return path, table
    return None


def load_config(start: Path | None = None) -> Config:
    """
    The checked settings of the configuration file found from *start*, or ``{}`` when there is none.

    Raises:
        GovDisclosureError: the file is not valid TOML, or has an unknown key
            or a value of the wrong type (the message names the file and the key).
    """
    found = find_config(start)
    if found is None:
        return {}
    path, table = found
    where = f"{path} [tool.{_TABLE}]" if path.name == "pyproject.toml" else str(path)
    config: Config = {"path": path}
    for key, value in table.items():
        kind = _KEYS.get(key)
        if kind is None:
            raise GovDisclosureError(
                M_(
                    "{where}: unknown setting {key!r}; the settings are {keys}",
                    where=where,
                    key=key,
                    keys=", ".join(_KEYS),
                )
            )
        if key == "waivers":
            config[key] = _waivers(value, where)
            continue
        if not isinstance(value, kind) or (
            isinstance(value, list) and not all(isinstance(v, str) for v in value)
        ):
            expected = M_("a list of strings") if kind is list else M_("a string")
            raise GovDisclosureError(
                M_(
                    "{where}: {key} must be {expected}, got {value!r}",
                    where=where,
                    key=key,
                    expected=expected,
                    value=value,
                )
            )
        config[key] = value
    config["where"] = where
    return config


def _waivers(value: object, where: str) -> dict[str, str]:
    """The waivers of the file, checked: each fingerprint with its reason."""
    if not isinstance(value, list):
        raise GovDisclosureError(
            M_("{where}: waivers must be a list of tables, got {value!r}", where=where, value=value)
        )
    waivers: dict[str, str] = {}
    for i, w in enumerate(value, 1):
        at = M_("{where}: waiver {i}", where=where, i=i)
        if not isinstance(w, dict):
            raise GovDisclosureError(
                M_("{at} must be a table (fingerprint, reason), got {w!r}", at=at, w=w)
            )
        unknown = sorted(set(w) - set(_WAIVER_KEYS))
        if unknown:
            raise GovDisclosureError(
                M_(
                    "{at}: unknown key {key!r}; a waiver has {keys}",
                    at=at,
                    key=unknown[0],
                    keys=", ".join(_WAIVER_KEYS),
                )
            )
        for key in _WAIVER_KEYS:
            v = w.get(key)
            if not isinstance(v, str) or not v.strip():
                raise GovDisclosureError(
                    M_("{at}: {key} must be a non-empty string, got {v!r}", at=at, key=key, v=v)
                )
        waivers[w["fingerprint"].strip()] = w["reason"].strip()
    return waivers
