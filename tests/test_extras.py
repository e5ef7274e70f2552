"""Optional features without their extra: one error of the library's hierarchy naming the extra."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover -- Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _extras() -> dict[str, list[str]]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        extras: dict[str, list[str]] = tomllib.load(f)["project"]["optional-dependencies"]
    return extras


def _hide(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make *modules* (and their submodules) impossible to import, as if not installed."""
    for name in list(sys.modules):
        if any(name == m or name.startswith(m + ".") for m in modules):
            monkeypatch.delitem(sys.modules, name)
    for m in modules:
        monkeypatch.setitem(sys.modules, m, None)


def _report() -> gd.AnnualReport:
    return gd.AnnualReport(agency="某局", year=2021)


def _docx_bytes() -> bytes:
    out = gd.render(_report(), "docx")
    assert isinstance(out, bytes)
    return out


def _html() -> str:
    out = gd.render(_report(), "html")
    assert isinstance(out, str)
    return out


CASES: list[tuple[str, tuple[str, ...], str, Callable[[Path], object]]] = [
    ("html", ("lxml",), "parsing HTML", lambda tmp: gd.parse(_html(), format="html")),
    (
        "docx",
        ("lxml",),
        "parsing DOCX",
        lambda tmp: gd.parse(_docx_bytes(), format="docx"),
    ),
    ("docx", ("docx",), "docx", lambda tmp: gd.render(_report(), "docx")),
    ("pdf", ("pypdfium2",), "parsing PDF", lambda tmp: gd.parse(b"%PDF-1.4\n", format="pdf")),
    (
        "parquet",
        ("pyarrow",),
        "Parquet",
        lambda tmp: gd.write_rows([_report()], tmp / "r.parquet"),
    ),
    (
        "hypothesis",
        ("hypothesis",),
        "gov_disclosure.strategies",
        lambda tmp: importlib.import_module("gov_disclosure.strategies"),
    ),
]


@pytest.mark.parametrize(("extra", "modules", "feature", "use"), CASES)
def test_missing_extra(
    extra: str,
    modules: tuple[str, ...],
    feature: str,
    use: Callable[[Path], object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each optional feature without its library raises MissingExtraError naming the extra."""
    docx = _docx_bytes() if "parsing DOCX" in feature else None  # made while lxml is there
    if docx is not None:
        use = lambda tmp: gd.parse(docx, format="docx")  # noqa: E731
    _hide(monkeypatch, *modules)
    monkeypatch.delitem(sys.modules, "gov_disclosure.strategies", raising=False)
    with pytest.raises(gd.MissingExtraError) as e:
        use(tmp_path)
    assert e.value.extra == extra
    assert extra in _extras(), "the error names an extra that pyproject.toml lacks"
    assert f'pip install "gov-disclosure[{extra}]"' in str(e.value)
    assert feature in str(e.value)
    assert isinstance(e.value, ImportError)
    assert isinstance(e.value, gd.GovDisclosureError)


def test_extras_list_what_the_code_imports() -> None:
    """Each extra's libraries: the ones the error names are in it (no extra the code never uses)."""
    extras = _extras()
    assert set(extras) == {"hypothesis", "html", "docx", "xlsx", "pdf", "parquet", "json"}
    assert any(r.startswith("lxml") for r in extras["docx"])  # the DOCX parser reads XML with lxml


def test_check_prints_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check`` on HTML without lxml: one line naming the extra, exit 2, no traceback."""
    page = tmp_path / "r.html"
    page.write_text(_html(), encoding="utf-8")
    _hide(monkeypatch, "lxml")
    assert main(["check", str(page)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        'gov-disclosure check: parsing HTML needs lxml: pip install "gov-disclosure[html]"\n'
    )


def test_broken_install_is_quoted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A library that is installed but fails to import is named with its own error."""
    from gov_disclosure._extras import require

    def broken(name: str, *args: object, **kwargs: object) -> object:
        if name == "json":
            raise ImportError("numpy.core.multiarray failed to import", name="numpy.core")
        return importlib.__import__(name, *args, **kwargs)  # pragma: no cover

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(gd.MissingExtraError, match=r"cannot import it: numpy\.core\.multiarray"):
        require("json", extra="json", feature="fast JSON")


def test_parse_command_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``parse`` on a Word file without lxml: one line naming the docx extra, exit 2."""
    doc = tmp_path / "r.docx"
    doc.write_bytes(_docx_bytes())
    _hide(monkeypatch, "lxml")
    assert main(["parse", str(doc)]) == 2
    assert capsys.readouterr().err == (
        'gov-disclosure parse: parsing DOCX needs lxml: pip install "gov-disclosure[docx]"\n'
    )
