"""
What works over many reports: the sum (汇总) of several agencies, continuity
across years, year-over-year comparison, and batch reading of folders.

This is the top library layer below the command line: it uses the rules,
the serializers and the parsers, and none of them knows it exists.  Its
names are exported from :mod:`gov_disclosure`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from ._aggregate import Aggregate, TracedFinding, aggregate
from ._batch import BatchResult, batch, batch_file, report_paths
from ._chain import Chain, Gap, Link, continuity_chain
from ._compare import CellChange, Comparison, compare
from ._output import BatchWriter

__all__ = [
    "Aggregate",
    "BatchResult",
    "BatchWriter",
    "CellChange",
    "Chain",
    "Comparison",
    "Gap",
    "Link",
    "TracedFinding",
    "aggregate",
    "batch",
    "batch_file",
    "compare",
    "continuity_chain",
    "report_paths",
]
