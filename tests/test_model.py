"""The typed model: validators, editions, convenience constructors and the attrs shape."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest

import gov_disclosure as gd

# The six applicant columns before 总计, from the catalogue (test_catalogue checks it).
ROW_PARTS = tuple(c.key for c in gd.catalogue("2021").table("t3").parts[0].columns)[:-1]


def row(**kw: int) -> dict[str, int]:
    """Keyword arguments of an ApplicantCounts: all zero but those given."""
    return {**dict.fromkeys((*ROW_PARTS, "total"), 0), **kw}


class TestCountValidators:
    @pytest.mark.parametrize("bad", [True, False])
    def test_rejects_bool(self, bad: bool) -> None:
        """A bool is an int to Python but never a count: ``InvalidTypeError`` naming the field."""
        with pytest.raises(gd.InvalidTypeError, match=r"ApplicantCounts\.commercial"):
            gd.ApplicantCounts(**row(commercial=bad))  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", [1.0, 2.5, "3", Decimal(3), None])
    def test_rejects_non_int(self, bad: object) -> None:
        """Floats, strings, decimals and None are refused for a count, and the error is a TypeError."""
        with pytest.raises(TypeError, match=r"ApplicantCounts\.total") as info:
            gd.ApplicantCounts(**row(total=bad))  # type: ignore[arg-type]
        assert isinstance(info.value, gd.GovDisclosureError)
        assert info.value.field == "ApplicantCounts.total"  # type: ignore[attr-defined]
        assert info.value.value == bad  # type: ignore[attr-defined]

    def test_rejects_negative_count(self) -> None:
        """A negative count raises ``InvalidValueError`` (a ValueError) naming field and value."""
        with pytest.raises(ValueError, match=r"ApplicantCounts\.research.*-1") as info:
            gd.ApplicantCounts(**row(research=-1))
        assert isinstance(info.value, gd.InvalidValueError)

    @pytest.mark.parametrize(
        ("cls", "kwargs", "field"),
        [
            (
                gd.AppealCounts,
                {"upheld": 0, "corrected": -2, "other": 0, "pending": 0, "total": 0},
                "AppealCounts.corrected",
            ),
            (
                gd.Documents2021,
                {"issued": 0, "repealed": 0, "in_force": -1},
                "Documents2021.in_force",
            ),
            (
                gd.Documents2019,
                {"new_made": -1, "new_published": 0, "total_published": 0},
                "Documents2019.new_made",
            ),
            (gd.Decisions, {"decisions": -5}, "Decisions.decisions"),
            (
                gd.Items2019,
                {"last_year_items": -1, "change": 0, "decisions": 0},
                "Items2019.last_year_items",
            ),
            (
                gd.Items2019,
                {"last_year_items": 0, "change": 0, "decisions": -1},
                "Items2019.decisions",
            ),
            (gd.FeeItems2019, {"last_year_items": -3, "change": 0}, "FeeItems2019.last_year_items"),
            (gd.Procurement2019, {"items": -1, "amount": Decimal(0)}, "Procurement2019.items"),
            (gd.InformationFees, {"notices": -1}, "InformationFees.notices"),
        ],
    )
    def test_every_count_class_rejects_negatives(
        self, cls: type, kwargs: dict[str, Any], field: str
    ) -> None:
        """Every count field of every section refuses a negative value and names itself."""
        with pytest.raises(gd.InvalidValueError, match=field.replace(".", r"\.")):
            cls(**kwargs)

    @pytest.mark.parametrize("cls", [gd.Items2019, gd.FeeItems2019])
    def test_signed_change_accepts_negative(self, cls: type) -> None:
        """The 2019 edition's 本年增/减 is the one signed count: -8 is accepted."""
        kwargs: dict[str, int] = {"last_year_items": 10, "change": -8}
        if cls is gd.Items2019:
            kwargs["decisions"] = 0
        assert cls(**kwargs).change == -8

    def test_signed_change_still_rejects_bool_and_float(self) -> None:
        """Signed does not mean anything goes: bool and float are still refused."""
        for bad in (True, -1.0):
            with pytest.raises(gd.InvalidTypeError, match=r"Items2019\.change"):
                gd.Items2019(last_year_items=0, change=bad, decisions=0)  # type: ignore[arg-type]


