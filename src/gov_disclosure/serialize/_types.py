"""
The report document (:func:`~gov_disclosure.to_dict`, ``to_json``) as a ``TypedDict``.

The top level is typed key by key; the sections are JSON objects whose keys
the JSON Schema (:func:`~gov_disclosure.json_schema`) spells out cell by cell.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

__all__ = ["ReportDocument"]


class ReportDocument(TypedDict):
    """
    A report document as JSON gives it: ``json.loads(gd.to_json(report))``.

    ``tests/test_typing.py`` holds it to :func:`~gov_disclosure.json_schema`
    (the same keys, required, for both editions).

    .. versionadded:: 0.1.0
    """

    schema: str
    agency: str
    year: int
    edition: Literal["2019", "2021"]
    preamble: list[str]
    general: dict[str, Any]
    proactive: dict[str, Any]
    requests: dict[str, Any]
    appeals: dict[str, Any]
    problems: dict[str, Any]
    other_matters: dict[str, Any]
    extra_rows: list[dict[str, Any]]
    blank_cells: list[str]
