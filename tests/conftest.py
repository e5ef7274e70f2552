"""Shared test configuration: Hypothesis profiles and the shared corpus location."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("fast", max_examples=25, deadline=None)
settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "fast")
)

#: The shared corpus of real reports, beside the repository (``../shared/corpus``).
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus folder; tests that need it skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(
            f"the shared corpus is not at {CORPUS.name!r} beside the repository (../shared/corpus)"
        )
    return CORPUS
