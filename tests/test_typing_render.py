"""
``render(**options)``, ``renderer(**options)`` and the result dicts are typed: mypy refuses a misspelt option or key.

The usage files (tests/typing) hold the documented calls, which mypy must
accept; each snippet here holds one mistake on its line 3, which it must
refuse there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api")

SRC = Path(__file__).resolve().parents[1] / "src"
USAGE = Path(__file__).resolve().parent / "typing" / "render_options.py"


def _mypy(
    code: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, int]:
    """mypy --strict on *code* against this checkout's package: (its report, its exit status)."""
    folder = tmp_path_factory.mktemp("snippet")
    snippet = folder / "snippet.py"
    snippet.write_text(code, encoding="utf-8")
    # This checkout's src before any installed copy; one cache for the module's runs.
    monkeypatch.setenv("MYPYPATH", str(SRC))
    cache = tmp_path_factory.getbasetemp() / "mypy-cache"
    out, err, status = api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(cache), str(snippet)]
    )
    return out + err, status


HEAD = 'import gov_disclosure as gd\nreport = gd.AnnualReport(agency="某局", year=2021)\n'


def test_documented_options_accepted(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The usage file (every built-in format with its options) type-checks."""
    out, status = _mypy(USAGE.read_text(encoding="utf-8"), tmp_path_factory, monkeypatch)
    assert status == 0, out


@pytest.mark.parametrize(
    "call",
    [
        'gd.render(report, "html", standalon=True)',  # misspelt
        'gd.render(report, "text", standalone=True)',  # an option of another format
        'gd.render(report, "docx", locale="en", font="SimSun")',  # no such option
        'gd.render(report, "html", standalone="yes")',  # the wrong type
        'gd.renderer("html", standalon=True)',  # misspelt
        'gd.renderer("markdown", standalone=True)',  # an option of another format
        'gd.renderer("xlsx", locale="en", sheet="t1")',  # no such option
    ],
)
def test_misspelt_option_refused(
    call: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mypy refuses an option the format does not have, naming the line of the call."""
    out, status = _mypy(f"{HEAD}{call}\n", tmp_path_factory, monkeypatch)
    assert status == 1, out
    assert "snippet.py:3: error:" in out, out


@pytest.mark.parametrize(
    "line",
    [
        'gd.to_dict(report)["agencyy"]',  # misspelt document key
        'gd.to_dict(report)["appeals"]["review"]["totals"]',  # misspelt nested key
        'x: str = gd.to_dict(report)["year"]',  # a count is an int
        'gd.to_rows([report])[0]["vaule"]',  # misspelt row column
        'b: str = gd.to_rows([report])[0]["blank"]',  # blank is a bool
        'gd.read_rows("rows.csv")[0]["unti"]',  # misspelt column of a read row
        'gd.from_rows([{"agency": "某局", "year": 2021, "edition": "2021", "kye": "t", "value": 1}])',
        'gd.from_dict({"schema": "gov-disclosure/1", "agency": "某局"})',  # keys missing
        't: gd.TidyRow = {"agency": "某局", "year": 2021, "edition": "2020", "key": "k", "value": 1, "unit": "", "blank": False}',
    ],
)
def test_misspelt_key_refused(
    line: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mypy refuses a key the document or row does not have, or a value of the wrong type."""
    out, status = _mypy(f"{HEAD}{line}\n", tmp_path_factory, monkeypatch)
    assert status == 1, out
    assert "snippet.py:3: error:" in out, out


def test_typed_results_accepted(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same lines, spelt right, type-check: the refusals above are about the mistake."""
    lines = [
        'a: str = gd.to_dict(report)["agency"]',
        'n: int = gd.to_dict(report)["appeals"]["review"]["total"]',
        'v: object = gd.to_rows([report])[0]["value"]',
        'b: bool = gd.to_rows([report])[0]["blank"]',
        'u: str | None = gd.read_rows("rows.csv")[0].get("unit")',
        'rs = gd.from_rows([{"agency": "某局", "year": 2021, "edition": "2021", "key": "t", "value": 1}])',
        "r = gd.from_dict(gd.to_dict(report))",
        't: gd.TidyRow = {"agency": "某局", "year": 2021, "edition": "2021", "key": "k", "value": 1, "unit": "", "blank": False}',
        'h = gd.renderer("html", standalone=True)',
    ]
    out, status = _mypy(HEAD + "\n".join(lines) + "\n", tmp_path_factory, monkeypatch)
    assert status == 0, out
