"""The import rules of docs/ARCHITECTURE.md (issue 15): the import-linter contracts hold, they can fail, the page
and the contracts agree, no import cycles, no module over 450 lines."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_LINES = 450


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"}, timeout=300)


def contracts() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    return config


def test_the_import_contracts_hold_on_this_code():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout


def test_a_view_importing_another_domains_models_breaks_a_contract(tmp_path):
    """The contracts can fail: a copy of the code in which the quiz views import the cohort model directly."""
    shutil.copytree(ROOT / "jimtraining", tmp_path / "jimtraining",
                    ignore=shutil.ignore_patterns("__pycache__", "translations"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    views = tmp_path / "jimtraining" / "quizzes" / "views.py"
    views.write_text("from jimtraining.cohorts.models import Cohort  # noqa: F401\n" + views.read_text())

    result = lint_imports(tmp_path)

    assert result.returncode == 1
    assert "jimtraining.quizzes.views is not allowed to import jimtraining.cohorts.models" in result.stdout


def test_a_shared_building_block_importing_a_domain_breaks_the_layers(tmp_path):
    shutil.copytree(ROOT / "jimtraining", tmp_path / "jimtraining",
                    ignore=shutil.ignore_patterns("__pycache__", "translations"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    rendering = tmp_path / "jimtraining" / "rendering.py"
    late_import = "\n\ndef _late():\n    from jimtraining.cohorts import models  # noqa: F401\n"
    rendering.write_text(rendering.read_text() + late_import)

    result = lint_imports(tmp_path)

    assert result.returncode == 1
    assert "jimtraining.rendering is not allowed to import jimtraining.cohorts" in result.stdout


def _layers_in_contract() -> list[set[str]]:
    lines = contracts()["importlinter:contract:layers"]["layers"].strip().splitlines()
    return [{name.strip().removeprefix("jimtraining.") for name in re.split(r"[:|]", line)} for line in lines]


def _layers_in_the_architecture_page() -> list[set[str]]:
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    table = page.split("## The layers", 1)[1].split("\n\n")[2]
    rows = [row for row in table.splitlines() if re.match(r"\| \d\. ", row)]
    return [set(re.findall(r"`([a-z_]+)`", row.split("|")[2])) for row in rows]


def test_the_architecture_page_lists_the_layers_of_the_contract():
    assert _layers_in_the_architecture_page() == _layers_in_contract()


def test_every_package_of_jimtraining_is_in_a_layer():
    packages = {path.stem if path.is_file() else path.name
                for path in (ROOT / "jimtraining").iterdir()
                if (path.suffix == ".py" and path.name != "__init__.py")
                or (path.is_dir() and (path / "__init__.py").exists())}

    in_layers = set().union(*_layers_in_contract())

    assert packages - in_layers == set(), "add these to a layer in .importlinter and docs/ARCHITECTURE.md"


def _strongly_connected(graph) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other in a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


@pytest.fixture(scope="module")
def import_graph():
    return grimp.build_graph("jimtraining", cache_dir=None)


def test_no_import_cycles_among_the_modules(import_graph):
    """grimp reads every import statement, those inside functions too."""
    assert _strongly_connected(import_graph) == []


def test_the_cycle_finder_finds_a_cycle_and_only_the_cycle():
    graph = grimp.ImportGraph()
    for importer, imported in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")]:
        graph.add_import(importer=importer, imported=imported)

    assert _strongly_connected(graph) == [["a", "b", "c"]]


def test_no_module_is_longer_than_450_lines():
    long = {str(path.relative_to(ROOT)): n for path in (ROOT / "jimtraining").rglob("*.py")
            if (n := len(path.read_text().splitlines())) > MAX_LINES}

    assert long == {}, "split these by concern (docs/ARCHITECTURE.md)"
