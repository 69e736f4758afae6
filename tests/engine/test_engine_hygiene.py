"""The engine keeps no global random state, and its examples run. (That it imports no web framework
or task queue is a contract of .importlinter, checked by `lint-imports` in `make test`.)"""

import doctest
import importlib
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "studies" / "engine"
MODULES = sorted(
    ".".join(("studies", "engine", *path.relative_to(ENGINE).with_suffix("").parts)).removesuffix(".__init__")
    for path in ENGINE.rglob("*.py")
)


def test_engine_has_modules_to_check():
    assert len(MODULES) > 10


def test_engine_uses_no_global_numpy_random_state():
    for path in ENGINE.rglob("*.py"):
        text = path.read_text()
        assert "np.random." not in text.replace("np.random.default_rng", "").replace("np.random.Generator", ""), path


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module))

    assert result.failed == 0
