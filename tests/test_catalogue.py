"""The catalogue is the one source of truth: it agrees with the typed model, FORMAT.md and CELLS.md."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import gov_disclosure as gd

#: The format's spec and cell keys: pages of the docs (``docs/spec/FORMAT.md``, ``CELLS.md``).
SPEC = Path(__file__).resolve().parents[1] / "docs" / "spec"

#: Where a section field is a union of classes, the class each edition uses.
EDITION_CLASSES: dict[gd.Edition, set[type]] = {
    gd.Edition.V2019: {gd.Proactive2019, gd.ApplicantCounts},
    gd.Edition.V2021: {gd.Proactive2021, gd.OtherHandling},
}
#: The sections of AnnualReport that hold numeric cells.
CELL_SECTIONS = ("proactive", "requests", "appeals", "other_matters")


def _resolve(tp: Any, edition: gd.Edition) -> Any:
    """The one type a field has in *edition*: unions of classes resolved, ``None`` dropped."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
        classes = [a for a in args if attrs.has(a)]
        if classes:
            (chosen,) = [a for a in classes if a in EDITION_CLASSES[edition]]
            return chosen
        return tp
    return tp


def _model_paths(
    cls: type, path: tuple[str, ...], edition: gd.Edition
) -> Iterator[tuple[str, ...]]:
    """Every attribute path under *cls* that holds a number (int or Decimal)."""
    hints = typing.get_type_hints(cls)
    for f in attrs.fields(cls):
        tp = _resolve(hints[f.name], edition)
        if attrs.has(tp):
            yield from _model_paths(tp, (*path, f.name), edition)
        elif tp in (int, Decimal):
            yield (*path, f.name)


def model_paths(edition: gd.Edition) -> set[tuple[str, ...]]:
    """The numeric attribute paths of an AnnualReport of *edition*, from the classes alone."""
    hints = typing.get_type_hints(gd.AnnualReport)
    out: set[tuple[str, ...]] = set()
    for name in CELL_SECTIONS:
        out |= set(_model_paths(_resolve(hints[name], edition), (name,), edition))
    return out


def _labels(cat: gd.Catalogue) -> Iterator[tuple[str, gd.Label]]:
    """Every official label of *cat*, with where it is used."""
    for section in cat.sections:
        yield f"section {section.id}", section.heading
        table = section.table
        if table is None or not table.official:
            continue
        for part in table.parts:
            for extra in (part.caption, part.corner):
                if extra is not None:
                    yield f"{table.key} caption/corner", extra
            for col in part.columns:
                for label in col.path:
                    yield f"{table.key} column {col.key}", label
            for row in part.rows:
                for label in row.path:
                    yield f"{table.key} row {row.key}", label


