"""The flat cell view: ``cells()`` has exactly the CELLS.md keys and ``from_cells()`` is its inverse."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

import gov_disclosure as gd


def _catalogue_tests() -> ModuleType:
    """The sibling test module that reads CELLS.md (one parser for both test files)."""
    path = Path(__file__).with_name("test_catalogue.py")
    spec = importlib.util.spec_from_file_location("_gd_test_catalogue", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SPEC_TESTS = _catalogue_tests()

YEAR = {gd.Edition.V2019: 2020, gd.Edition.V2021: 2021}


def sample(edition: gd.Edition) -> gd.AnnualReport:
    """A report of *edition* in which every cell holds a different value, so any mix-up shows."""
    r = gd.AnnualReport(agency="某局", year=YEAR[edition])
    values: dict[str, Any] = {}
    for i, (key, cell) in enumerate(gd.catalogue(edition).cells.items(), start=1):
        if cell.kind is gd.ValueKind.MONEY:
            values[key] = Decimal(f"{i}.5")
        elif cell.kind is gd.ValueKind.SIGNED:
            values[key] = -i
        else:
            values[key] = i
    return gd.from_cells(values, agency=r.agency, year=r.year)


@pytest.fixture(scope="module")
def cells_md_keys() -> dict[gd.Edition, set[str]]:
    """The keys CELLS.md lists per edition."""
    path = SPEC_TESTS.SPEC / "CELLS.md"
    assert path.is_file(), f"the spec copy is missing: {path}"
    keys: dict[gd.Edition, set[str]] = SPEC_TESTS.cells_md_keys(path.read_text(encoding="utf-8"))
    return keys


@pytest.mark.parametrize("edition", list(gd.Edition))
class TestCells:
    def test_keys_are_cells_md(
        self, edition: gd.Edition, cells_md_keys: dict[gd.Edition, set[str]]
    ) -> None:
        """A report without 信息处理费 figures has exactly the CELLS.md keys of its edition minus ``t6.*``."""
        got = set(gd.cells(gd.AnnualReport(agency="某局", year=YEAR[edition])))
        assert {k for k in cells_md_keys[edition] if not k.startswith("t6.")} == got

    def test_t6_keys_only_when_stated(self, edition: gd.Edition) -> None:
        """Each ``t6.fees.*`` key appears exactly when that figure is stated (absent is not zero)."""
        base = gd.AnnualReport(agency="某局", year=YEAR[edition])
        fees = gd.InformationFees(notices=0, collected_amount=Decimal("400"))
        r = attrs.evolve(base, other_matters=gd.OtherMatters(fees=fees))
        c = gd.cells(r)
        assert {"t6.fees.notices": 0, "t6.fees.collected_amount": Decimal(400)} == {
            k: v for k, v in c.items() if k.startswith("t6.")
        }
        assert not [k for k in gd.cells(base) if k.startswith("t6.")]

    def test_values_follow_attribute_paths(self, edition: gd.Edition) -> None:
        """Each value of ``cells()`` is the attribute the key names, e.g. ``t3.deny.state_secret.total``."""
        r = sample(edition)
        c = gd.cells(r)
        assert r.requests.deny.state_secret.total == c["t3.deny.state_secret.total"]
        assert r.appeals.litigation_after_review.pending == c["t4.litigation_after_review.pending"]
        assert r.proactive.regulations == type(r.proactive.regulations)(
            **{k.rsplit(".", 1)[1]: v for k, v in c.items() if k.startswith("t2.regulations.")}
        )
        assert len(set(c.values())) == len(c), "sample() gives every cell its own value"

    def test_reading_order(self, edition: gd.Edition) -> None:
        """Keys come in the catalogue's reading order: section 二, then 三 row by row, then 四, then 六."""
        keys = list(gd.cells(sample(edition)))
        assert list(gd.catalogue(edition).cells) == keys
        tables = [k[:2] for k in keys]
        assert list(dict.fromkeys(tables)) == ["t2", "t3", "t4", "t6"]
        assert tables == sorted(tables)

    def test_round_trip(self, edition: gd.Edition) -> None:
        """``from_cells(cells(r))`` rebuilds the numeric part of a report exactly."""
        r = sample(edition)
        assert r == gd.from_cells(gd.cells(r), agency=r.agency, year=r.year)

    def test_round_trip_with_fees(self, edition: gd.Edition) -> None:
        """Stated 信息处理费 figures survive the round trip, unstated ones stay ``None``."""
        fees = gd.InformationFees(notices=3, notified_amount=Decimal("300.00"))
        r = attrs.evolve(sample(edition), other_matters=gd.OtherMatters(fees=fees))
        back = gd.from_cells(gd.cells(r), agency=r.agency, year=r.year)
        assert fees == back.other_matters.fees
        assert back.other_matters.fees is not None
        assert back.other_matters.fees.collected_amount is None