class TestMoneyValidators:
    @pytest.mark.parametrize("bad", [1.5, 1, "1.5", None, True])
    def test_rejects_non_decimal(self, bad: object) -> None:
        """Money is a Decimal: a float (inexact), an int, a string or a bool is a type error naming the field."""
        with pytest.raises(gd.InvalidTypeError, match=r"FeeAmount\.amount"):
            gd.FeeAmount(amount=bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "bad", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("-0.01")]
    )
    def test_rejects_non_finite_and_negative(self, bad: Decimal) -> None:
        """NaN, infinities and negative amounts raise ``InvalidValueError``."""
        with pytest.raises(gd.InvalidValueError, match=r"Procurement2019\.amount"):
            gd.Procurement2019(items=0, amount=bad)

    def test_optional_money(self) -> None:
        """The 信息处理费 amounts may be None (not stated) but not negative."""
        assert gd.InformationFees().collected_amount is None
        with pytest.raises(gd.InvalidValueError, match=r"InformationFees\.collected_amount"):
            gd.InformationFees(collected_amount=Decimal(-1))
        with pytest.raises(gd.InvalidTypeError, match=r"InformationFees\.notified_amount"):
            gd.InformationFees(notified_amount=400.0)  # type: ignore[arg-type]

    def test_decimal_kept_as_given(self) -> None:
        """An amount keeps its printed precision (``4068.2080`` stays with four places)."""
        assert str(gd.FeeAmount(amount=Decimal("4068.2080")).amount) == "4068.2080"

    def test_amount_unit_must_be_text(self) -> None:
        """The procurement amount's printed unit is a str or None."""
        assert gd.Procurement2019(items=1, amount=Decimal(5), amount_unit="元").amount_unit == "元"
        with pytest.raises(gd.InvalidTypeError, match=r"Procurement2019\.amount_unit"):
            gd.Procurement2019(items=1, amount=Decimal(5), amount_unit=1)  # type: ignore[arg-type]


class TestNestedTypes:
    @pytest.mark.parametrize(
        ("cls", "field", "bad"),
        [
            (gd.Requests, "granted", {"natural_person": 1}),
            (gd.Requests, "deny", gd.Unable()),
            (gd.Denials, "state_secret", gd.AppealCounts.of()),
            (gd.Appeals, "review", gd.ApplicantCounts.zero()),
            (
                gd.Proactive2021,
                "regulations",
                gd.Documents2019(new_made=0, new_published=0, total_published=0),
            ),
            (gd.Proactive2019, "fees", gd.FeeAmount(amount=Decimal(0))),
            (gd.OtherMatters, "fees", {"notices": 1}),
        ],
    )
    def test_wrong_nested_class(self, cls: type, field: str, bad: object) -> None:
        """A nested section given the wrong class (or a dict) raises ``InvalidTypeError`` naming the field."""
        kwargs: dict[str, Any] = {field: bad}
        if cls is gd.Requests:
            kwargs.setdefault("other", gd.OtherHandling())
        with pytest.raises(gd.InvalidTypeError, match=rf"{cls.__name__}\.{field}"):
            cls(**kwargs)

    def test_requests_other_accepts_both_shapes(self) -> None:
        """Section 三's （六） is one row (2019) or three sub-rows (2021); other types are refused."""
        assert isinstance(gd.Requests(other=gd.ApplicantCounts.zero()).other, gd.ApplicantCounts)
        assert isinstance(gd.Requests(other=gd.OtherHandling()).other, gd.OtherHandling)
        with pytest.raises(gd.InvalidTypeError, match=r"Requests\.other"):
            gd.Requests(other=gd.Denials())  # type: ignore[arg-type]

    def test_narratives_are_text(self) -> None:
        """Paragraphs are strings; a list becomes a tuple losslessly, a non-string item is refused with its index."""
        assert gd.Problems(paragraphs=["a", "b"]).paragraphs == ("a", "b")  # type: ignore[arg-type]
        with pytest.raises(gd.InvalidTypeError, match=r"Problems\.paragraphs\[1\]"):
            gd.Problems(paragraphs=("a", 2))  # type: ignore[arg-type]
        with pytest.raises(gd.InvalidTypeError, match=r"General\.subsections"):
            gd.General(subsections=("（一）标题",))  # type: ignore[arg-type]

    def test_narrative_text_kept_exactly(self) -> None:
        """Whitespace and full-width punctuation in a paragraph are kept as given."""
        text = "  本年度，我局共收到申请 3 件。\u3000"
        assert (text,) == gd.General(paragraphs=(text,)).paragraphs


