"""
The report document (:func:`~gov_disclosure.to_dict`, ``to_json``) as ``TypedDict`` types.

The types are generated from :func:`~gov_disclosure.json_schema` into
:mod:`._document` (``scripts/document_types.py``); this module names the
public ones.
"""

from __future__ import annotations

from ._document import ReportDocument, ReportDocument2019, ReportDocument2021

__all__ = ["ReportDocument", "ReportDocument2019", "ReportDocument2021"]
