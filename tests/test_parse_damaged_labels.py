"""Real-world label damage: misprinted row labels, and a group printed as one row as the other edition does."""

from __future__ import annotations

import re

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

import gov_disclosure as gd
from gov_disclosure.parsers.assemble.tables import FUZZY_RATIO

_CAT = gd.catalogue(gd.Edition.V2021)
_T3 = _CAT.table("t3")
#: (row key, printed label) of every labelled row of section 三.
_ROWS = [
    (row.key, row.label.zh) for part in _T3.parts for row in part.rows if row.label is not None
]
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")


def _core(label: str) -> tuple[int, int]:
    """Where a label's words are: after its list number, before a parenthesised note."""
    m = _NUMBERING.match(label)
    start = m.end() if m else 0
    note = label.find("（", start)
    return start, note if note > 0 else len(label)


#: Rows whose words (without number and note) are long enough to survive a damaged character.
_LONG = [(k, lab) for k, lab in _ROWS if _core(lab)[1] - _core(lab)[0] >= 8]


def _row_keys(row_key: str) -> list[str]:
    return [f"t3.{row_key}.{col.key}" for col in _T3.parts[0].columns]


def _report(row_key: str) -> gd.AnnualReport:
    """A 2021 report whose row *row_key* holds 1..6 and their total, every other cell 0."""
    values = gd.cells(gd.AnnualReport(agency="某局", year=2024))
    keys = _row_keys(row_key)
    for i, k in enumerate(keys[:-1], start=1):
        values[k] = i
    values[keys[-1]] = 21
    return gd.from_cells(values, agency="某局", year=2024)


def _text(report: gd.AnnualReport) -> str:
    out = gd.render(report, "text")
    assert isinstance(out, str)
    return out


def _damaged(text: str, label: str, printed: str) -> str:
    """*text* with the cell *label* (once, at a line's start or after a tab) printed as *printed*."""
    cell = re.compile(rf"(?:^|(?<=\t)){re.escape(label)}(?=\t)", re.M)
    assert len(cell.findall(text)) == 1, label
    return cell.sub(lambda _: printed, text)


