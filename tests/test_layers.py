"""The package's layers import one way: core ← curate, present ← serve ← the command (docs/architecture.md)."""

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "dashboard"
# What each layer may import of the package, besides itself.
MAY_IMPORT = {
    "core": set(),
    "curate": {"core"},
    "present": {"core"},
    "serve": {"core", "present", "curate"},
}


def imported_layers(module: Path) -> set[str]:
    """The package's layers a module imports: `from dashboard.core.data import …`, `from dashboard.present import …`."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else \
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        for name in names:
            parts = name.split(".")
            if parts[0] == "dashboard" and len(parts) > 1:
                found.add(parts[1])
            elif parts == ["dashboard"] and isinstance(node, ast.ImportFrom):
                found |= {alias.name for alias in node.names}
    return found


def test_every_module_lives_in_a_layer():
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py", "cli.py"})
    assert loose == [], "a module belongs in core/, present/, serve/ or curate/"
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} == set(MAY_IMPORT)


def test_each_layer_imports_only_the_layers_below_it():
    wrong = []
    for layer, allowed in MAY_IMPORT.items():
        for module in sorted((PACKAGE / layer).rglob("*.py")):
            for other in imported_layers(module) - allowed - {layer}:
                wrong.append(f"{module.relative_to(ROOT)} imports dashboard.{other}")
    assert wrong == []


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from dashboard.serve.web import catalog\nfrom dashboard import present\n", encoding="utf-8")
    assert imported_layers(module) == {"serve", "present"}
