"""`make mutation`: small deliberate bugs in leaflet's safety guards, each of which the guards' tests must catch.

Two kinds of mutant:
- mutmut's, inside the guard functions named in GUARDS (mutmut changes one operator, constant, string or call at a
  time, in a copy of the code under mutants/, and runs the tests that reach the function);
- the hand-written ones below (MANUAL and TABLES), for what lives at module level, where mutmut does not reach:
  the negation words, the opposite pairs, the limits. Each is applied to a copy of the repository, and the named
  tests are run on it: they must fail.

A survivor is a bug the tests let through, or a change that is no bug at all (an equivalent mutant). The ones
judged equivalent are listed, with the reason, in docs/how-it-works.md ("How the guards are tested"); any other
survivor is reported. The run fails when fewer than KILL_GOAL of the guard functions' mutants are killed, or when
a hand-written mutant survives.

    python tests/mutation/run.py                  # everything
    python tests/mutation/run.py numbers negation # some guards (their mutmut mutants and hand-written ones)
    python tests/mutation/run.py --list           # the guards and what they cover
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "how-it-works.md"
KILL_GOAL = 0.90

@dataclass(frozen=True)
class Manual:
    """A hand-written mutant: `old` (found exactly once in `path`) becomes `new`; `tests` must then fail."""

    guard: str
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


def _areas() -> tuple[dict[str, tuple[str, ...]], list[Manual], list[tuple[str, str, str, tuple[str, ...]]]]:
    """The guards, from the areas' files beside this one (mutants_*.py): each has GUARDS (guard -> the functions
    mutmut mutates, by mutmut's names: module.x_function, module.xǁClassǁmethod), MANUAL (hand-written mutants)
    and TABLES (guard, file, the table's name, tests: one mutant per entry of the table, the entry taken out)."""
    import importlib.util

    guards: dict[str, tuple[str, ...]] = {}
    manual: list[Manual] = []
    tables: list[tuple[str, str, str, tuple[str, ...]]] = []
    for path in sorted(Path(__file__).parent.glob("mutants_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        guards.update(module.GUARDS)
        manual += [Manual(*m) for m in getattr(module, "MANUAL", ())]
        tables += list(getattr(module, "TABLES", ()))
    return guards, manual, tables


GUARDS, MANUAL, TABLES = _areas()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("guards", nargs="*", help=f"of: {', '.join(GUARDS)} (all by default)")
    parser.add_argument("--list", action="store_true", help="say what each guard covers, and stop")
    parser.add_argument("--no-manual", action="store_true", help="mutmut's mutants only")
    parser.add_argument("--no-mutmut", action="store_true", help="the hand-written mutants only")
    args = parser.parse_args()
    unknown = [g for g in args.guards if g not in GUARDS]
    if unknown:
        parser.error(f"no guard {', '.join(unknown)} (the guards: {', '.join(GUARDS)})")
    chosen = args.guards or list(GUARDS)
    if args.list:
        for guard in chosen:
            print(f"{guard}: {', '.join(GUARDS[guard])}")
        return 0
    failed = False
    if not args.no_mutmut:
        failed |= not run_mutmut(chosen)
    if not args.no_manual:
        failed |= not run_manual(chosen)
    return 1 if failed else 0


def run_mutmut(chosen: list[str]) -> bool:
    globs = [f"{name}__mutmut_*" for guard in chosen for name in GUARDS[guard]]
    mutmut = Path(sys.executable).parent / "mutmut"
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)  # never a result from an older copy of the code
    subprocess.run([str(mutmut), "run", *globs], cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    status = statuses()
    equivalent = documented_equivalents()
    total = killed = 0
    print("\nguard            killed / mutants")
    undocumented: list[str] = []
    for guard in chosen:
        names = [n for n in status if any(n.startswith(f"{f}__mutmut_") for f in GUARDS[guard])]
        dead = [n for n in names if status[n] in ("killed", "timeout")]
        survivors = [n for n in names if n not in dead]
        total += len(names)
        killed += len(dead)
        print(f"{guard:16} {len(dead):4} / {len(names)}")
        undocumented += [n for n in survivors if n not in equivalent]
        missing = [f for f in GUARDS[guard] if not any(n.startswith(f"{f}__mutmut_") for n in names)]
        for function in missing:
            print(f"  no mutant of {function}: renamed or gone? (update GUARDS in {Path(__file__).name})")
    score = killed / total if total else 0.0
    print(f"{'all':16} {killed:4} / {total}  ({score:.1%}; goal {KILL_GOAL:.0%})")
    if undocumented:
        print(f"\n{len(undocumented)} survivor(s) not judged equivalent in {DOCS.relative_to(ROOT)}"
              " (see each with `mutmut show NAME` in a mutation venv):")
        for name in undocumented:
            print(f"  {name}: {status[name]}")
    return total > 0 and score >= KILL_GOAL


def statuses() -> dict[str, str]:
    """Every mutant's state, from the .meta files mutmut leaves beside each mutated module."""
    from mutmut.__main__ import status_by_exit_code

    found: dict[str, str] = {}
    for meta in (ROOT / "mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text())
        for name, code in data.get("exit_code_by_key", {}).items():
            found[name] = status_by_exit_code[code]
    return found


_EQUIVALENT_ROW = re.compile(r"^\|\s*`([\w.ǁ]+__mutmut_\d+)`\s*\|")


def documented_equivalents() -> set[str]:
    """The mutants named in the table of equivalent survivors in docs/how-it-works.md."""
    return {m.group(1) for line in DOCS.read_text(encoding="utf-8").splitlines() if (m := _EQUIVALENT_ROW.match(line))}


def manual_mutants(chosen: list[str]) -> list[Manual]:
    mutants = [m for m in MANUAL if m.guard in chosen]
    for guard, path, table, tests in TABLES:
        if guard in chosen:
            mutants += _table_mutants(guard, path, table, tests)
    return mutants


def _table_mutants(guard: str, path: str, table: str, tests: tuple[str, ...]) -> list[Manual]:
    """One mutant per entry of a table written as strings of entries split at white space ("not no never", or
    "before/after left/right"): the entry taken out of the string it is in."""
    source = (ROOT / path).read_text(encoding="utf-8")
    node = next(n for n in ast.parse(source).body
                if isinstance(n, (ast.Assign, ast.AnnAssign))
                and any(isinstance(t, ast.Name) and t.id == table for t in (n.targets if isinstance(n, ast.Assign)
                                                                           else [n.target])))
    # The whole assignment is the text changed: a constant of the table ("fr", a key) may stand elsewhere too.
    statement = ast.get_source_segment(source, node)
    separators = {id(a) for c in ast.walk(node) if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
                  and c.func.attr == "split" for a in c.args}  # the "/" of pair.split("/") is no entry
    mutants = []
    for constant in (c for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str)
                     and id(c) not in separators):
        written = ast.get_source_segment(source, constant)
        for entry in dict.fromkeys(constant.value.split()):
            removed = re.sub(rf"(?<![^\s\"]){re.escape(entry)}(?![^\s\"])", "", written, count=1)
            if removed != written:
                mutants.append(Manual(guard, f"{table} without {entry!r}", path, statement,
                                      statement.replace(written, removed, 1), tests))
    return mutants


def run_manual(chosen: list[str]) -> bool:
    mutants = manual_mutants(chosen)
    if not mutants:
        return True
    survived: list[Manual] = []
    with tempfile.TemporaryDirectory(prefix="leaflet-mutants-") as scratch:
        copy = Path(scratch) / "leaflet"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv*", "mutants", "out", "__pycache__",
                                                                    ".pytest_cache", ".hypothesis"))
        env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
        for mutant in mutants:
            target = copy / mutant.path
            original = target.read_text(encoding="utf-8")
            if original.count(mutant.old) != 1:
                print(f"  {mutant.guard}: {mutant.name}: the text to change is not in {mutant.path} once"
                      " (update the mutant)")
                survived.append(mutant)
                continue
            target.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
            try:
                result = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                                         *mutant.tests], cwd=copy, env=env, capture_output=True, text=True)
            finally:
                target.write_text(original, encoding="utf-8")
            caught = result.returncode == 1
            print(f"  {'killed  ' if caught else 'SURVIVED'} {mutant.guard}: {mutant.name}")
            if not caught:
                survived.append(mutant)
    print(f"hand-written mutants: {len(mutants) - len(survived)} / {len(mutants)} killed")
    return not survived


if __name__ == "__main__":
    sys.exit(main())
