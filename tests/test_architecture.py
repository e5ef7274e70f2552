"""
The package's layout is its architecture: layers that import only downwards, no cycles, small modules.

The contracts themselves live in ``pyproject.toml`` (``[tool.importlinter]``)
so that ``lint-imports`` and these tests read the same ones; the docs'
architecture page draws the same graph.
"""

from __future__ import annotations

import graphlib
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

import gov_disclosure

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(gov_disclosure.__file__).parent
#: The size above which a module is split along its stages (STYLE.md).
MAX_LINES = 800


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("gov_disclosure", cache_dir=None)


class TestLayers:
    def test_contracts_kept(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every import-linter contract of pyproject.toml holds (layers, no root import, acyclic siblings)."""
        status = lint_imports(
            config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True
        )
        out = capsys.readouterr().out
        assert status == 0, out
        assert "Contracts: 3 kept, 0 broken." in out

    def test_no_module_cycle(self, graph: grimp.ImportGraph) -> None:
        """No chain of imports, at module level or inside functions, leads back to where it started."""
        sorter = graphlib.TopologicalSorter(
            {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
        )
        sorter.prepare()  # raises CycleError naming the cycle

    def test_lower_layers_import_nothing_above(self, graph: grimp.ImportGraph) -> None:
        """The catalogue and the model import nothing of the library but the layers below them."""
        for low, allowed in (
            ("gov_disclosure.catalogue", {"gov_disclosure.errors"}),
            ("gov_disclosure.model", {"gov_disclosure.errors", "gov_disclosure.catalogue"}),
        ):
            modules = {low} | graph.find_descendants(low)
            imported = {
                m
                for module in modules
                for m in graph.find_modules_directly_imported_by(module)
                if m.startswith("gov_disclosure")
            }
            outside = {
                m
                for m in imported - modules
                if not any(m == a or m.startswith(a + ".") for a in allowed)
            }
            assert outside == set(), low

    def test_rules_know_nothing_of_aggregation(self, graph: grimp.ImportGraph) -> None:
        """check() explains an Aggregate's findings through the Aggregate, not by importing it."""
        chain = graph.find_shortest_chain(
            importer="gov_disclosure.rules", imported="gov_disclosure.many"
        )
        assert chain is None


class TestModuleSize:
    @pytest.mark.parametrize(
        "path",
        sorted(PACKAGE.rglob("*.py")),
        ids=lambda p: str(p.relative_to(PACKAGE)),
    )
    def test_small(self, path: Path) -> None:
        """No module is over about 800 lines: larger ones are split along their stages."""
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= MAX_LINES, f"{path.name}: {lines} lines"
