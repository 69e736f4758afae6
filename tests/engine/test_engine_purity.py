"""The engine stays pure: no web framework or task queue under studies/engine, and its examples run."""

import ast
import doctest
import importlib
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "studies" / "engine"
FORBIDDEN = {"django", "rest_framework", "celery"}
MODULES = sorted(
    ".".join(("studies", "engine", *path.relative_to(ENGINE).with_suffix("").parts)).removesuffix(".__init__")
    for path in ENGINE.rglob("*.py")
)


def imported_roots(path):
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_engine_has_modules_to_check():
    assert len(MODULES) > 10


@pytest.mark.parametrize("path", sorted(ENGINE.rglob("*.py")), ids=lambda p: str(p.relative_to(ENGINE)))
def test_engine_module_imports_no_django_drf_or_celery(path):
    assert imported_roots(path).isdisjoint(FORBIDDEN)


def test_engine_uses_no_global_numpy_random_state():
    for path in ENGINE.rglob("*.py"):
        text = path.read_text()
        assert "np.random." not in text.replace("np.random.default_rng", "").replace("np.random.Generator", ""), path


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module))

    assert result.failed == 0
