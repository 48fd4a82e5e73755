"""The package's architecture: layers, no import cycles, no private names across packages."""

import ast
from pathlib import Path

import pytest
from importlinter import cli as importlinter_cli

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "emulation"


def test_layers_hold_and_packages_import_no_cycle(monkeypatch, capsys):
    # engine ← base ← lifecycle ← standings ← features ← web, as pyproject.toml declares.
    monkeypatch.chdir(ROOT)
    # import-linter sets up logging as its command line does (dictConfig), which would close
    # every handler and turn off every logger made before, the request log among them.
    monkeypatch.setattr(importlinter_cli, "_configure_logging", lambda verbose: None)
    code = importlinter_cli.lint_imports(
        config_filename=str(ROOT / "pyproject.toml"), no_cache=True
    )
    assert code == 0, capsys.readouterr().out


def _package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _private_imports() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if not source.startswith("emulation") or _package_of(source) == _package_of(module):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{module}:{node.lineno} imports {source}.{alias.name}")
    return found


def test_no_private_name_is_imported_from_another_package():
    assert _private_imports() == []


@pytest.mark.parametrize("folder", ["council", "dossiers", "plan", "registration", "admin"])
def test_view_modules_are_named_one_way(folder):
    names = [p.stem for p in (PACKAGE / folder).glob("*.py")]
    assert not [n for n in names if n.endswith("_views")], names


def test_engine_classes_are_not_named_like_the_models():
    import emulation.models as models
    import emulation.scoring as engine

    assert set(engine.__all__) & set(models.__all__) == set()


def _text_comparisons() -> list[str]:
    """Comparisons that read an exception by its text: str(exc) == ..., ... in exc.args."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        handlers = {h.name for h in ast.walk(tree) if isinstance(h, ast.ExceptHandler) and h.name}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare):
                continue
            for side in [node.left, *node.comparators]:
                for inner in ast.walk(side):
                    as_text = (
                        isinstance(inner, ast.Call)
                        and getattr(inner.func, "id", None) == "str"
                        and inner.args
                        and getattr(inner.args[0], "id", None) in handlers
                    )
                    args = isinstance(inner, ast.Attribute) and inner.attr == "args"
                    if as_text or (args and getattr(inner.value, "id", None) in handlers):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_exception_is_compared_by_its_text():
    assert _text_comparisons() == []
