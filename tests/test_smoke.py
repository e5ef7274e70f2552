"""The package imports and its public names are documented."""

from __future__ import annotations

import gov_disclosure as gd


class TestPublicApi:
    def test_all_is_sorted_and_exported(self) -> None:
        """Every name in __all__ exists, and __all__ is sorted (case-sensitively, as ruff sorts it)."""
        for name in gd.__all__:
            assert hasattr(gd, name), name
        assert sorted(gd.__all__, key=lambda n: (not n.isupper(), n)) == list(gd.__all__)

    def test_every_public_name_has_a_docstring(self) -> None:
        """Every public class and function says what it is for."""
        missing = [
            name
            for name in gd.__all__
            if callable(getattr(gd, name)) and not (getattr(gd, name).__doc__ or "").strip()
        ]
        assert missing == []
