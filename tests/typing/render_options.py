"""``render``'s keyword options as documented: ``mypy --strict`` must accept them (a misspelt one it refuses: tests/test_typing_render.py)."""

from __future__ import annotations

from typing import Any

import gov_disclosure as gd

report = gd.AnnualReport(agency="某局", year=2021)
page: str = gd.render(report, "html", standalone=True)
fragment: str = gd.render(report, "html", locale="en", standalone=False)
text: str = gd.render(report, "text", locale="zh_Hant_TW")
markdown: str = gd.render(report, "markdown")
word: bytes = gd.render(report, "docx", locale="en")
workbook: bytes = gd.render(report, "xlsx")
fmt: str = "html"
either: str | bytes = gd.render(report, fmt, locale="en")
to_page: gd.Renderer = gd.renderer("html", locale="en", standalone=True)
to_word: gd.Renderer = gd.renderer("docx")
options: dict[str, Any] = {"standalone": True}
configured: str | bytes = gd.renderer(fmt, **options)(report)
