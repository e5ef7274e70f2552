"""
Many reports: aggregating 10 000 reports, batch throughput on 1 and 2 processes and on Dask.

Alternatives, in the same run:

- ``aggregate``: :func:`gov_disclosure.aggregate` over 10 000 reports (cell
  view of every report, exact Decimal money, unit reconciliation, building
  the checked sum) versus a plain baseline that only adds the cell dicts with
  ``collections.Counter``; and ``check`` + ``trace`` of a sum with one broken
  contributor (tracing re-checks the contributors).
- ``batch``: :func:`gov_disclosure.batch` over the same files in this process
  (``jobs=1``), in a pool of one worker and in a pool of two (throughput
  only: the scaling target is ``bench_batch.py``'s), and ``batch_file`` mapped over
  a ``dask.bag`` on a local cluster of two worker processes (one thread each).
  Two workloads: JSON documents (about 0.15 ms per file: the per-file
  overhead of the pool shows) and published text reports rendered with
  ``gov_disclosure.render`` (parsing dominates: the CPU-bound case).

The scaling target (two processes against one, as a fraction of what a CPU
loop gets in the same run) and the peak memory from 1 000 to 100 000 files
are measured in ``bench_batch.py``.
"""

from __future__ import annotations

import collections
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest

import gov_disclosure as gd

AC = gd.ApplicantCounts
N_AGGREGATE = 10_000
N_JSON = 2_000
N_TEXT = 400