def _ticks(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def cells_md_keys(text: str) -> dict[gd.Edition, set[str]]:
    """
    The cell keys CELLS.md lists for each edition (section 六's optional keys in both).

    Written against the layout of CELLS.md: the section 二 tables give a full
    key then ``.column`` suffixes; section 三 gives columns and row keys
    (rows marked "2019 edition"/"2021 edition" belong to that edition only);
    section 四 gives groups and columns in one paragraph.
    """
    sections = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^## (.+?)\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    }
    out: dict[gd.Edition, set[str]] = {e: set() for e in gd.Edition}
    for title, body in sections.items():
        if title.startswith("Section 二"):
            edition = gd.Edition.V2019 if "2019 edition" in title else gd.Edition.V2021
            for line in body.splitlines():
                if not line.startswith("| `t2."):
                    continue
                first_cell = line.split("|")[1]
                tokens = _ticks(first_cell)
                base = tokens[0]
                out[edition].add(base)
                stem = base.rsplit(".", 1)[0]
                out[edition].update(stem + t for t in tokens[1:])
        elif title.startswith("Section 三"):
            columns_line = next(line for line in body.splitlines() if line.startswith("Columns:"))
            columns = _ticks(columns_line)
            for line in body.splitlines():
                if not line.startswith("| `"):
                    continue
                row = _ticks(line.split("|")[1])[0]
                editions = [e for e in gd.Edition if f"{e.value} edition" in line] or list(
                    gd.Edition
                )
                for e in editions:
                    out[e].update(f"t3.{row}.{c}" for c in columns)
        elif title.startswith("Section 四"):
            groups = _ticks(body.split("Groups:")[1].split("Columns:")[0])
            columns = _ticks(body.split("Columns:")[1].split("Key:")[0])
            for e in gd.Edition:
                out[e].update(f"t4.{g}.{c}" for g in groups for c in columns)
        elif title.startswith("Section 六"):
            for e in gd.Edition:
                out[e].update(t for t in _ticks(body) if t.startswith("t6."))
    return out


@pytest.fixture(scope="module")
def format_md() -> str:
    """The text of ``docs/spec/FORMAT.md`` (the project's copy of the spec)."""
    path = SPEC / "FORMAT.md"
    assert path.is_file(), f"the spec copy is missing: {path}"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cells_md() -> str:
    """The text of ``docs/spec/CELLS.md`` (the project's copy of the spec)."""
    path = SPEC / "CELLS.md"
    assert path.is_file(), f"the spec copy is missing: {path}"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("edition", list(gd.Edition))
class TestModelAgreement:
    def test_catalogue_paths_are_model_paths(self, edition: gd.Edition) -> None:
        """Every cell of the catalogue is a numeric attribute of the typed model."""
        cat_paths = {c.attr_path for c in gd.catalogue(edition).cells.values()}
        assert set() == cat_paths - model_paths(edition)

    def test_model_paths_are_catalogue_paths(self, edition: gd.Edition) -> None:
        """Every numeric attribute of the typed model is a cell of the catalogue."""
        cat_paths = {c.attr_path for c in gd.catalogue(edition).cells.values()}
        assert set() == model_paths(edition) - cat_paths

    def test_edition_classes_are_the_defaults(self, edition: gd.Edition) -> None:
        """The classes the walk picks for an edition are the ones a report of that edition holds."""
        r = gd.AnnualReport(agency="某局", year=2020 if edition is gd.Edition.V2019 else 2021)
        assert r.edition is edition
        assert {type(r.proactive), type(r.requests.other)} == EDITION_CLASSES[edition]

    def test_attr_paths_resolve_on_a_report(self, edition: gd.Edition) -> None:
        """Every attribute path of the catalogue can be followed on a real report object."""
        r = gd.AnnualReport(agency="某局", year=2020 if edition is gd.Edition.V2019 else 2021)
        r = attrs.evolve(
            r,
            other_matters=gd.OtherMatters(
                fees=gd.InformationFees(
                    notices=1, notified_amount=Decimal(2), collected_amount=Decimal(3)
                )
            ),
        )
        for cell in gd.catalogue(edition).cells.values():
            obj: Any = r
            for name in cell.attr_path:
                obj = getattr(obj, name)
            assert isinstance(obj, int | Decimal), cell.key
            assert not isinstance(obj, bool), cell.key

    def test_value_kind_matches_the_field_type(self, edition: gd.Edition) -> None:
        """Money cells are Decimal fields, signed cells are the 2019 ``change`` fields, the rest are counts."""
        for cell in gd.catalogue(edition).cells.values():
            if cell.kind is gd.ValueKind.SIGNED:
                assert cell.attr_path[-1] == "change", cell.key
                assert edition is gd.Edition.V2019
            if cell.attr_path[-1] in ("amount", "notified_amount", "collected_amount"):
                assert cell.kind is gd.ValueKind.MONEY, cell.key


class TestCatalogue:
    @pytest.mark.parametrize(
        ("edition", "t2", "t3", "t4", "t6"),
        [
            # 规章/规范性文件 2x3, （五） 2x3, （六） 2x3, （八） 1x2, （九） 1x2; 23 rows x 7.
            (gd.Edition.V2019, 6 + 6 + 6 + 2 + 2, 23 * 7, 3 * 5, 3),
            # 规章/行政规范性文件 2x3, three decision rows, one amount; 25 rows x 7.
            (gd.Edition.V2021, 6 + 3 + 1, 25 * 7, 3 * 5, 3),
        ],
    )
    def test_cell_counts(self, edition: gd.Edition, t2: int, t3: int, t4: int, t6: int) -> None:
        """Each edition has the number of cells per table that the format's tables give."""
        keys = list(gd.catalogue(edition).cells)
        assert (t2, t3, t4, t6) == tuple(
            sum(1 for k in keys if k.startswith(f"{t}.")) for t in ("t2", "t3", "t4", "t6")
        )

    def test_only_section_six_is_optional(self) -> None:
        """The 信息处理费 cells are optional, every table cell is required."""
        for edition in gd.Edition:
            for key, cell in gd.catalogue(edition).cells.items():
                assert cell.optional == key.startswith("t6."), key

    def test_keys_are_derived_from_rows_and_columns(self) -> None:
        """A cell key is ``table.row.column`` and the attribute path mirrors it under the section."""
        for edition in gd.Edition:
            cat = gd.catalogue(edition)
            for key, cell in cat.cells.items():
                assert key == cell.key
                expected = ".".join(p for p in (cell.table, cell.row.key, cell.column.key) if p)
                assert expected == key
                section = cat.table(cell.table).section
                assert (section, *key.split(".")[1:]) == cell.attr_path

    def test_catalogue_is_cached_and_accepts_strings(self) -> None:
        """``catalogue("2021")`` is the same object as ``catalogue(Edition.V2021)``."""
        assert gd.catalogue("2021") is gd.catalogue(gd.Edition.V2021)

    def test_unknown_table_and_section(self) -> None:
        """Looking up a table or section the edition lacks raises ``KeyError``."""
        cat = gd.catalogue(gd.Edition.V2021)
        with pytest.raises(KeyError):
            cat.table("t5")
        with pytest.raises(KeyError):
            cat.section("budget")

    def test_sections_in_order(self) -> None:
        """The six sections come in the format's order with the ids of DESIGN.md."""
        ids = ("general", "proactive", "requests", "appeals", "problems", "other_matters")
        for edition in gd.Edition:
            cat = gd.catalogue(edition)
            assert ids == tuple(s.id for s in cat.sections)
            assert tuple("一二三四五六") == tuple(s.number for s in cat.sections)


class TestAgainstSpec:
    @pytest.mark.parametrize("edition", list(gd.Edition))
    def test_every_official_label_is_in_format_md(
        self, format_md: str, edition: gd.Edition
    ) -> None:
        """Each official Chinese label of the catalogue appears character for character in FORMAT.md."""
        missing = sorted(
            {
                f"{where}: {label.zh}"
                for where, label in _labels(gd.catalogue(edition))
                if label.zh not in format_md
            }
        )
        assert missing == []

    @pytest.mark.parametrize("edition", list(gd.Edition))
    def test_every_label_has_english(self, edition: gd.Edition) -> None:
        """Every label has a non-empty English text without Chinese characters."""
        for where, label in _labels(gd.catalogue(edition)):
            assert label.en.strip(), where
            assert not re.search(r"[\u4e00-\u9fff]", label.en), (where, label.en)

    @pytest.mark.parametrize("edition", list(gd.Edition))
    def test_cells_md_keys_are_the_catalogue(self, cells_md: str, edition: gd.Edition) -> None:
        """The keys of CELLS.md for an edition are exactly the catalogue's keys, both ways."""
        expected = cells_md_keys(cells_md)[edition]
        actual = set(gd.catalogue(edition).cells)
        assert (set(), set()) == (expected - actual, actual - expected)

    def test_cells_md_parser_sees_the_whole_document(self, cells_md: str) -> None:
        """The CELLS.md reader finds every backticked cell key of the document (guards the test above)."""
        found = cells_md_keys(cells_md)
        every = found[gd.Edition.V2019] | found[gd.Edition.V2021]
        for token in _ticks(cells_md):
            if re.fullmatch(r"t[2346](\.[a-z_]+)+", token):
                assert token in every, token
        assert "t3.other.total" in found[gd.Edition.V2019] - found[gd.Edition.V2021]
        assert "t3.other.unpaid_fee.total" in found[gd.Edition.V2021] - found[gd.Edition.V2019]

    def test_edition_specific_labels(self, format_md: str) -> None:
        """The labels FORMAT.md uses to tell the editions apart sit in the right edition."""

        def zh(edition: gd.Edition) -> set[str]:
            return {label.zh for _, label in _labels(gd.catalogue(edition))}

        for label in ("本年制发件数", "本年处理决定数量"):
            assert label in format_md
            assert label in zh(gd.Edition.V2021) - zh(gd.Edition.V2019)
        for label in ("本年新制作数量", "上一年项目数量", "采购总金额"):
            assert label in format_md
            assert label in zh(gd.Edition.V2019) - zh(gd.Edition.V2021)


class TestMoneyUnits:
    """The units of money are one table in the catalogue; everything else derives from it."""

    def test_header_units(self) -> None:
        """Every money column of both editions states its unit in the header, except the 2019 procurement amount."""
        from gov_disclosure.catalogue import MONEY_UNITS

        units = {
            (ed.value, key): c.column.unit
            for ed in gd.Edition
            for key, c in gd.catalogue(ed).cells.items()
            if c.kind is gd.ValueKind.MONEY
        }
        assert units
        # The header's unit is printed in the header text itself.
        for (ed, key), unit in units.items():
            header = "".join(label.zh for label in gd.catalogue(ed).cells[key].column.path)
            if unit is None:
                assert not any(f"{u}）" in header for u in MONEY_UNITS), (ed, key, header)
            else:
                assert f"{unit}）" in header, (ed, key, header)
        assert units[("2019", "t2.procurement.amount")] is None
        assert units[("2021", "t2.fees.amount")] == "万元"

    def test_counts_have_no_unit(self) -> None:
        """A count column has no unit of money."""
        cat = gd.catalogue("2021")
        assert cat.cells["t3.granted.total"].column.unit is None

    def test_gettext_units_are_the_catalogue_units(self) -> None:
        """The renderers' unit message ids are exactly the catalogue's units (they must stay literal for gettext)."""
        from gov_disclosure.catalogue import MONEY_UNITS
        from gov_disclosure.i18n import MONEY_UNITS as MSGIDS

        assert set(MSGIDS) == set(MONEY_UNITS)
