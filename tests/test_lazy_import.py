"""
The import stays cheap: ``import gov_disclosure`` loads none of the heavy parts, and each public name loads on first use.

Timings are benchmarks (``benchmarks/bench_import.py``); these tests guard the
order of magnitude by what a fresh interpreter has imported, which does not
depend on the machine's load.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import gov_disclosure as gd

_INIT = Path(gd.__file__)

#: Modules whose presence means a heavy part was loaded: the serialization
#: converters (cattrs), the batch engine (multiprocessing), the readers (lxml,
#: python-docx, pdfminer), the renderers' babel and distribution metadata.
_HEAVY = (
    "cattrs",
    "multiprocessing",
    "concurrent.futures",
    "lxml",
    "docx",
    "pdfminer",
    "babel",
    "importlib.metadata",
    "csv",
)


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running *code* (importing this very package)."""
    src = str(_INIT.parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    script = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    modules = set(json.loads(out.stdout.splitlines()[-1]))
    assert "gov_disclosure" in modules
    return modules


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_import_loads_nothing_heavy() -> None:
    """``import gov_disclosure`` imports no third-party package and none of the library's layers."""
    modules = _modules_after("import gov_disclosure")
    assert _loaded(modules, (*_HEAVY, "attr", "attrs", "msgspec", "orjson", "typing")) == []
    assert sorted(m for m in modules if m.startswith("gov_disclosure.")) == [
        "gov_disclosure._metadata"
    ]


def test_first_validated_report_loads_no_converter() -> None:
    """Reading, checking and writing a valid report needs neither cattrs nor babel, the batch engine or the readers."""
    modules = _modules_after(
        """
        import gov_disclosure as gd
        data = gd.to_json(gd.AnnualReport(agency="某局", year=2021))
        assert gd.check(gd.from_json(data)) == []
        """
    )
    assert _loaded(modules, _HEAVY) == []


def test_invalid_document_loads_the_strict_path() -> None:
    """The strict cattrs hooks are still there, loaded when a document needs explaining."""
    modules = _modules_after(
        """
        import gov_disclosure as gd
        try:
            gd.from_json(b'{"schema": "gov-disclosure/1", "edition": "2021"}')
        except gd.StructureError:
            pass
        else:
            raise AssertionError("accepted")
        """
    )
    assert "cattrs" in modules


def test_version_command_loads_no_layer() -> None:
    """``gov-disclosure --version`` answers before the subcommands (and the library) load."""
    modules = _modules_after(
        """
        import contextlib, io
        from gov_disclosure.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["--version"]) == 0
        assert out.getvalue() == "gov-disclosure " + __import__("gov_disclosure").__version__ + "\\n"
        """
    )
    assert _loaded(modules, (*_HEAVY, "attr", "attrs")) == []


class TestExports:
    """The three lists of ``gov_disclosure/__init__.py`` agree, and every name resolves."""

    def _type_checking_imports(self) -> dict[str, str]:
        """Exported name -> ``module`` or ``module:attribute``, from the ``if TYPE_CHECKING:`` block."""
        tree = ast.parse(_INIT.read_text(encoding="utf-8"))
        block = next(
            n
            for n in tree.body
            if isinstance(n, ast.If)
            and isinstance(n.test, ast.Name)
            and n.test.id == "TYPE_CHECKING"
        )
        out = {}
        for node in block.body:
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                for alias in node.names:
                    name = alias.asname or alias.name
                    out[name] = node.module if name == alias.name else f"{node.module}:{alias.name}"
        return out

    def test_all_matches_exports(self) -> None:
        """``__all__`` lists exactly the names of ``_EXPORTS`` (and ``__version__``)."""
        missing_in_all = sorted(set(gd._EXPORTS) - set(gd.__all__))
        missing_in_exports = sorted(set(gd.__all__) - {*gd._EXPORTS, "__version__"})
        assert missing_in_all == [], "add to __all__"
        assert missing_in_exports == [], "add to _EXPORTS"

    def test_type_checking_block_matches_exports(self) -> None:
        """The imports type checkers see name the same modules as the run-time table."""
        seen = self._type_checking_imports()
        assert {k: v for k, v in gd._EXPORTS.items() if seen.get(k) != v} == {}, (
            "_EXPORTS entries without the same import in the TYPE_CHECKING block"
        )
        assert sorted(set(seen) - set(gd._EXPORTS)) == [], "imports missing from _EXPORTS"

    @pytest.mark.parametrize("name", sorted(gd._EXPORTS))
    def test_every_name_resolves(self, name: str) -> None:
        """Each name loads from its module, is the module's object, and is listed by ``dir()``."""
        module, _, attribute = gd._EXPORTS[name].partition(":")
        expected = getattr(
            __import__(f"gov_disclosure.{module}", fromlist=["_"]), attribute or name
        )
        assert getattr(gd, name) is expected
        assert name in dir(gd)

    def test_submodule_does_not_hide_function(self) -> None:
        """Importing ``gov_disclosure.catalogue`` (``cells``, ``layout``) leaves ``gd.catalogue`` the function."""
        import gov_disclosure.catalogue
        import gov_disclosure.cells
        import gov_disclosure.layout  # noqa: F401

        assert [f.__name__ for f in (gd.catalogue, gd.cells, gd.layout)] == [
            "catalogue",
            "cells",
            "layout",
        ]

    def test_unknown_name(self) -> None:
        with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
            _ = gd.nonesuch  # type: ignore[attr-defined]


def test_many_exports() -> None:
    """``gov_disclosure.many`` lists each name once, and each resolves to its module's object."""
    from gov_disclosure import many

    assert sorted(many._EXPORTS) == sorted(many.__all__)
    for name, module in many._EXPORTS.items():
        loaded = __import__(f"gov_disclosure.many.{module}", fromlist=["_"])
        assert getattr(many, name) is getattr(loaded, name)