def _row(rng: random.Random, top: int) -> gd.ApplicantCounts:
    if top == 0:
        return AC.zero()
    return AC.of(
        natural_person=rng.randint(0, top),
        commercial=rng.randint(0, top // 5),
        legal_service=rng.randint(0, top // 10),
    )


def make_report(seed: int, year: int = 2022) -> gd.AnnualReport:
    """A valid report (zero for every fourth seed, else busy), agency named after the seed."""
    rng = random.Random(seed)
    top = 0 if seed % 4 == 0 else rng.choice((5, 50, 1000))
    other = AC.zero() if year < 2021 else gd.OtherHandling(other=_row(rng, top))
    granted, partial = _row(rng, top), _row(rng, top)
    forward = _row(rng, top // 10)
    req = gd.Requests.of(
        new_received=granted
        + partial
        + forward
        + (other if isinstance(other, AC) else other.sum()),
        granted=granted,
        partial=partial,
        deny=gd.Denials(process_info=AC.zero(), third_party=AC.zero()),
        other=other,
    )
    proactive: gd.Proactive2019 | gd.Proactive2021
    if year >= 2021:
        proactive = gd.Proactive2021(
            licensing=gd.Decisions(decisions=rng.randint(0, 500)),
            fees=gd.FeeAmount(amount=Decimal(rng.randint(0, 10**6)) / 100),
        )
    else:
        proactive = gd.Proactive2019()
    return gd.AnnualReport(
        agency=f"第{seed}局",
        year=year,
        proactive=proactive,
        requests=req,
        appeals=gd.Appeals(review=gd.AppealCounts.of(upheld=rng.randint(0, 3))),
        other_matters=gd.OtherMatters(paragraphs=("本年度未收取信息处理费。",)),
    )


@pytest.fixture(scope="module")
def many() -> list[gd.AnnualReport]:
    """10 000 reports of one year: 200 distinct ones, each under 50 agency names."""
    base = [make_report(s) for s in range(200)]
    return [attrs.evolve(base[i % 200], agency=f"第{i}局") for i in range(N_AGGREGATE)]


class TestAggregate:
    def test_aggregate_10k(self, benchmark: Any, many: list[gd.AnnualReport]) -> None:
        """gd.aggregate over 10 000 reports."""
        total = benchmark.pedantic(
            gd.aggregate, args=(many,), kwargs={"agency": "汇总"}, rounds=3, iterations=1
        )
        assert not [f for f in gd.check(total) if f.severity is gd.Severity.ERROR]

    def test_counter_baseline_10k(self, benchmark: Any, many: list[gd.AnnualReport]) -> None:
        """Baseline: add the cell dicts of 10 000 reports with a Counter (no checks, no model)."""

        def add() -> collections.Counter[str]:
            acc: collections.Counter[str] = collections.Counter()
            for r in many:
                acc.update(gd.cells(r))
            return acc

        acc = benchmark.pedantic(add, rounds=3, iterations=1)
        assert acc["t3.new_received.total"] == sum(r.requests.new_received.total for r in many)

    def test_check_and_trace_10k(self, benchmark: Any, many: list[gd.AnnualReport]) -> None:
        """check + trace of a 10 000-report sum with one broken contributor."""
        broken = attrs.evolve(
            many[7],
            requests=attrs.evolve(many[7].requests, total_processed=AC.of(natural_person=1)),
        )
        total = gd.aggregate([*many[:7], broken, *many[8:]], agency="汇总")
        traced = benchmark.pedantic(total.trace, rounds=1, iterations=1)
        assert {c.index for t in traced for c in t.contributions} == {7}


# --- batch throughput -------------------------------------------------------


@pytest.fixture(scope="module")
def json_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    d = tmp_path_factory.mktemp("json")
    out = []
    for i in range(N_JSON):
        p = d / f"{i:05}.json"
        p.write_bytes(gd.to_json(make_report(i % 400)))
        out.append(str(p))
    return out


@pytest.fixture(scope="module")
def text_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    d = tmp_path_factory.mktemp("text")
    out = []
    for i in range(N_TEXT):
        p = d / f"{i:05}.txt"
        p.write_text(gd.render(make_report(i), "text"), encoding="utf-8")
        out.append(str(p))
    return out


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _run(paths: list[str], jobs: int) -> int:
    n = 0
    for r in gd.batch(paths, jobs=jobs, progress=False):
        assert r.ok, r.error
        n += 1
    return n


def _run_pool(paths: list[str], jobs: int) -> int:
    # A pool even for one worker, so that 1 vs 2 compares like with like.
    import concurrent.futures

    from gov_disclosure.many._batch import _chunk

    chunks = [paths[i : i + 8] for i in range(0, len(paths), 8)]
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        return sum(len(rs) for rs in pool.map(_chunk, chunks))


def _run_dask(paths: list[str], client: Any) -> int:
    import dask.bag as db

    bag = db.from_sequence(paths, npartitions=8 * 2).map(gd.batch_file)
    results = bag.compute(scheduler=client.get)
    assert all(r.ok for r in results)
    return len(results)


def _rate(benchmark: Any, n: int) -> None:
    benchmark.extra_info["files"] = n
    benchmark.extra_info["files_per_s"] = round(n / benchmark.stats.stats.min, 1)


@pytest.mark.parametrize("workload", ["json", "text"])
class TestBatch:
    def _paths(self, workload: str, request: pytest.FixtureRequest) -> list[str]:
        paths: list[str] = request.getfixturevalue(f"{workload}_files")
        return paths

    def test_in_process(
        self, benchmark: Any, workload: str, request: pytest.FixtureRequest
    ) -> None:
        """batch(jobs=1): every file in this process."""
        paths = self._paths(workload, request)
        assert benchmark.pedantic(_run, args=(paths, 1), rounds=2, iterations=1) == len(paths)
        _rate(benchmark, len(paths))

    def test_pool_1(self, benchmark: Any, workload: str, request: pytest.FixtureRequest) -> None:
        """A pool of one worker process (the denominator of the scaling ratio)."""
        paths = self._paths(workload, request)
        assert benchmark.pedantic(_run_pool, args=(paths, 1), rounds=2, iterations=1) == len(paths)
        _rate(benchmark, len(paths))

    def test_batch_2(self, benchmark: Any, workload: str, request: pytest.FixtureRequest) -> None:
        """batch(jobs=2): two worker processes, bounded window, results in order."""
        paths = self._paths(workload, request)
        assert benchmark.pedantic(_run, args=(paths, 2), rounds=2, iterations=1) == len(paths)
        _rate(benchmark, len(paths))

    def test_dask_2(
        self, benchmark: Any, workload: str, request: pytest.FixtureRequest, dask_client: Any
    ) -> None:
        """batch_file on a dask.bag over a local cluster of two worker processes."""
        paths = self._paths(workload, request)
        n = benchmark.pedantic(_run_dask, args=(paths, dask_client), rounds=2, iterations=1)
        assert n == len(paths)
        _rate(benchmark, len(paths))
