"""The project as a package: `pip install .` gives the `dashboard` command and every file the page reads."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """Built from a copy of what the package is made of, so the build writes nothing into the checkout."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md", "requirements.txt"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "dashboard", source / "dashboard", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(out), str(source)], check=True, capture_output=True, timeout=300)
    return zipfile.ZipFile(next(out.glob("*.whl")))


def test_the_wheel_carries_every_module_catalogue_and_template(wheel):
    names = set(wheel.namelist())
    package = ROOT / "dashboard"
    wanted = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    missing = [str(p.relative_to(ROOT)) for p in wanted if str(p.relative_to(ROOT)) not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert not [n for n in names if n.startswith(("tests/", "bench/", "data/", "seeds/"))]


def test_the_wheel_gives_the_dashboard_command(wheel):
    points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "dashboard = dashboard.cli:run" in wheel.read(points).decode()


def test_the_installed_command_checks_the_data(tmp_path):
    """As `make` installs it (in place): from any directory, with the data folder named."""
    command = Path(sys.executable).with_name("dashboard")
    if not command.exists():
        pytest.fail("the `dashboard` command is not installed: run `make test` (it runs `pip install -e .`)")
    result = subprocess.run([str(command), "check"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={"DASHBOARD_DATA_DIR": str(ROOT / "data"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_architecture_layout_names_every_module():
    """docs/architecture.md's `## Layout` names every module, and every path it names exists."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    layout = page.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "dashboard").rglob("*.py")
                     if not p.name.startswith("__"))
    assert [m for m in modules if f"`{m}`" not in layout] == []
    named = {part.strip("`") for line in layout.splitlines() for part in line.split() if part.startswith("`dashboard/")}
    assert [n.rstrip(",") for n in named if not (ROOT / n.rstrip(",`")).exists()] == []