class TestAnnualReport:
    @pytest.mark.parametrize(
        ("edition", "proactive"),
        [
            (gd.Edition.V2019, gd.Proactive2021()),
            (gd.Edition.V2021, gd.Proactive2019()),
        ],
    )
    def test_wrong_section_class_for_edition(self, edition: gd.Edition, proactive: object) -> None:
        """Section 二 of the other edition is refused, naming ``AnnualReport.proactive`` and the edition."""
        with pytest.raises(gd.InvalidTypeError, match=rf"AnnualReport\.proactive.*{edition.value}"):
            gd.AnnualReport(agency="某局", year=2021, edition=edition, proactive=proactive)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("edition", "other"),
        [(gd.Edition.V2019, gd.OtherHandling()), (gd.Edition.V2021, gd.ApplicantCounts.zero())],
    )
    def test_wrong_other_handling_for_edition(self, edition: gd.Edition, other: object) -> None:
        """Section 三's （六） must have the edition's shape."""
        with pytest.raises(gd.InvalidTypeError, match=r"AnnualReport\.requests\.other"):
            gd.AnnualReport(
                agency="某局",
                year=2021,
                edition=edition,
                proactive=gd.Proactive2019() if edition is gd.Edition.V2019 else gd.Proactive2021(),
                requests=gd.Requests(other=other),  # type: ignore[arg-type]
            )

    def test_edition_defaults_from_year(self) -> None:
        """2019 and 2020 default to the 2019 edition, 2021 on to the 2021 edition, with matching sections."""
        for year, edition, proactive in (
            (2019, gd.Edition.V2019, gd.Proactive2019),
            (2020, gd.Edition.V2019, gd.Proactive2019),
            (2021, gd.Edition.V2021, gd.Proactive2021),
            (2030, gd.Edition.V2021, gd.Proactive2021),
        ):
            r = gd.AnnualReport(agency="某局", year=year)
            assert (edition, proactive) == (r.edition, type(r.proactive))

    def test_edition_mismatching_year_loads(self) -> None:
        """A 2022 report printed on the 2019 edition's table (seen in the wild) loads as such."""
        r = gd.AnnualReport(agency="某镇", year=2022, edition="2019")  # type: ignore[arg-type]
        assert gd.Edition.V2019 is r.edition
        assert isinstance(r.proactive, gd.Proactive2019)

    def test_unknown_edition_string(self) -> None:
        """An edition string that names no edition raises ``UnsupportedEditionError``."""
        with pytest.raises(gd.UnsupportedEditionError, match="2018"):
            gd.AnnualReport(agency="某局", year=2021, edition="2018")  # type: ignore[arg-type]

    def test_year_before_2019(self) -> None:
        """A report for 2018 is out of scope and says so, carrying the year."""
        with pytest.raises(gd.UnsupportedEditionError, match="2018") as info:
            gd.AnnualReport(agency="某局", year=2018)
        assert info.value.year == 2018

    @pytest.mark.parametrize("bad", ["2021", 2021.0, True])
    def test_year_type(self, bad: object) -> None:
        """The year is an int, never a bool, float or string."""
        with pytest.raises(gd.InvalidTypeError, match=r"AnnualReport\.year"):
            gd.AnnualReport(agency="某局", year=bad)  # type: ignore[arg-type]

    def test_agency_type(self) -> None:
        """The agency is a string."""
        with pytest.raises(gd.InvalidTypeError, match=r"AnnualReport\.agency"):
            gd.AnnualReport(agency=None, year=2021)  # type: ignore[arg-type]

    def test_empty_unit_refused(self) -> None:
        """The printed unit of an amount is None (none printed) or the unit: "" would be a second None."""
        with pytest.raises(gd.InvalidValueError, match="amount_unit"):
            gd.Procurement2019(items=1, amount=Decimal(1), amount_unit="")
        assert gd.Procurement2019(items=1, amount=Decimal(1), amount_unit=None).amount_unit is None

    def test_blank_cells_hold_zero(self) -> None:
        """A cell printed blank is held as 0: a blank mark on a number is refused, naming the cell."""
        ok = gd.AnnualReport(agency="某局", year=2021)
        granted = attrs.evolve(ok.requests, granted=gd.ApplicantCounts.of(natural_person=5))
        with pytest.raises(gd.InvalidValueError, match=r"blank_cells\['t3.granted.total'\].*got 5"):
            attrs.evolve(ok, requests=granted, blank_cells={"t3.granted.total"})
        # Zero cells and unstated section 六 figures may be marked blank.
        blank = frozenset({"t3.granted.research", "t6.fees.notices"})
        assert attrs.evolve(ok, requests=granted, blank_cells=blank).blank_cells == blank

    def test_blank_cells_known_keys_only(self) -> None:
        """``blank_cells`` takes the edition's cell keys; an unknown key is named in the error."""
        r = gd.AnnualReport(agency="某局", year=2021, blank_cells=["t3.granted.total"])  # type: ignore[arg-type]
        assert frozenset({"t3.granted.total"}) == r.blank_cells
        with pytest.raises(gd.InvalidValueError, match=r"t3\.other\.total"):
            gd.AnnualReport(agency="某局", year=2021, blank_cells={"t3.other.total"})
        with pytest.raises(gd.InvalidValueError, match=r"AnnualReport\.blank_cells"):
            gd.AnnualReport(agency="某局", year=2021, blank_cells={"t3.granted.total", 7})  # type: ignore[arg-type]

    def test_extra_rows_type(self) -> None:
        """Extra rows are ``ExtraRow`` objects; anything else is named by index."""
        extra = gd.ExtraRow(table="t2", label="其他主动公开文件", values=["1", "2"])  # type: ignore[arg-type]
        assert (extra,) == gd.AnnualReport(agency="某局", year=2020, extra_rows=[extra]).extra_rows  # type: ignore[arg-type]
        with pytest.raises(gd.InvalidTypeError, match=r"AnnualReport\.extra_rows\[0\]"):
            gd.AnnualReport(agency="某局", year=2020, extra_rows=("x",))  # type: ignore[arg-type]

    def test_wrong_totals_still_load(self) -> None:
        """A report printed with wrong totals loads as printed: identities are for ``check()``."""
        wrong = gd.ApplicantCounts(**row(natural_person=2, commercial=1, total=5))
        r = gd.AnnualReport(
            agency="某局",
            year=2021,
            requests=gd.Requests(other=gd.OtherHandling(), granted=wrong, total_processed=wrong),
            appeals=gd.Appeals(
                review=gd.AppealCounts(upheld=1, corrected=0, other=0, pending=0, total=9)
            ),
        )
        assert r.requests.granted.total == 5
        assert r.appeals.review.total == 9


