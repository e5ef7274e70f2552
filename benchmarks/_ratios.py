"""
Ratios measured honestly: contenders timed in alternation, in one process, on fresh objects; min and median.

pytest-benchmark times one function per test, one test after the other; on a
shared machine the load changes between tests, so ratios taken across its
table compare different machines.  :func:`alternate` times every contender
of a comparison in turns, round after round, each round on inputs prepared
fresh for it (``setup``), and reports each one's min (the least disturbed
figure) and median (the noise), so the ratios compare like with like.

:func:`record` writes the figures to ``benchmarks/results/<name>.json`` with
the machine and the command; ``scripts/performance_doc.py`` writes the tables
of ``docs/performance.md`` from those files, so the document states what a
run measured, not figures typed by hand.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"

#: A contender: ``setup()`` makes one fresh input, ``run(input)`` is what is timed.
Contender = tuple[Callable[[], Any], Callable[[Any], Any]]


def alternate(
    contenders: dict[str, Contender], *, rounds: int = 40, calls: int = 20
) -> dict[str, tuple[float, float]]:
    """
    Time each contender *calls* times per round, in turns, for *rounds* rounds.

    Returns ``{name: (min, median)}`` of the time per call in seconds.  The
    inputs of a round are made before it starts (``setup``), one per call, so
    no call reuses an object another call has touched; the order of the
    contenders rotates from round to round.
    """
    times: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    clock = time.perf_counter
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            setup, run = contenders[name]
            inputs = [setup() for _ in range(calls)]
            start = clock()
            for x in inputs:
                run(x)
            times[name].append((clock() - start) / calls)
    return {name: (min(t), statistics.median(t)) for name, t in times.items()}


def same(value: Any) -> Callable[[], Any]:
    """A setup giving the same (immutable) input each time: bytes to decode."""
    return lambda: value


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    try:
        load = os.getloadavg()[0]
    except OSError:  # pragma: no cover -- not on every platform
        load = None
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(terse=True),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_1min": load,
    }


def record(name: str, data: dict[str, Any], *, command: Sequence[str] | None = None) -> Path:
    """Write *data* with the date, the machine and the command to ``results/<name>.json``."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{name}.json"
    doc = {
        "measured": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "command": " ".join(command or ["pytest", *sys.argv[1:]]),
        **data,
    }
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out
