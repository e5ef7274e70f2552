"""
Import time: ``import gov_disclosure``, the first validated report and ``gov-disclosure --version``, in fresh processes.

Each contender is a fresh interpreter (``python -c``) that times its own work
with ``time.perf_counter`` around the statements (interpreter start-up is
not counted; ``--version`` is also timed whole, start-up included, against
``python -c pass``).  The contenders run in alternation, round after round,
so that the ratios compare like with like on a loaded machine; min and
median.  Alternatives: ``import attrs, cattrs`` (what the library's model and
converters are built on) and ``import pydantic``; for the first validated
report, pydantic models of the same shape (generated from the model into a
module file, so that the child process imports no gov_disclosure)
validating the same bytes.

Targets: ``import gov_disclosure`` <= 60 ms; import plus the first validated
report <= pydantic's; ``gov-disclosure --version`` under 100 ms whole.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import attrs

import gov_disclosure as gd
from gov_disclosure.serialize._kinds import field_kind, section_types

from ._ratios import record
from .bench_serialize import DATA

_SRC = str(Path(gd.__file__).resolve().parents[1])
_COMMAND = (
    "make bench  # or: pytest benchmarks/bench_import.py --benchmark-only "
    "-o python_files='bench_*.py' -s"
)

#: What each child runs, timed inside the child (start-up excluded).
_TIMED = {
    "import gov_disclosure": "import gov_disclosure",
    "import attrs, cattrs": "import attrs, cattrs",
    "import pydantic": "import pydantic",
    "gov_disclosure: import + check(from_json(b))": (
        "import gov_disclosure as gd\nassert gd.check(gd.from_json(DATA)) == []"
    ),
    "pydantic: import + model_validate_json(b)": (
        "import pd_mirror\npd_mirror.AnnualReport.model_validate_json(DATA)"
    ),
}


def _pydantic_source() -> str:
    """A module of pydantic models with the 2021 report's shape (strict, extra keys forbidden)."""
    edition = gd.Edition.V2021
    types = section_types(edition)
    scalars = {
        "count": "Annotated[int, Field(ge=0)]",
        "signed": "int",
        "year": "int",
        "money": "Decimal",
        "text": "str",
        "texts": "list[str]",
        "optional_count": "Optional[Annotated[int, Field(ge=0)]]",
        "optional_money": "Optional[Decimal]",
        "optional_text": "Optional[str]",
    }
    classes: dict[type, str] = {}
    out: list[str] = []

    def model(cls: type) -> str:
        if cls in classes:
            return classes[cls]
        lines = []
        for f in attrs.fields(cls):
            kind: Any = field_kind(cls, f)
            if cls is gd.AnnualReport and f.name == "edition":
                hint = "str"
            elif cls is gd.AnnualReport and f.name == "blank_cells":
                hint = "list[str]"
            elif cls is gd.AnnualReport and f.name == "proactive":
                hint = model(types["proactive"])
            elif cls is gd.AnnualReport and f.name == "requests":
                hint = model(gd.Requests)
            elif cls is gd.Requests and f.name == "other":
                hint = model(types["other"])
            elif isinstance(kind, str):
                hint = scalars[kind]
            elif isinstance(kind, tuple) and kind[0] == "seq":
                hint = f"list[{model(kind[1])}]"
            elif isinstance(kind, tuple) and kind[0] == "optional":
                hint = f"Optional[{model(kind[1])}]"
            else:
                hint = model(kind)
            lines.append(f"    {f.name}: {hint}")
        if cls is gd.AnnualReport:
            lines.insert(0, '    schema_: str = Field(alias="schema")')
        name = classes[cls] = f"{cls.__name__}"
        out.append(f"class {name}(BaseModel):\n    model_config = CONFIG\n" + "\n".join(lines))
        return name

    model(gd.AnnualReport)
    head = (
        "from decimal import Decimal\nfrom typing import Annotated, Optional\n"
        "from pydantic import BaseModel, ConfigDict, Field\n"
        'CONFIG = ConfigDict(strict=False, extra="forbid", frozen=True)\n'
    )
    return head + "\n\n".join(out) + "\n"


def _child(code: str, data_file: Path, workdir: Path) -> float:
    """Run *code* in a fresh interpreter; return the time it measured itself (seconds)."""
    script = textwrap.dedent(
        f"""
        import time
        DATA = open({str(data_file)!r}, "rb").read()
        t0 = time.perf_counter()
        {{code}}
        print(time.perf_counter() - t0)
        """
    ).replace("{code}", code.replace("\n", "\n" + " " * 0))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([_SRC, str(workdir)])}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.split()[-1])


def _whole(args: list[str]) -> float:
    """Wall time of a whole fresh process (start-up included)."""
    env = {**os.environ, "PYTHONPATH": _SRC}
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], env=env, capture_output=True, check=True)
    return time.perf_counter() - start


def test_import_times(benchmark: Any, tmp_path: Path) -> None:
    """Every contender in fresh processes, alternating, 15 rounds; min and median (ms)."""
    (tmp_path / "pd_mirror.py").write_text(_pydantic_source(), encoding="utf-8")
    data_file = tmp_path / "report.json"
    data_file.write_bytes(DATA)
    whole = {
        "python -c pass (start-up)": ["-c", "pass"],
        "gov-disclosure --version": [
            "-c",
            "import sys; from gov_disclosure.cli import main; sys.exit(main(['--version']))",
        ],
    }
    for code in _TIMED.values():  # once, untimed: compile the .pyc files
        _child(code, data_file, tmp_path)

    def run() -> dict[str, list[float]]:
        times: dict[str, list[float]] = {k: [] for k in (*_TIMED, *whole)}
        for _ in range(15):
            for name, code in _TIMED.items():
                times[name].append(_child(code, data_file, tmp_path))
            for name, args in whole.items():
                times[name].append(_whole(args))
        return times

    times = benchmark.pedantic(run, rounds=1, iterations=1)
    ms = {
        k: {"min_ms": round(min(v) * 1e3, 1), "median_ms": round(statistics.median(v) * 1e3, 1)}
        for k, v in times.items()
    }
    base = ms["import attrs, cattrs"]
    for k in _TIMED:
        ms[k]["vs_attrs_cattrs_min"] = round(ms[k]["min_ms"] / base["min_ms"], 2)
    pyd = ms["pydantic: import + model_validate_json(b)"]["min_ms"]
    ms["gov_disclosure: import + check(from_json(b))"]["vs_pydantic_min"] = round(
        ms["gov_disclosure: import + check(from_json(b))"]["min_ms"] / pyd, 2
    )
    benchmark.extra_info.update(ms)
    record("import", {"times": ms, "rounds": 15}, command=[_COMMAND])
    print()
    for k, v in ms.items():
        print(f"{k}: {v}")
    assert all(v["min_ms"] > 0 for v in ms.values())
