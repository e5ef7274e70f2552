"""
Batch scaling and memory: two worker processes against one, as a fraction of what a pure CPU loop gets; peak memory from 1 000 to 100 000 files.

**Scaling** (``test_batch_scaling``).  On a shared machine a second process
gets what the other tenants leave of the second core, and that changes from
second to second.  So the ceiling is measured in the same run, the same way:
a pure-Python CPU loop put in the place of :func:`gov_disclosure.batch_file`
(about as long per file as reading one), run through the same
:func:`gov_disclosure.batch` call, same paths, same chunks, same pool.  The
four runs (batch on 1 and 2 processes, the loop on 1 and 2) alternate, round
after round; each speed-up is taken from the mins and from the medians, and
the target is the batch's speed-up divided by the loop's (≥ 0.9), also
taken round by round (the median of the rounds' fractions).  Two
workloads: published text reports (parsing dominates) and JSON documents
(about a tenth of the time per file: the pool's per-file cost shows).  One
process is ``jobs=1``, which reads every file in the main process (no pool
at all), so the pool's cost counts against the two.

**Memory** (``test_batch_memory``).  A whole run, as a user makes it
(``report_paths`` → ``batch(jobs=2)`` → ``BatchWriter`` to Parquet), in a
fresh process over 1 000, 10 000 and 100 000 small JSON reports in a
temporary folder (deleted afterwards); the resident memory of the whole
process tree (the main process and its workers, read from ``/proc`` every
20 ms) at its peak, and the peak of the main process and of the largest
worker (``getrusage``).  Flat means the peak at 100 000 is the peak at 1 000.

Both write ``benchmarks/results/batch.json`` for ``docs/performance.md``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import gov_disclosure as gd
from gov_disclosure.many import _batch

from ._ratios import RESULTS, record

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="the CPU loop reaches forked workers only; memory is read from /proc",
)

_COMMAND = (
    "make bench  # or: pytest benchmarks/bench_batch.py --benchmark-only "
    "-o python_files='bench_*.py' -s"
)
N_TEXT = 240
N_JSON = 2_400
ROUNDS = 9


def _report(seed: int) -> gd.AnnualReport:
    from .bench_aggregate import make_report

    return make_report(seed)


def _files(d: Path, workload: str, n: int) -> list[str]:
    d.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        if workload == "text":
            p = d / f"{i:05}.txt"
            p.write_text(gd.render(_report(i), "text"), encoding="utf-8")
        else:
            p = d / f"{i:05}.json"
            p.write_bytes(gd.to_json(_report(i % 400)))
        out.append(str(p))
    return out


def _spin(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def _loop(spins: int) -> Callable[[str | os.PathLike[str]], gd.BatchResult]:
    """A stand-in for batch_file: a pure CPU loop, and the smallest result."""

    def loop(path: str | os.PathLike[str]) -> gd.BatchResult:
        _spin(spins)
        return gd.BatchResult(path=os.fspath(path))

    return loop


def _calibrate(paths: list[str]) -> int:
    """Loop iterations that take as long as batch_file takes per file, in this process."""
    for p in paths[:5]:  # the first file of a kind loads its reader and generated code
        gd.batch_file(p)
    sample = paths[5:45]
    per_file = min(_timed(lambda: [gd.batch_file(p) for p in sample]) for _ in range(3))
    per_spin = min(_timed(lambda: _spin(200_000)) for _ in range(3))
    return max(1, int(200_000 * per_file / len(sample) / per_spin))


def _timed(run: Callable[[], object]) -> float:
    t = time.perf_counter()
    run()
    return time.perf_counter() - t


def _run(paths: list[str], jobs: int) -> float:
    t = time.perf_counter()
    n = sum(1 for _ in gd.batch(paths, jobs=jobs, progress=False))
    assert n == len(paths)
    return time.perf_counter() - t


def _scaling(paths: list[str], rounds: int) -> dict[str, Any]:
    """The four runs in turns; speed-ups from the mins and the medians."""
    real = _batch.batch_file
    loop = _loop(_calibrate(paths))
    times: dict[str, list[float]] = {"batch_1": [], "batch_2": [], "loop_1": [], "loop_2": []}
    names = list(times)
    try:
        for r in range(rounds):
            shift = r % len(names)
            for name in names[shift:] + names[:shift]:
                kind, jobs = name.split("_")
                # Workers are forked per run, so they inherit the function set here.
                _batch.batch_file = loop if kind == "loop" else real  # type: ignore[assignment]
                times[name].append(_run(paths, int(jobs)))
    finally:
        _batch.batch_file = real  # type: ignore[assignment]
    mins = {k: min(v) for k, v in times.items()}
    medians = {k: statistics.median(v) for k, v in times.items()}
    out: dict[str, Any] = {
        "files": len(paths),
        "rounds": rounds,
        "seconds_min": {k: round(v, 4) for k, v in mins.items()},
        "seconds_median": {k: round(v, 4) for k, v in medians.items()},
    }
    # The same fraction within each round (its four runs close in time), then the median.
    per_round = [
        (times["batch_1"][r] / times["batch_2"][r]) / (times["loop_1"][r] / times["loop_2"][r])
        for r in range(rounds)
    ]
    out["fraction_of_loop_per_round_median"] = round(statistics.median(per_round), 3)
    for stat, t in (("min", mins), ("median", medians)):
        batch = t["batch_1"] / t["batch_2"]
        ceiling = t["loop_1"] / t["loop_2"]
        out[f"batch_speedup_{stat}"] = round(batch, 3)
        out[f"loop_speedup_{stat}"] = round(ceiling, 3)
        out[f"fraction_of_loop_{stat}"] = round(batch / ceiling, 3)
    return out


def _update(key: str, value: Any) -> None:
    """Record *value* under *key* in results/batch.json, keeping what other tests recorded."""
    old = RESULTS / "batch.json"
    data = json.loads(old.read_text(encoding="utf-8")) if old.exists() else {}
    kept = {k: v for k, v in data.items() if k not in ("measured", "machine", "command")}
    record("batch", {**kept, key: value}, command=[_COMMAND])


@pytest.mark.parametrize("workload", ["text", "json"])
def test_batch_scaling(benchmark: Any, workload: str, tmp_path: Path) -> None:
    """batch(jobs=2) against batch(jobs=1), as a fraction of the same for a CPU loop."""
    if _batch._mp_context().get_start_method() != "fork":
        pytest.skip("the CPU loop reaches the workers only when they are forked")
    paths = _files(tmp_path, workload, N_TEXT if workload == "text" else N_JSON)
    result = benchmark.pedantic(_scaling, args=(paths, ROUNDS), rounds=1, iterations=1)
    benchmark.extra_info.update({k: v for k, v in result.items() if isinstance(v, (int, float))})
    _update(f"scaling_{workload}", result)
    print(f"\n{workload}: {json.dumps(result)}")
    assert result["batch_speedup_min"] > 0


# --- memory -------------------------------------------------------------------

_MEMORY_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys
    import gov_disclosure as gd
    root, out = sys.argv[1], sys.argv[2]
    with gd.BatchWriter(out, resume=False) as w:
        n = w.write_all(gd.batch(gd.report_paths(root), jobs=2, progress=False))
    print(json.dumps({
        "files": n,
        "main_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "worker_maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }))
    """
)


