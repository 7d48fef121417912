"""The README and docs/ point somewhere: every relative link and anchor, every path they name, and the
architecture page's diagram of the layers as the package has them."""

import re
from pathlib import Path

from tests.conftest import ROOT
from tests.test_layers import MAY_IMPORT, PACKAGE

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(].*?[\"')])?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
# A path the docs name in code: where a file or folder of the project lives.
NAMED_PATH = re.compile(r"(?<![\w/.])((?:dashboard|tests|bench|deploy|scripts|docs)/[\w./-]*)")


def prose(text: str) -> str:
    """The text a reader sees as prose: code blocks and code spans left out."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text without markup, lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every anchor a page's headings make, a repeated heading numbered as GitHub does (`-1`, `-2`…)."""
    made: set[str] = set()
    for heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        base, n = slug(heading), 0
        name = base
        while name in made:
            n += 1
            name = f"{base}-{n}"
        made.add(name)
    return made


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    text = prose(page.read_text(encoding="utf-8"))
    broken = []
    for target in LINK.findall(text) + REFERENCE.findall(text):
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
            continue  # an address elsewhere (https:, mailto:) is not ours to check
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        where = f"{page.relative_to(root)}: ({target})"
        if not linked.exists():
            broken.append(f"{where} no such file")
        elif anchor and linked.suffix == ".md" and anchor.lower() not in anchors(linked):
            broken.append(f"{where} no heading makes #{anchor}")
    return broken


def test_every_relative_link_points_somewhere():
    assert [problem for page in PAGES for problem in broken_links(page)] == []


def test_a_broken_link_or_anchor_is_caught(tmp_path):
    (tmp_path / "other.md").write_text("# Other page\n\n## Stable URLs, and `why`\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("\n".join([
        "# A page", "", "## Read next", "",
        "[fine](other.md#stable-urls-and-why) ![image](other.md) [here](#read-next) [web](https://example.org/x)",
        "[gone](missing.md) [no anchor](other.md#nowhere) [nor here](#nowhere)",
        "`[in code](missing-too.md)`", "```", "[in a block](missing-three.md)", "```",
        "[ref]: gone-too.md",
    ]), encoding="utf-8")
    found = [problem.split(": ", 1)[1] for problem in broken_links(page, tmp_path)]
    assert found == ["(missing.md) no such file", "(other.md#nowhere) no heading makes #nowhere",
                     "(#nowhere) no heading makes #nowhere", "(gone-too.md) no such file"]


def written_by_a_run(path: str) -> bool:
    """An output the project writes and git ignores (`bench/results/latest.json`), absent from a clean clone."""
    ignored = [line.strip() for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()]
    return any(line.endswith("/") and path.startswith(line) for line in ignored)


def test_every_path_the_docs_name_exists():
    """A module moved into a layer, a test moved with it: the docs name where they are now."""
    missing = []
    for page in PAGES:
        for code in re.findall(r"`([^`\n]+)`", page.read_text(encoding="utf-8")):
            for path in NAMED_PATH.findall(code):
                path = path.rstrip(".,:")
                if "…" not in path and not (ROOT / path).exists() and not written_by_a_run(path):
                    missing.append(f"{page.relative_to(ROOT)}: {path}")
    assert missing == []


def mermaid_blocks(page: Path) -> list[str]:
    return re.findall(r"^```mermaid\n(.*?)^```", page.read_text(encoding="utf-8"), re.M | re.S)


def test_the_architecture_diagram_draws_the_layers_the_package_has():
    """Each layer folder a node, no node for a layer that is not there, and the arrows those the import
    test allows (tests/test_layers.py's MAY_IMPORT)."""
    layers_diagram = next(block for block in mermaid_blocks(ROOT / "docs" / "architecture.md")
                          if block.lstrip().startswith("flowchart"))
    nodes = dict(re.findall(r"^\s*(\w+)\[\"dashboard/(\w+)/", layers_diagram, re.M))
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert sorted(nodes.values()) == sorted(folders)
    arrows = {(nodes[a], nodes[b]) for a, b in re.findall(r"^\s*(\w+)\s*-->\s*(\w+)", layers_diagram, re.M)
              if a in nodes and b in nodes}
    assert arrows == {(layer, lower) for layer, allowed in MAY_IMPORT.items() for lower in allowed}


def test_the_flow_diagrams_name_only_modules_that_exist():
    named = {path for block in mermaid_blocks(ROOT / "docs" / "architecture.md")
             for path in re.findall(r"\b(\w+/\w+\.py)\b", block)}
    assert named, "the page view and chart URL diagrams name the modules they pass through"
    assert sorted(p for p in named if not (PACKAGE / p).exists() and not (ROOT / p).exists()) == []