class TestEdition:
    @pytest.mark.parametrize(
        ("year", "edition"),
        [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2022, "2021"), (2100, "2021")],
    )
    def test_for_year(self, year: int, edition: str) -> None:
        """Reporting years 2019-2020 use the 2019 edition, 2021 onward the 2021 edition."""
        assert gd.Edition(edition) is gd.Edition.for_year(year)

    @pytest.mark.parametrize("year", [2018, 2008, 0, -1])
    def test_before_2019(self, year: int) -> None:
        """Years before the national format raise ``UnsupportedEditionError`` (a ValueError) with the year."""
        with pytest.raises(ValueError, match=str(year)) as info:
            gd.Edition.for_year(year)
        assert isinstance(info.value, gd.UnsupportedEditionError)
        assert year == info.value.year

    @pytest.mark.parametrize("bad", ["2021", 2021.0, True, None])
    def test_for_year_type(self, bad: object) -> None:
        """A year that is not an int is refused clearly, not compared."""
        with pytest.raises(gd.UnsupportedEditionError, match="expected an int"):
            gd.Edition.for_year(bad)  # type: ignore[arg-type]


class TestConvenienceConstructors:
    def test_applicant_counts_of(self) -> None:
        """``ApplicantCounts.of`` fills missing parts with 0 and computes the total."""
        r = gd.ApplicantCounts.of(natural_person=3, legal_service=4, other_org=10)
        assert attrs.astuple(r) == (3, 0, 0, 0, 4, 10, 17)

    def test_applicant_counts_of_validates_parts(self) -> None:
        """A bad part is reported under its own name before any addition happens."""
        with pytest.raises(gd.InvalidValueError, match=r"ApplicantCounts\.commercial"):
            gd.ApplicantCounts.of(commercial=-1)
        with pytest.raises(gd.InvalidTypeError, match=r"ApplicantCounts\.research"):
            gd.ApplicantCounts.of(research="1")  # type: ignore[arg-type]

    def test_applicant_counts_add(self) -> None:
        """Rows add column by column, printed totals included."""
        a = gd.ApplicantCounts(**row(natural_person=1, total=5))
        b = gd.ApplicantCounts(**row(commercial=2, total=2))
        assert attrs.astuple(a + b) == (1, 2, 0, 0, 0, 0, 7)

    def test_zero(self) -> None:
        """``ApplicantCounts.zero()`` is all zeros."""
        assert attrs.astuple(gd.ApplicantCounts.zero()) == (0,) * 7

    def test_appeal_counts_of(self) -> None:
        """``AppealCounts.of`` computes the total of the four results."""
        assert attrs.astuple(gd.AppealCounts.of(upheld=1, corrected=2, other=3, pending=4)) == (
            1,
            2,
            3,
            4,
            10,
        )

    def test_other_handling_sum(self) -> None:
        """The 2021 （六） sub-rows add up to the cross-edition ``other_sum``."""
        o = gd.OtherHandling(
            no_correction=gd.ApplicantCounts.of(natural_person=1),
            unpaid_fee=gd.ApplicantCounts.of(natural_person=2, commercial=1),
            other=gd.ApplicantCounts.of(research=5),
        )
        assert attrs.astuple(o.sum()) == (3, 1, 5, 0, 0, 0, 9)

    @pytest.mark.parametrize(
        "other",
        [
            gd.ApplicantCounts.of(natural_person=1),
            gd.OtherHandling(unpaid_fee=gd.ApplicantCounts.of(natural_person=1)),
        ],
    )
    def test_requests_of_totals_and_balance(
        self, other: gd.ApplicantCounts | gd.OtherHandling
    ) -> None:
        """``Requests.of`` sums the outcome rows into （七）总计 and balances the table with 结转下年度."""
        req = gd.Requests.of(
            new_received=gd.ApplicantCounts.of(natural_person=10, commercial=2),
            carried_over=gd.ApplicantCounts.of(natural_person=1),
            granted=gd.ApplicantCounts.of(natural_person=4),
            partial=gd.ApplicantCounts.of(commercial=1),
            deny=gd.Denials(third_party=gd.ApplicantCounts.of(natural_person=2)),
            unable=gd.Unable(not_held=gd.ApplicantCounts.of(natural_person=1)),
            not_processed=gd.NotProcessed(duplicate=gd.ApplicantCounts.of(natural_person=1)),
            other=other,
        )
        # Outcomes: natural person 4 + 2 + 1 + 1 + 1 (other) = 9, commercial 1.
        assert attrs.astuple(req.total_processed) == (9, 1, 0, 0, 0, 0, 10)
        # Balance: 10 + 1 - 9 = 2 natural persons, 2 - 1 = 1 commercial.
        assert attrs.astuple(req.carried_forward) == (2, 1, 0, 0, 0, 0, 3)

    def test_requests_of_keeps_given_carried_forward(self) -> None:
        """A carried_forward given by the author is kept, even if it does not balance."""
        given = gd.ApplicantCounts.of(natural_person=7)
        req = gd.Requests.of(other=gd.OtherHandling(), carried_forward=given)
        assert given == req.carried_forward

    def test_requests_of_outcomes_exceed_applications(self) -> None:
        """When the outcomes exceed the applications, no balance exists: the error names the column."""
        with pytest.raises(
            gd.InvalidValueError, match=r"Requests\.carried_forward\.natural_person"
        ):
            gd.Requests.of(
                other=gd.OtherHandling(), granted=gd.ApplicantCounts.of(natural_person=1)
            )

    def test_authored_report_checks_clean(self) -> None:
        """A report authored through the convenience constructors has no findings."""
        req = gd.Requests.of(
            new_received=gd.ApplicantCounts.of(natural_person=5),
            granted=gd.ApplicantCounts.of(natural_person=3),
            other=gd.OtherHandling(),
        )
        r = gd.AnnualReport(
            agency="某局",
            year=2021,
            requests=req,
            appeals=gd.Appeals(review=gd.AppealCounts.of(upheld=1)),
        )
        assert gd.check(r) == []


