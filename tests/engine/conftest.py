"""Fixtures for the engine tests: parsed search spaces shared by the whole session."""

import pytest

from studies.engine import SearchSpace

from .helpers import MIXED_SPACE, SMALL_GRID_SPACE


@pytest.fixture(scope="session")
def mixed_space():
    return SearchSpace.from_json(MIXED_SPACE)


@pytest.fixture(scope="session")
def small_grid_space():
    return SearchSpace.from_json(SMALL_GRID_SPACE)
