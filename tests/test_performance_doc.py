"""docs/performance.md states the recorded benchmark results, not figures typed by hand."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "performance_doc", ROOT / "scripts" / "performance_doc.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_doc_is_the_recorded_results() -> None:
    """Rewriting the generated blocks from benchmarks/results/ changes nothing (run scripts/performance_doc.py)."""
    assert _script().main(["--check"]) == 0


def test_every_block_is_filled() -> None:
    """Each generated block of the document holds a table of a recorded run."""
    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    blocks = re.findall(
        r"<!-- BEGIN generated:([\w-]+) -->\n(.*?)\n<!-- END generated:\1 -->", text, re.S
    )
    assert {name for name, _ in blocks} == set(_script().BLOCKS)
    for name, body in blocks:
        assert body.startswith("Measured "), name
        assert "|---|" in body, name


def test_prose_states_no_figure() -> None:
    """Outside the generated blocks, no time or ratio is written (it would not follow a new run)."""
    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    prose = re.sub(
        r"<!-- BEGIN generated:([\w-]+) -->.*?<!-- END generated:\1 -->", "", text, flags=re.S
    )
    figures = re.findall(r"\d[\d.,]*\s*(?:µs|ms|s\b|×|x\b|%|/s)", prose)
    # The targets are the only figures of the prose (they are the issue's, not a measurement).
    allowed = {"1.5×", "3×", "1.2×", "2×"}
    assert [f for f in figures if f.replace(" ", "") not in allowed] == []
