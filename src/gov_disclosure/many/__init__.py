"""
What works over many reports: the sum (汇总) of several agencies, continuity
across years, year-over-year comparison, and batch reading of folders.

This is the top library layer below the command line: it uses the rules,
the serializers and the parsers, and none of them knows it exists.  Its
names are exported from :mod:`gov_disclosure`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._aggregate import Aggregate, TracedFinding, aggregate
    from ._batch import BatchResult, batch, batch_file, report_paths
    from ._chain import Chain, Gap, Link, continuity_chain
    from ._compare import CellChange, Comparison, compare
    from ._output import BatchWriter
    from ._rows import BatchCellRow, BatchRow

#: Where each name lives: imported on first use (:pep:`562`), so that summing
#: reports does not load the batch engine (multiprocessing) or its writers.
_EXPORTS = {
    "Aggregate": "_aggregate",
    "TracedFinding": "_aggregate",
    "aggregate": "_aggregate",
    "BatchResult": "_batch",
    "BatchRow": "_rows",
    "BatchCellRow": "_rows",
    "batch": "_batch",
    "batch_file": "_batch",
    "report_paths": "_batch",
    "Chain": "_chain",
    "Gap": "_chain",
    "Link": "_chain",
    "continuity_chain": "_chain",
    "CellChange": "_compare",
    "Comparison": "_compare",
    "compare": "_compare",
    "BatchWriter": "_output",
}

__all__ = [
    "Aggregate",
    "BatchCellRow",
    "BatchResult",
    "BatchRow",
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


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(__import__(f"{__name__}.{module}", fromlist=["_"]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
