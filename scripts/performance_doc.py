"""
Write the figures of ``docs/performance.md`` from the benchmarks' own output.

The document's prose says what each benchmark measures and how; every figure
sits between ``<!-- BEGIN generated:NAME -->`` and ``<!-- END generated:NAME -->``
and is written here from the files a benchmark run leaves in
``benchmarks/results/``:

- ``import.json``, ``serialize.json``, ``parse.json`` and ``batch.json``, written by
  ``bench_import.py``, ``bench_serialize.py``, ``bench_parse.py`` and ``bench_batch.py`` (the
  targets, measured in alternation);
- ``benchmarks.json``, every pytest-benchmark result (min, median, rounds by
  group), trimmed here from pytest-benchmark's ``--benchmark-json`` file
  (which names this machine's paths, so it is not kept).

Usage (``make bench`` runs both steps)::

    python scripts/performance_doc.py --from .benchmarks/latest.json   # keep a run, write the doc
    python scripts/performance_doc.py            # rewrite the doc from the kept results
    python scripts/performance_doc.py --check    # exit 1 if the doc is not what the results say

``tests/test_performance_doc.py`` runs the check, so a figure typed into the
document by hand, or results committed without the document, fail the tests.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DOC = ROOT / "docs" / "performance.md"


def _time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms" if seconds < 0.1 else f"{seconds * 1e3:.0f} ms"
    return f"{seconds * 1e6:.3g} µs" if seconds < 1e-4 else f"{seconds * 1e6:.0f} µs"


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _machine(doc: dict[str, Any]) -> str:
    m = doc["machine"]
    load = m.get("load_average_1min")
    load_text = f", load average {load:.1f}" if load is not None else ""
    return (
        f"{doc['measured']}, {m['implementation']} {m['python']} on {m['platform']} "
        f"({m['cpus']} CPUs{load_text})"
    )


def trim(raw: dict[str, Any], kept: dict[str, Any] | None = None) -> dict[str, Any]:
    """
    Keep of a pytest-benchmark JSON file what the document uses: no paths, no host names.

    The results of benchmark files the run did not include are taken from
    *kept* (the previous results), each with the date it was measured, so
    one file can be run again on its own.
    """
    info = raw.get("machine_info", {})
    measured = raw["datetime"][:16].replace("T", " ") + " UTC"
    rows = [
        {
            "group": b.get("group") or b["fullname"].split("::")[0],
            "name": b["name"],
            "file": b["fullname"].split("::")[0],
            "min": b["stats"]["min"],
            "median": b["stats"]["median"],
            "rounds": b["stats"]["rounds"],
            "measured": measured,
            # What a benchmark reports beside its time (ratios, bytes, counts).
            "extra": {
                k: v for k, v in b.get("extra_info", {}).items() if isinstance(v, (int, float))
            },
        }
        for b in raw["benchmarks"]
    ]
    files = {r["file"] for r in rows}
    older = [b for b in (kept or {}).get("benchmarks", []) if b["file"] not in files]
    return {
        "measured": measured,
        "machine": {
            "python": info.get("python_version"),
            "implementation": info.get("python_implementation"),
            "platform": f"{info.get('system')}-{info.get('release')}-{info.get('machine')}",
            "cpus": info.get("cpu", {}).get("count"),
            "load_average_1min": None,
        },
        "command": "make bench",
        "benchmarks": older + rows,
    }


def block_import() -> str:
    doc = _load("import")
    if doc is None:
        return "(no results yet: run `make bench`)"
    rows = [
        "| in a fresh process | min | median | × `import attrs, cattrs` (min) | target |",
        "|---|---|---|---|---|",
    ]
    targets = {
        "import gov_disclosure": "≤ 60 ms",
        "gov_disclosure: import + check(from_json(b))": "≤ pydantic's",
        "gov-disclosure --version": "< 100 ms (whole process)",
    }
    for name, t in doc["times"].items():
        ratio = t.get("vs_attrs_cattrs_min")
        rows.append(
            f"| {name} | {t['min_ms']:.1f} ms | {t['median_ms']:.1f} ms | "
            f"{'' if ratio is None else f'{ratio:.2f}'} | {targets.get(name, '')} |"
        )
    vs = doc["times"]["gov_disclosure: import + check(from_json(b))"]["vs_pydantic_min"]
    return "\n".join(
        [
            f"Measured {_machine(doc)}; {doc['rounds']} rounds, alternating; "
            f"command: `{doc['command']}`.",
            "",
            *rows,
            "",
            f"Import plus the first validated report against pydantic's: {vs:.2f}× by the min.",
        ]
    )


def block_serialize() -> str:
    doc = _load("serialize")
    if doc is None:
        return "(no results yet: run `make bench`)"
    out = [
        f"Measured {_machine(doc)}; command: `{doc['command']}`.",
        "",
        f"The synthetic report ({doc['synthetic_bytes']:,} bytes of JSON):",
        "",
        "| contender | min | median | × `orjson.loads` (min / median) |",
        "|---|---|---|---|",
    ]
    for name, t in doc["synthetic"].items():
        out.append(
            f"| {name} | {t['min_us']:.1f} µs | {t['median_us']:.1f} µs | "
            f"{t['ratio_min']:.2f} / {t['ratio_median']:.2f} |"
        )
    out += [
        "",
        "The corpus reports (× `orjson.loads` of the same bytes, by the min; median in brackets):",
        "",
        "| document | bytes | findings | blank cells | `from_json` | `check(from_json)` | `to_json` |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, d in doc["corpus"].items():
        cells = " | ".join(
            f"{d[k]['ratio_min']:.2f} ({d[k]['ratio_median']:.2f})"
            for k in ("from_json", "check(from_json)", "to_json")
        )
        out.append(f"| {name} | {d['bytes']:,} | {d['findings']} | {d['blank_cells']} | {cells} |")
    s = doc["corpus_summary"]
    targets = {
        "check(from_json)": ("≤ 1.5", "≤ 3"),
        "to_json": ("≤ 1.2", "≤ 1.2"),
        "from_json": ("", ""),
    }
    out += [
        "",
        "| over the corpus | mean (min / median) | worst (min / median) | target mean | target worst |",
        "|---|---|---|---|---|",
    ]
    for k, v in s.items():
        mean_t, worst_t = targets[k]
        out.append(
            f"| `{k}` | {v['mean_ratio_min']:.2f} / {v['mean_ratio_median']:.2f} | "
            f"{v['worst_ratio_min']:.2f} / {v['worst_ratio_median']:.2f} | {mean_t} | {worst_t} |"
        )
    return "\n".join(out)


def block_parse_ratios() -> str:
    doc = _load("parse")
    if doc is None:
        return "(no results yet: run `make bench`)"
    out = [
        f"Measured {_machine(doc)}; command: `{doc['command']}`.",
        "",
        f"The contenders timed in turns on fresh input, {doc['rounds']} rounds; "
        "times per page, min / median:",
        "",
    ]
    targets = {
        ("synthetic", "gd.parse"): "≥ 1,000 /s and ≤ 3× lxml",
        ("001.html", "assemble (fresh rows)"): "≥ 600 /s",
    }
    for name, page in doc["pages"].items():
        what = "a clean rendering" if name == "synthetic" else "a real published page"
        out += [
            f"`{name}` ({what}, {page['bytes']:,} bytes of HTML):",
            "",
            "| contender | min | median | pages per second (min / median) | × lxml's parse (min / median) | target |",
            "|---|---|---|---|---|---|",
        ]
        for who, f in page["contenders"].items():
            out.append(
                f"| {who} | {_time(f['min_us'] / 1e6)} | {_time(f['median_us'] / 1e6)} | "
                f"{f['per_s_min']:,} / {f['per_s_median']:,} | "
                f"{f['x_lxml_min']:.2f} / {f['x_lxml_median']:.2f} | {targets.get((name, who), '')} |"
            )
        out.append("")
    return "\n".join(out).rstrip()


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def block_batch() -> str:
    doc = _load("batch")
    if doc is None:
        return "(no results yet: run `make bench`)"
    out = [f"Measured {_machine(doc)}; command: `{doc['command']}`."]
    scaling = [(k.removeprefix("scaling_"), v) for k, v in doc.items() if k.startswith("scaling_")]
    if scaling:
        out += [
            "",
            "Two processes against one (speed-up: the time on one over the time on two; "
            f"{scaling[0][1]['rounds']} rounds, alternating):",
            "",
            "| workload | files | batch speed-up (min / median) | CPU loop speed-up "
            "(min / median) | batch ÷ loop (min / median) | batch ÷ loop, median of the "
            "rounds | target |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, s in scaling:
            out.append(
                f"| {name} | {s['files']:,} | {s['batch_speedup_min']:.2f} / "
                f"{s['batch_speedup_median']:.2f} | {s['loop_speedup_min']:.2f} / "
                f"{s['loop_speedup_median']:.2f} | {s['fraction_of_loop_min']:.2f} / "
                f"{s['fraction_of_loop_median']:.2f} | "
                f"{s['fraction_of_loop_per_round_median']:.2f} | ≥ 0.9 |"
            )
    memory = doc.get("memory")
    if memory:
        out += [
            "",
            "Peak memory of a whole run (two workers, Parquet output):",
            "",
            "| files | time | whole process tree | main process | largest worker "
            "| results + cells files |",
            "|---|---|---|---|---|---|",
        ]
        for n, m in memory.items():
            if not isinstance(m, dict):
                continue
            out.append(
                f"| {int(n):,} | {m['seconds']:.0f} s | {_mib(m['tree_peak_rss_kib'])} | "
                f"{_mib(m['main_maxrss_kib'])} | {_mib(m['worker_maxrss_kib'])} | "
                f"{(m['results_bytes'] + m['cells_bytes']) / 2**20:.1f} MiB |"
            )
        out += [
            "",
            "Peak of the whole tree at the most files over the peak at the fewest: "
            f"{memory['growth_100k_over_1k']:.2f}× (target: flat).",
        ]
    return "\n".join(out)


def block_groups(files: tuple[str, ...]) -> str:
    doc = _load("benchmarks")
    if doc is None:
        return "(no results yet: run `make bench`)"
    rows = [b for b in doc["benchmarks"] if b["file"].endswith(files)]
    if not rows:
        return "(not in the recorded run)"
    dates = sorted({b.get("measured", doc["measured"]) for b in rows})
    out = [
        f"Measured {_machine(doc | {'measured': ' and '.join(dates)})}; command: `{doc['command']}`."
    ]
    groups: dict[str, list[dict[str, Any]]] = {}
    for b in rows:
        groups.setdefault(b["group"], []).append(b)
    for group, items in groups.items():
        fastest = min(b["min"] for b in items)
        ratio = not group.endswith(".py")  # a named group compares like with like
        out += [
            "",
            f"Group `{group}`:",
            "",
            "| benchmark | min | median | rounds |"
            + (" × fastest (min) |" if ratio else "")
            + " reported beside the time |",
            "|---|---|---|---|" + ("---|" if ratio else "") + "---|",
        ]
        for b in items:
            extra = ", ".join(f"{k} {v:g}" for k, v in b.get("extra", {}).items())
            out.append(
                f"| `{b['name']}` | {_time(b['min'])} | {_time(b['median'])} | {b['rounds']} |"
                + (f" {b['min'] / fastest:.2f} |" if ratio else "")
                + f" {extra} |"
            )
    return "\n".join(out)


BLOCKS = {
    "import": block_import,
    "serialize": block_serialize,
    "serialize-groups": lambda: block_groups(("bench_serialize.py",)),
    "core": lambda: block_groups(("bench_core.py",)),
    "render": lambda: block_groups(("bench_render.py",)),
    "aggregate": lambda: block_groups(("bench_aggregate.py",)),
    "batch": block_batch,
    "parse-ratios": block_parse_ratios,
    "parse": lambda: block_groups(("bench_parse.py",)),
    "xlsx": lambda: block_groups(("bench_xlsx.py",)),
}

_BLOCK = re.compile(
    r"(<!-- BEGIN generated:(?P<name>[\w-]+) -->\n)(?:.*?\n)?(<!-- END generated:(?P=name) -->)",
    re.S,
)


def render(text: str) -> str:
    """*text* (the document) with every generated block rewritten from the results."""

    def fill(m: re.Match[str]) -> str:
        return m.group(1) + BLOCKS[m.group("name")]() + "\n" + m.group(3)

    return _BLOCK.sub(fill, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--from", dest="source", type=Path, help="a pytest-benchmark JSON file")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if outdated")
    args = parser.parse_args(argv)
    if args.source:
        raw = json.loads(args.source.read_text(encoding="utf-8"))
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "benchmarks.json").write_text(
            json.dumps(trim(raw, _load("benchmarks")), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
    text = DOC.read_text(encoding="utf-8")
    new = render(text)
    if args.check:
        if new != text:
            print(f"{DOC.relative_to(ROOT)} does not state the recorded results: run {__file__}")
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
