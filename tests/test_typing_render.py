"""``render(**options)`` is typed: mypy accepts the formats' real options and refuses a misspelt one."""

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
    ],
)
def test_misspelt_option_refused(
    call: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mypy refuses an option the format does not have, naming the line of the call."""
    out, status = _mypy(f"{HEAD}{call}\n", tmp_path_factory, monkeypatch)
    assert status == 1, out
    assert "snippet.py:3: error:" in out, out
