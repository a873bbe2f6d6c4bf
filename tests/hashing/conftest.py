"""Fixtures for the egide.hashing tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hashing.hashing_testutil import DATA


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared, read-only PDQ test data; tests needing it skip when it is absent."""
    if not DATA.is_dir():
        pytest.skip("shared PDQ test data not present")
    return DATA
