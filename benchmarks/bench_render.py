"""
Rendering speed: each format per report, against the same HTML written by a plain Jinja2 template.

The report is a 2021-edition report with every cell filled (values in the
thousands, so digit grouping is exercised) and a realistic narrative.  The
alternative is what an integrator would write by hand: a Jinja2 template
(autoescaping on) fed with the layout's cells, the labels and the numbers
formatted with ``"{:,}"``; it writes the same HTML (sections, headings,
paragraphs and the three tables with their spans).  Target: ``render(...,
"html")`` within 2x of the template, measured in the same run (group
``render-html``).  The other formats are timed for reference.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import jinja2
import pytest

import gov_disclosure as gd
from gov_disclosure.layout import TABLES

ED = gd.Edition.V2021
PARAGRAPH = (
    "我局坚持以习近平新时代中国特色社会主义思想为指导，认真执行《中华人民共和国政府信息公开条例》，"
    "围绕优化营商环境、市场监管执法、民生保障等重点领域，及时准确公开政策文件、行政许可、行政处罚等信息。"
)


def large_report() -> gd.AnnualReport:
    """Every cell filled with a distinct value; eight paragraphs of narrative."""
    values: dict[str, gd.CellValue] = {}
    for i, (key, cell) in enumerate(gd.catalogue(ED).cells.items()):
        if cell.optional:
            continue
        values[key] = Decimal(f"{1000 + i}.5") if cell.kind is gd.ValueKind.MONEY else 1000 + i
    base = gd.from_cells(values, agency="某市某局", year=2024)
    return gd.AnnualReport(
        agency=base.agency,
        year=base.year,
        preamble=(PARAGRAPH,),
        general=gd.General(
            paragraphs=(PARAGRAPH,),
            subsections=tuple(
                gd.Subsection(heading=f"（{n}）方面", paragraphs=(PARAGRAPH, PARAGRAPH))
                for n in "一二三"
            ),
        ),
        proactive=base.proactive,
        requests=base.requests,
        appeals=base.appeals,
        problems=gd.Problems(paragraphs=(PARAGRAPH,)),
        other_matters=gd.OtherMatters(
            paragraphs=(PARAGRAPH,),
            fees=gd.InformationFees(notices=3, notified_amount=Decimal("1200.50")),
        ),
    )


TEMPLATE = jinja2.Environment(autoescape=True).from_string(
    """<article class="gd-report" lang="zh-Hans-CN">
<h1>{{ title }}</h1>
{% for p in preamble %}<p>{{ p }}</p>
{% endfor %}{% for s in sections %}<section class="gd-section gd-{{ s.id }}">
<h2>{{ s.heading }}</h2>
{% for p in s.paragraphs %}<p>{{ p }}</p>
{% endfor %}{% if s.table %}<table class="gd-table gd-{{ s.table.key }}">
{% for row in s.table.rows %}<tr>{% for c in row %}{% if c.key %}<td data-key="{{ c.key }}"
{%- if c.rowspan > 1 %} rowspan="{{ c.rowspan }}"{% endif %}
{%- if c.colspan > 1 %} colspan="{{ c.colspan }}"{% endif %}>{{ values[c.key] }}</td>
{%- else %}<th{% if c.rowspan > 1 %} rowspan="{{ c.rowspan }}"{% endif %}
{%- if c.colspan > 1 %} colspan="{{ c.colspan }}"{% endif %}>{{ c.label.zh }}</th>{% endif %}
{%- endfor %}</tr>
{% endfor %}</table>
{% endif %}</section>
{% endfor %}</article>
"""
)


def jinja_html(report: gd.AnnualReport) -> str:
    """The same document through the Jinja2 template (labels and layout given to it)."""
    values = {k: f"{v:,}" for k, v in gd.cells(report).items()}
    tables = {t: {"key": t, "rows": gd.layout(report.edition, t).rows()} for t in TABLES}
    paragraphs: dict[str, list[str]] = {
        "general": [*report.general.paragraphs]
        + [p for s in report.general.subsections for p in (s.heading, *s.paragraphs)],
        "problems": list(report.problems.paragraphs),
        "other_matters": list(report.other_matters.paragraphs),
    }
    sections: list[dict[str, Any]] = [
        {
            "id": s.id,
            "heading": s.heading.zh,
            "paragraphs": paragraphs.get(s.id, ()),
            "table": tables.get(s.table.key) if s.table else None,
        }
        for s in gd.catalogue(report.edition).sections
    ]
    return TEMPLATE.render(
        title=f"{report.agency}{report.year}年政府信息公开工作年度报告",
        preamble=report.preamble,
        sections=sections,
        values=values,
    )


REPORT = large_report()


@pytest.mark.benchmark(group="render-html")
def test_html(benchmark: Any) -> None:
    out = benchmark(gd.render, REPORT, "html")
    assert out.count("<td data-key") == 175 + 15 + 10


@pytest.mark.benchmark(group="render-html")
def test_html_en(benchmark: Any) -> None:
    benchmark(gd.render, REPORT, "html", locale="en")


@pytest.mark.benchmark(group="render-html")
def test_jinja2_template(benchmark: Any) -> None:
    out = benchmark(jinja_html, REPORT)
    assert out.count("<td data-key") == 175 + 15 + 10


@pytest.mark.benchmark(group="render-other")
def test_text(benchmark: Any) -> None:
    benchmark(gd.render, REPORT, "text")


@pytest.mark.benchmark(group="render-other")
def test_markdown(benchmark: Any) -> None:
    benchmark(gd.render, REPORT, "markdown", locale="zh_Hant_TW")


@pytest.mark.benchmark(group="render-other")
def test_docx(benchmark: Any) -> None:
    benchmark(gd.render, REPORT, "docx")