def _tree_rss_kib(pid: int) -> int:
    """The resident memory of *pid* and all its descendants, from /proc (0 once gone)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):  # gone meanwhile
            continue
    return total


def _small_files(d: Path, n: int) -> None:
    """*n* small report documents (a handful of distinct ones, each under many names)."""
    base = [gd.to_json(gd.AnnualReport(agency=f"第{s}局", year=2022)) for s in range(50)]
    for i in range(n):
        sub = d / f"{i // 1000:03}"
        if i % 1000 == 0:
            sub.mkdir(parents=True)
        (sub / f"{i:06}.json").write_bytes(base[i % 50])


def _memory_run(n: int) -> dict[str, Any]:
    d = Path(tempfile.mkdtemp(prefix="gd-bench-memory-"))
    try:
        _small_files(d / "in", n)
        out = d / "results.parquet"
        t = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", _MEMORY_SCRIPT, str(d / "in"), str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kib(proc.pid))
            time.sleep(0.02)
        stdout, stderr = proc.communicate()
        assert proc.returncode == 0, stderr
        stats: dict[str, Any] = json.loads(stdout)
        stats["seconds"] = round(time.perf_counter() - t, 1)
        stats["tree_peak_rss_kib"] = peak
        stats["results_bytes"] = out.stat().st_size
        stats["cells_bytes"] = out.with_name("results.cells.parquet").stat().st_size
        return stats
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_batch_memory(benchmark: Any) -> None:
    """Peak memory of whole batch runs over 1 000, 10 000 and 100 000 files: flat."""
    sizes = (1_000, 10_000, 100_000)

    def run() -> dict[str, Any]:
        return {str(n): _memory_run(n) for n in sizes}

    result = benchmark.pedantic(run, rounds=1, iterations=1)
    small, large = result[str(sizes[0])], result[str(sizes[-1])]
    growth = round(large["tree_peak_rss_kib"] / small["tree_peak_rss_kib"], 3)
    result["growth_100k_over_1k"] = growth
    benchmark.extra_info["growth_100k_over_1k"] = growth
    _update("memory", result)
    print(f"\n{json.dumps(result)}")
    assert all(result[str(n)]["files"] == n for n in sizes)