class TestFromCells:
    def test_narratives_empty(self) -> None:
        """``from_cells`` builds empty narratives and no blank cells: cells carry numbers only."""
        r = gd.AnnualReport(agency="某局", year=2021, problems=gd.Problems(paragraphs=("无。",)))
        back = gd.from_cells(gd.cells(r), agency="某局", year=2021)
        assert back.problems.paragraphs == ()
        assert attrs.evolve(r, problems=gd.Problems()) == back

    def test_money_as_int(self) -> None:
        """Money may be given as an int and becomes a Decimal."""
        c: dict[str, Any] = gd.cells(gd.AnnualReport(agency="某局", year=2021))
        c["t2.fees.amount"] = 12
        amount = gd.from_cells(c, agency="某局", year=2021).proactive.fees  # type: ignore[union-attr]
        assert Decimal(12) == amount.amount
        assert isinstance(amount.amount, Decimal)

    def test_unknown_missing_and_invalid_at_once(self) -> None:
        """Unknown, missing and badly typed keys are all named in one ``CellsError``."""
        c: dict[str, Any] = gd.cells(gd.AnnualReport(agency="某局", year=2021))
        del c["t3.granted.total"]
        del c["t4.review.pending"]
        c["t3.granted.totl"] = 1
        c["t2.regulations.issued"] = -1
        c["t3.partial.research"] = 1.0
        c["t2.fees.amount"] = 2.5
        c["t4.review.total"] = True
        with pytest.raises(gd.CellsError) as info:
            gd.from_cells(c, agency="某局", year=2021)
        err = info.value
        assert isinstance(err, ValueError)
        assert err.unknown == ("t3.granted.totl",)
        assert err.missing == ("t3.granted.total", "t4.review.pending")
        assert {
            "t2.regulations.issued",
            "t3.partial.research",
            "t2.fees.amount",
            "t4.review.total",
        } == {k for k, _ in err.invalid}
        for key in (
            "t3.granted.totl",
            "t3.granted.total",
            "t4.review.pending",
            "t2.regulations.issued",
            "t3.partial.research",
            "t2.fees.amount",
            "t4.review.total",
        ):
            assert key in str(err)

    @pytest.mark.parametrize(
        ("key", "value", "words"),
        [
            ("t2.fees.amount", Decimal("NaN"), "finite"),
            ("t2.fees.amount", Decimal(-1), "non-negative"),
            ("t2.fees.amount", "1.5", "Decimal"),
            ("t3.granted.total", -1, "non-negative"),
            ("t3.granted.total", "1", "int"),
        ],
    )
    def test_invalid_value_messages(self, key: str, value: object, words: str) -> None:
        """A bad value is reported with its key and what was expected."""
        c: dict[str, Any] = gd.cells(gd.AnnualReport(agency="某局", year=2021))
        c[key] = value
        with pytest.raises(gd.CellsError, match=words) as info:
            gd.from_cells(c, agency="某局", year=2021)
        assert [key] == [k for k, _ in info.value.invalid]

    def test_signed_change_2019(self) -> None:
        """The 2019 ``change`` cells take negative values; the others do not."""
        c: dict[str, Any] = gd.cells(gd.AnnualReport(agency="某局", year=2020))
        c["t2.licensing.change"] = -8
        r = gd.from_cells(c, agency="某局", year=2020)
        assert r.proactive.licensing.change == -8  # type: ignore[union-attr]
        c["t2.licensing.decisions"] = -8
        with pytest.raises(gd.CellsError, match=r"t2\.licensing\.decisions"):
            gd.from_cells(c, agency="某局", year=2020)

    def test_keys_of_the_other_edition(self) -> None:
        """Giving 2019 keys with ``edition="2021"`` names each 2019-only key as unknown and each 2021 key as missing."""
        c = gd.cells(gd.AnnualReport(agency="某局", year=2020))
        with pytest.raises(gd.CellsError) as info:
            gd.from_cells(c, agency="某局", year=2020, edition="2021")
        assert "t3.other.total" in info.value.unknown
        assert "t2.procurement.amount" in info.value.unknown
        assert "t3.other.unpaid_fee.total" in info.value.missing
        assert "t2.regulations.issued" in info.value.missing

    @pytest.mark.parametrize(
        ("year", "source_year", "expected"),
        [
            # The keys decide over the year: a 2022 report on the 2019 table.
            (2022, 2020, gd.Edition.V2019),
            # And a 2020 report on the 2021 table.
            (2020, 2021, gd.Edition.V2021),
            (2021, 2021, gd.Edition.V2021),
        ],
    )
    def test_edition_inferred_from_keys(
        self, year: int, source_year: int, expected: gd.Edition
    ) -> None:
        """Without ``edition``, ``t3.other.total`` means 2019 and ``t3.other.other.total`` means 2021, whatever the year."""
        c = gd.cells(gd.AnnualReport(agency="某局", year=source_year))
        assert expected is gd.from_cells(c, agency="某局", year=year).edition

    def test_edition_from_year_when_keys_say_nothing(self) -> None:
        """With neither telling key, the year picks the edition (and the missing keys are then named)."""
        with pytest.raises(gd.CellsError) as info:
            gd.from_cells({}, agency="某局", year=2020)
        assert "t3.other.total" in info.value.missing
        with pytest.raises(gd.CellsError) as info:
            gd.from_cells({}, agency="某局", year=2021)
        assert "t3.other.other.total" in info.value.missing

    def test_bad_edition_or_year(self) -> None:
        """An unknown edition or a year before 2019 raises ``UnsupportedEditionError``, not a bare ValueError."""
        with pytest.raises(gd.UnsupportedEditionError, match="1999"):
            gd.from_cells({}, agency="某局", year=2021, edition="1999")
        with pytest.raises(gd.UnsupportedEditionError, match="2018"):
            gd.from_cells({}, agency="某局", year=2018)

    def test_cells_are_not_checked(self) -> None:
        """``from_cells`` loads totals as given: a wrong total is for ``check()`` to find."""
        c: dict[str, Any] = gd.cells(gd.AnnualReport(agency="某局", year=2021))
        c["t3.granted.total"] = 5
        r = gd.from_cells(c, agency="某局", year=2021)
        assert r.requests.granted.total == 5
        assert {"requests.outcome_total", "requests.row_total"} <= {f.rule for f in gd.check(r)}
