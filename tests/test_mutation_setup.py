"""`make mutation` is not part of `make test` (it takes a while), so what it relies on is checked here: a guard
function renamed, or a hand-written mutant whose text is gone, would otherwise make it test nothing, silently."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from pathlib import Path

import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("mutation_run", ROOT / "tests" / "mutation" / "run.py")
mutation = sys.modules["mutation_run"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mutation)


def _function(name: str):
    """A mutmut name (module.x_function, module.xǁClassǁmethod) -> the function it mutates."""
    module_name, _, mangled = name.rpartition(".")
    module = importlib.import_module(module_name)
    if mangled.startswith("xǁ"):
        _, cls, method = mangled.split("ǁ")
        return getattr(getattr(module, cls), method)
    assert mangled.startswith("x_"), name
    return getattr(module, mangled[2:])


@pytest.mark.parametrize("guard", sorted(mutation.GUARDS))
def test_every_guard_function_exists_and_mutmut_can_mutate_it(guard):
    for name in mutation.GUARDS[guard]:
        function = _function(name)
        assert callable(function), name
        source = Path(function.__code__.co_filename).read_text(encoding="utf-8")
        node = next(n for n in ast.walk(ast.parse(source))
                    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and n.name == function.__name__ and n.lineno == function.__code__.co_firstlineno)
        assert not node.decorator_list, f"{name} is decorated: mutmut leaves it alone (write MANUAL mutants for it)"


def test_every_hand_written_mutant_applies_once():
    mutants = mutation.manual_mutants(list(mutation.GUARDS))
    for mutant in mutants:
        assert mutant.guard in mutation.GUARDS, mutant
        text = (ROOT / mutant.path).read_text(encoding="utf-8")
        assert text.count(mutant.old) == 1, f"{mutant.name}: not once in {mutant.path}"
        assert mutant.old != mutant.new, mutant.name
        for test in mutant.tests:
            assert (ROOT / test.split("::")[0]).exists(), f"{mutant.name}: no {test}"


def test_equivalent_mutants_are_of_guard_functions():
    names = mutation.documented_equivalents()
    functions = {f for fs in mutation.GUARDS.values() for f in fs}
    for name in names:
        assert name.rsplit("__mutmut_", 1)[0] in functions, f"{name} is not a mutant of a guard function"
