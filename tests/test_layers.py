"""The package's layers, and the language registry every layer derives its choices from.

Layers, lowest first; a module may import its own layer and those below, never one above:
shared records < rules < detect < model < fix < report < run < prompt < front.
"""

from __future__ import annotations

import ast
from pathlib import Path

import entropy_lint
from entropy_lint.languages import LANGUAGES, fence_language
from entropy_lint.rules import catalog

PACKAGE = Path(entropy_lint.__file__).parent
SAMPLES = Path(__file__).parent / "samples"
LAYERS = ("", "rules", "detect", "model", "fix", "report", "run", "prompt", "front")  # "": the shared records at the top level


def layer(module: str) -> int:
    """The layer of ``entropy_lint.x.y``: its subpackage, or the bottom for top-level modules."""
    parts = module.split(".")
    sub = parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else ""
    if module in ("entropy_lint.__main__",):
        return LAYERS.index("front")
    return LAYERS.index(sub)


def imports(path: Path) -> list[tuple[str, int]]:
    """(imported entropy_lint module, line) for every import in ``path``, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("entropy_lint"):
            found.append((node.module, node.lineno))
            found.extend((f"{node.module}.{a.name}", node.lineno) for a in node.names
                         if (PACKAGE.joinpath(*node.module.split(".")[1:], a.name)).is_dir())
        elif isinstance(node, ast.Import):
            found.extend((a.name, node.lineno) for a in node.names if a.name.startswith("entropy_lint"))
    return found


def test_no_module_imports_a_higher_layer() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(("entropy_lint", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        mine = layer(module) if module != "entropy_lint" else 0
        for target, line in imports(path):
            if target != "entropy_lint" and layer(target) > mine:
                upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {target}")
    assert upward == []


def test_every_subpackage_is_a_known_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(LAYERS) - {""}


def test_every_language_has_an_extractor_a_rule_table_and_a_sample() -> None:
    for name, info in LANGUAGES.items():
        assert (PACKAGE / "detect" / f"{info.family}.py").is_file(), name
        assert (PACKAGE / "rules" / f"{info.family}.py").is_file(), name
        assert any(name in rule.languages for rule in catalog()), name
        extensions = [p for p in SAMPLES.rglob("*") if p.suffix in info.extensions]
        assert extensions, f"no sample file for {name} in tests/samples"


def test_choices_derive_from_the_registry() -> None:
    from entropy_lint.front.cli import LANGUAGE_NAMES

    assert LANGUAGE_NAMES == tuple(LANGUAGES)
    assert fence_language("py") == "python" and fence_language("GOLANG") == "go" and fence_language("cobol") is None
    assert {r.languages[0] for r in catalog()} <= set(LANGUAGES)