class TestMisprintedLabel:
    """A label with a character missing or wrong is read as the closest official label, warned by name."""

    def test_a_missing_character(self) -> None:
        """The real misprint 2.其他法律行政止公开 (法规禁 missing) reads as its row; the warning names both labels and the cells."""
        key = "deny.prohibited_by_law"
        report = _report(key)
        parsed = gd.parse(
            _damaged(_text(report), "2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
        )
        assert parsed.report == report
        fuzzy = [w for w in parsed.warnings if w.code == "fuzzy_label"]
        assert [w.cells for w in fuzzy] == [tuple(_row_keys(key))]
        assert "2.其他法律行政止公开" in fuzzy[0].message
        assert "2.其他法律行政法规禁止公开" in fuzzy[0].message
        assert all(k in parsed.provenance for k in _row_keys(key))
        assert "missing_row" not in parsed.codes()

    @settings(max_examples=40, deadline=None)
    @given(row=st.sampled_from(_LONG), data=st.data())
    def test_one_character_dropped_or_changed(
        self, row: tuple[str, str], data: st.DataObject
    ) -> None:
        """Any long label with a character of its words dropped or replaced by 错 reads as its own row, with a fuzzy_label warning."""
        key, label = row
        start, end = _core(label)
        at = data.draw(st.integers(start + 1, end - 2), label="at")
        fix = data.draw(st.sampled_from(["", "错"]), label="replacement")
        printed = label[:at] + fix + label[at + 1 :]
        report = _report(key)
        parsed = gd.parse(_damaged(_text(report), label, printed))
        assert gd.cells(parsed.report) == gd.cells(report)
        assert [w.cells for w in parsed.warnings if w.code == "fuzzy_label"] == [
            tuple(_row_keys(key))
        ]

    @settings(max_examples=60, deadline=None)
    @given(row=st.sampled_from(_ROWS), data=st.data())
    def test_never_silently_wrong(self, row: tuple[str, str], data: st.DataObject) -> None:
        """However a label is damaged, its values land in its own row with a fuzzy_label warning, or in no row with missing_row: never in another row."""
        key, label = row
        a = data.draw(st.integers(0, len(label) - 1), label="a")
        b = data.draw(st.integers(a, min(len(label), a + 6)), label="b")
        fix = data.draw(st.text(alphabet="其他申请公开处理信息错", max_size=3), label="fix")
        printed = (label[:a] + fix + label[b:]).strip()
        if not printed or any(printed == lab for _, lab in _ROWS):
            return
        report = _report(key)
        text = _damaged(_text(report), label, printed)
        try:
            parsed = gd.parse(text)
        except gd.ParseError:
            return  # refusing is not silently wrong
        got = gd.cells(parsed.report)
        warned = {k for w in parsed.warnings for k in w.cells}
        for k, v in gd.cells(report).items():
            if got[k] != v:
                assert k in warned, (printed, k, got[k], v)
        # The row's values never appear silently in another row.
        for other, _ in _ROWS:
            if other != key:
                first = f"t3.{other}.natural_person"
                assert got[first] == 0 or first in warned, (printed, other)

    def test_too_far_is_not_matched(self) -> None:
        """A label with half its characters wrong is no label: the row is missing_row, the values kept as an extra row."""
        key = "unable.needs_creation"
        label = "2.没有现成信息需要另行制作"
        printed = "2.没有错错错错错错另行制作"
        parsed = gd.parse(_damaged(_text(_report(key)), label, printed))
        assert "fuzzy_label" not in parsed.codes()
        missing = [w.cells for w in parsed.warnings if w.code == "missing_row"]
        assert tuple(_row_keys(key)) in missing

    def test_threshold_is_documented(self) -> None:
        """The parsing guide states the threshold the code uses."""
        from pathlib import Path

        guide = Path(__file__).resolve().parents[1] / "docs" / "guides" / "parsing.md"
        assert f"{FUZZY_RATIO:.0%}".replace("%", " %") in guide.read_text(encoding="utf-8")


class TestGroupPrintedAsOneRow:
    """A 2021 table printed with the 2019 single （六）其他处理 row keeps its values and says so."""

    def _hybrid(self, values: list[int]) -> str:
        report = gd.AnnualReport(agency="某局", year=2024)
        text = _text(report)
        group = next(
            row.path[-2].zh
            for part in _T3.parts
            for row in part.rows
            if row.key.startswith("other.")
        )
        rows = [
            row.label.zh
            for part in _T3.parts
            for row in part.rows
            if row.key.startswith("other.") and row.label is not None
        ]
        lines = text.split("\n")
        out = []
        for line in lines:
            if any(f"\t{lab}\t" in line + "\t" for lab in rows):
                if line.startswith(f"\t{group}\t"):
                    out.append("\t".join(["", group, "", *map(str, values)]))
                continue
            out.append(line)
        return "\n".join(out)

    def test_values_kept_rows_blank(self) -> None:
        """The group's values are an extra row; its three rows are blank; group_row names their 21 cells."""
        text = self._hybrid([1, 0, 0, 0, 0, 0, 1])
        parsed = gd.parse(text)
        keys = [
            k for row in ("no_correction", "unpaid_fee", "other") for k in _row_keys(f"other.{row}")
        ]
        [extra] = parsed.report.extra_rows
        assert extra.table == "t3"
        assert extra.label == "（六）其他处理"
        assert extra.values == ("1", "0", "0", "0", "0", "0", "1")
        [warning] = [w for w in parsed.warnings if w.code == "group_row"]
        assert warning.cells == tuple(keys)
        assert "2019" in warning.message
        assert set(keys) <= parsed.report.blank_cells
        assert "stray_values" not in parsed.codes()

    def test_not_when_its_rows_are_printed(self) -> None:
        """With its rows printed, the group label is only a heading: no group_row, nothing extra."""
        parsed = gd.parse(_text(_report("other.other")))
        assert "group_row" not in parsed.codes()
        assert parsed.report.extra_rows == ()


@pytest.mark.parametrize("word", ["规范性文件", "行政规范性文件", "主动公开"])
def test_narrative_words_are_no_edition_evidence(word: str) -> None:
    """Words of the format used in the narrative ("规范性文件") do not make a 2021 report mixed-edition."""
    report = gd.AnnualReport(agency="某局", year=2024)
    text = _text(report).replace(
        "一、总体情况\n", f"一、总体情况\n\n本年度共清理{word}12件，{word}均已公开。\n", 1
    )
    parsed = gd.parse(text)
    assert "mixed_edition_labels" not in parsed.codes()
    assert parsed.report.edition is gd.Edition.V2021


def test_loose_labels_take_linear_time() -> None:
    """A table full of a label's characters in order (hostile or garbled) is searched in linear time, not by backtracking.

    The lazy-gap regular expression this replaced took 3 s on 78 such
    characters and 18 s on 312; the count of steps here grows with the
    text, so a 64-fold longer text may cost at most about 64 times more.
    """
    import time

    from gov_disclosure.parsers.assemble.tables import _loose_match

    form = "1.本机关不掌握相关政府信息"
    unit = "".join(c * 3 for c in form[:-1])
    times = []
    for k in (16, 1024):
        text = unit * k
        began = time.perf_counter()
        assert _loose_match(text, 0, len(text), form) is None
        times.append(time.perf_counter() - began)
    assert times[0] < 1.0
    assert times[1] < max(1.0, 64 * 4 * times[0])


def test_hostile_table_parses() -> None:
    """A section 三 padded with the label characters still parses (the rows not found are missing_row)."""
    text = gd.render(gd.AnnualReport(agency="某局", year=2024), "text")
    assert isinstance(text, str)
    junk = "".join(c * 3 for c in "1.本机关不掌握相关政府信") * 40
    parsed = gd.parse(text.replace("1.本机关不掌握相关政府信息", junk, 1))
    assert "missing_row" in parsed.codes()