ALL_CLASSES = [getattr(gd, name) for name in gd.model.__all__]


class TestAttrsShape:
    @pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
    def test_frozen_slotted_kw_only(self, cls: type) -> None:
        """Every model class is frozen, slotted and keyword-only."""
        assert "__slots__" in cls.__dict__
        for f in attrs.fields(cls):
            assert f.kw_only, f.name
        params = attrs.fields(cls)
        assert params

    def test_frozen_instances(self) -> None:
        """Assigning to a field raises ``attrs.exceptions.FrozenInstanceError``."""
        r = gd.AnnualReport(agency="某局", year=2021)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            r.year = 2022  # type: ignore[misc]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            r.requests.granted.total = 1  # type: ignore[misc]

    def test_no_instance_dict(self) -> None:
        """Slotted instances take no new attributes."""
        row_ = gd.ApplicantCounts.zero()
        with pytest.raises((AttributeError, attrs.exceptions.FrozenInstanceError)):
            row_.extra = 1  # type: ignore[attr-defined]
        assert not hasattr(row_, "__dict__")

    def test_positional_arguments_refused(self) -> None:
        """Seven counts cannot be passed positionally."""
        with pytest.raises(TypeError):
            gd.ApplicantCounts(1, 2, 3, 4, 5, 6, 21)  # type: ignore[misc]

    def test_hashable_and_equal_by_value(self) -> None:
        """Equal reports are equal and hash alike (frozen attrs classes are values)."""
        a = gd.AnnualReport(agency="某局", year=2021)
        b = gd.AnnualReport(agency="某局", year=2021)
        assert a == b
        assert hash(a) == hash(b)
        assert a != attrs.evolve(a, agency="另一局")

    def test_evolve_revalidates(self) -> None:
        """``attrs.evolve`` runs the validators again: a bad value cannot slip in by evolving."""
        with pytest.raises(gd.InvalidValueError, match=r"ApplicantCounts\.total"):
            attrs.evolve(gd.ApplicantCounts.zero(), total=-1)
