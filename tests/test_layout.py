"""Tests for :func:`gov_disclosure.layout`: the official tables as grids with spans."""

from __future__ import annotations

import pytest

import gov_disclosure as gd
from gov_disclosure.layout import TABLES, CellKind

EDITIONS = list(gd.Edition)
CASES = [(ed, t) for ed in EDITIONS for t in TABLES]


def _by_text(lay: gd.Layout, zh: str) -> gd.LayoutCell:
    found = [c for c in lay.cells if c.label is not None and c.label.zh == zh]
    assert len(found) == 1, (zh, found)
    return found[0]


class TestCoverage:
    @pytest.mark.parametrize(("edition", "table"), CASES)
    def test_every_cell_key_once(self, edition: gd.Edition, table: str) -> None:
        """Each cell key of the table appears in exactly one value cell, and nothing else does."""
        lay = gd.layout(edition, table)
        keys = [c.key for c in lay.cells if c.kind is CellKind.VALUE]
        expected = [k for k in gd.catalogue(edition).cells if k.startswith(table + ".")]
        assert sorted(expected) == sorted(keys)
        assert len(keys) == len(set(keys))

    @pytest.mark.parametrize(("edition", "table"), CASES)
    def test_grid_covered_without_overlap(self, edition: gd.Edition, table: str) -> None:
        """The cells' rectangles tile the n_rows x n_cols grid exactly once."""
        lay = gd.layout(edition, table)
        seen: dict[tuple[int, int], gd.LayoutCell] = {}
        for cell in lay.cells:
            assert cell.rowspan >= 1
            assert cell.colspan >= 1
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    assert (r, c) not in seen
                    seen[r, c] = cell
        assert set(seen) == {(r, c) for r in range(lay.n_rows) for c in range(lay.n_cols)}
        grid = lay.grid()
        assert all(grid[r][c] is cell for (r, c), cell in seen.items())

    @pytest.mark.parametrize(("edition", "table"), CASES)
    def test_label_cells_carry_labels(self, edition: gd.Edition, table: str) -> None:
        """Value cells carry a key and no label; header, caption and row-label cells a label."""
        for cell in gd.layout(edition, table).cells:
            if cell.kind is CellKind.VALUE:
                assert cell.key is not None
                assert cell.label is None
            else:
                assert cell.key is None
                if cell.kind is not CellKind.CORNER:
                    assert cell.label is not None

    def test_cached(self) -> None:
        """The same layout object is returned for an edition given as enum or string."""
        assert gd.layout("2021", "t3") is gd.layout(gd.Edition.V2021, "t3")


class TestSection2:
    @pytest.mark.parametrize(
        ("edition", "widths"),
        [(gd.Edition.V2021, [3, 1, 1, 1]), (gd.Edition.V2019, [3, 3, 3, 2, 2])],
    )
    def test_parts_stacked_with_captions(self, edition: gd.Edition, widths: list[int]) -> None:
        """Each part starts with a full-width caption row, then a 信息内容 header row."""
        lay = gd.layout(edition, "t2")
        rows = lay.rows()
        captions = [i for i, row in enumerate(rows) if row[0].kind is CellKind.CAPTION]
        assert len(widths) == len(captions)
        assert lay.n_cols == 4
        for i, width in zip(captions, widths, strict=True):
            assert lay.n_cols == rows[i][0].colspan
            header = rows[i + 1]
            assert header[0].text == "信息内容"
            assert width == len(header) - 1
            assert lay.n_cols - 1 == sum(c.colspan for c in header[1:])

    def test_narrow_value_spans_remaining_width(self) -> None:
        """A one-column part's value cell spans the three data columns."""
        cell = gd.layout("2021", "t2").value_cells()["t2.licensing.decisions"]
        assert (cell.col, cell.colspan) == (1, 3)


class TestSection3:
    @pytest.mark.parametrize("edition", EDITIONS)
    def test_header(self, edition: gd.Edition) -> None:
        """The corner spans header rows and label columns; 申请人情况 spans all seven columns."""
        lay = gd.layout(edition, "t3")
        corner = lay.grid()[0][0]
        assert CellKind.CORNER is corner.kind
        assert corner.label is not None
        assert "勾稽关系" in corner.label.zh
        assert (corner.rowspan, corner.colspan) == (3, 3)
        assert _span(_by_text(lay, "申请人情况")) == (0, 3, 1, 7)
        assert _span(_by_text(lay, "自然人")) == (1, 3, 2, 1)
        assert _span(_by_text(lay, "法人或其他组织")) == (1, 4, 1, 5)
        assert _span(_by_text(lay, "总计")) == (1, 9, 2, 1)

    @pytest.mark.parametrize(("edition", "other_rows"), [("2019", 1), ("2021", 3)])
    def test_row_groups(self, edition: str, other_rows: int) -> None:
        """三、本年度办理结果 spans every outcome row; （三）… groups span their sub-rows."""
        lay = gd.layout(edition, "t3")
        outcomes = _by_text(lay, "三、本年度办理结果")
        assert (outcomes.row, outcomes.col) == (3 + 2, 0)
        assert 2 + 8 + 3 + 5 + other_rows + 1 == outcomes.rowspan
        assert (
            _by_text(lay, "（三）不予公开").rowspan,
            _by_text(lay, "（三）不予公开").colspan,
        ) == (8, 1)
        assert _by_text(lay, "（四）无法提供").rowspan == 3
        assert _by_text(lay, "（五）不予处理").rowspan == 5
        other = _by_text(lay, "（六）其他处理")
        assert (other_rows, 1 if other_rows > 1 else 2) == (other.rowspan, other.colspan)
        assert (
            _by_text(lay, "（一）予以公开").rowspan,
            _by_text(lay, "（一）予以公开").colspan,
        ) == (1, 2)
        top = _by_text(lay, "一、本年新收政府信息公开申请数量")
        assert (top.rowspan, top.colspan) == (1, 3)


class TestSection4:
    @pytest.mark.parametrize("edition", EDITIONS)
    def test_three_level_header(self, edition: gd.Edition) -> None:
        """行政复议 spans two header rows over its five leaves; 行政诉讼 splits in two groups."""
        lay = gd.layout(edition, "t4")
        assert (lay.n_rows, lay.n_cols) == (4, 15)
        assert _span(_by_text(lay, "行政复议")) == (0, 0, 2, 5)
        assert _span(_by_text(lay, "行政诉讼")) == (0, 5, 1, 10)
        assert _span(_by_text(lay, "未经复议直接起诉")) == (1, 5, 1, 5)
        assert _span(_by_text(lay, "复议后起诉")) == (1, 10, 1, 5)
        assert all(c.kind is CellKind.VALUE for c in lay.rows()[3])
        assert all(c.kind is CellKind.HEADER for c in lay.rows()[2])


class TestErrors:
    def test_unknown_table(self) -> None:
        """An unknown table key raises a GovDisclosureError naming the choices."""
        with pytest.raises(gd.GovDisclosureError, match="t2, t3, t4"):
            gd.layout("2021", "t6")

    def test_unknown_edition(self) -> None:
        """An unknown edition raises UnsupportedEditionError."""
        with pytest.raises(gd.UnsupportedEditionError, match="2019, 2021"):
            gd.layout("2018", "t3")


def _span(cell: gd.LayoutCell) -> tuple[int, int, int, int]:
    return (cell.row, cell.col, cell.rowspan, cell.colspan)
