"""
Sphinx helpers of the gov-disclosure docs: tables generated from the library's own data.

``{rules-table}`` lists :data:`gov_disclosure.RULES`; ``{cells-table}`` lists
the cell keys and official labels of one edition from the catalogue.  The docs
therefore never restate a rule or a label by hand.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import gov_disclosure as gd


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("`", "\\`")


class _TableDirective(SphinxDirective):
    def _render(
        self, header: list[str], rows: list[list[str]], widths: str = "auto"
    ) -> list[nodes.Node]:
        lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", ""]
        for row in [header, *rows]:
            first = True
            for cell in row:
                lines.append(("   * - " if first else "     - ") + (cell or " "))
                first = False
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source="gd_docs"), self.content_offset, container)
        return list(container.children)


class RulesTable(_TableDirective):
    """Every rule of :data:`gov_disclosure.RULES`."""

    option_spec: ClassVar[dict[str, Any]] = {"scope": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        scope = self.options.get("scope")
        rows = []
        for r in gd.RULES:
            if scope and r.scope != scope:
                continue
            editions = ", ".join(sorted(e.value for e in r.editions))
            rows.append(
                [
                    f"``{r.id}``",
                    r.severity.value,
                    r.basis,
                    editions,
                    f"``{_esc(r.formula)}``" if "`" not in r.formula else _esc(r.formula),
                    _esc(r.description.en),
                    _esc(r.description.zh),
                ]
            )
        return self._render(
            ["id", "severity", "spec", "editions", "formula", "description", "说明"], rows
        )


class CellsTable(_TableDirective):
    """The cell keys of one edition with their official labels."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        cat = gd.catalogue(self.arguments[0])
        rows = []
        for key, cell in cat.cells.items():
            row = " ".join(label.zh for label in cell.row.path)
            col = " ".join(label.zh for label in cell.column.path)
            rows.append([f"``{key}``", _esc(row), _esc(col), cell.kind.value])
        return self._render(["key", "row", "column", "kind"], rows)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("rules-table", RulesTable)
    app.add_directive("cells-table", CellsTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
