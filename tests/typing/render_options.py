"""``render``'s keyword options as documented: ``mypy --strict`` must accept them (a misspelt one it refuses: tests/test_typing_render.py)."""

from __future__ import annotations

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
configured: str | bytes = gd.renderer(fmt, standalone=True)(report)
