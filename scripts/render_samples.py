"""
Write sample renderings for the rendering guide's screenshots (a manual step, not part of make test).

Writes ``changchun.{html,docx}`` (the bundled real report) and
``large-<locale>.{html,docx}`` (a large report drawn from the public
strategies with a fixed seed) into the folder given as the only argument.
The screenshots are then taken as docs/guides/rendering.md describes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

import gov_disclosure as gd
from gov_disclosure.strategies import reports

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "changchun_2021.txt"


def build() -> gd.AnnualReport:
    """The bundled real report, parsed from its published text."""
    return gd.parse(EXAMPLE).report


def large_report() -> gd.AnnualReport:
    """
    A large report from ``strategies.reports`` (counts up to 5000, narratives), seeded.

    Of 50 seeded draws, the one with the most non-zero cells and paragraphs.
    """
    found: list[gd.AnnualReport] = []

    @seed(2021)
    @settings(max_examples=50, database=None, suppress_health_check=list(HealthCheck))
    @given(reports("2021", max_count=5000))
    def draw(report: gd.AnnualReport) -> None:
        found.append(report)

    def size(r: gd.AnnualReport) -> int:
        text = len(r.preamble) + len(r.general.paragraphs) + len(r.problems.paragraphs)
        return sum(1 for v in gd.cells(r).values() if v) + 3 * text

    draw()
    return max(found, key=size)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    samples = {"changchun": (build(), "zh_Hans_CN"), "large": (large_report(), "zh_Hant_TW")}
    for name, (report, locale) in samples.items():
        locales = [locale] if name == "changchun" else [locale, "en"]
        for loc in locales:
            stem = name if name == "changchun" else f"{name}-{loc}"
            html = gd.render(report, "html", locale=loc, standalone=True)
            (out / f"{stem}.html").write_text(html, encoding="utf-8")
            (out / f"{stem}.docx").write_bytes(gd.render(report, "docx", locale=loc))
            print(out / stem)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "build/samples"))
