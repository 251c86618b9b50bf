"""The shape of the code: dependencies one way, no import cycles, one vocabulary.

Every `import` counts, at module level or inside a function, under `TYPE_CHECKING` or not: a lazy
import that closes a loop is still a loop for the reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.paths import ROOT

PACKAGES = ("bot", "index", "parsers", "eval")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def imports(path: Path, known: set[str]) -> set[str]:
    """The project modules `path` imports (`from a import b` counts b when b is a module)."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            subs = {f"{base}.{a.name}" for a in node.names} & known
            out |= subs or {base}  # `from pkg import mod` needs pkg.mod, not what pkg exports
    return {m for m in out if m in known and m != me}


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(path, set(mods)) for name, path in mods.items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_dependencies_flow_one_way():
    """parsers → index → bot → (eval only from the command line's shells)."""
    layer = {"parsers": 0, "index": 1, "bot": 2, "eval": 3}
    g = graph()
    wrong = sorted(
        f"{a} imports {b}"
        for a, deps in g.items()
        for b in deps
        if layer[b.split(".")[0]] > layer[a.split(".")[0]] and a != "bot.cli"
    )
    assert wrong == []


def test_only_the_command_line_imports_eval_and_only_inside_its_commands():
    g = graph()
    importers = sorted(
        a
        for a, deps in g.items()
        if a.split(".")[0] != "eval" and any(d.split(".")[0] == "eval" for d in deps)
    )
    assert importers == ["bot.cli"]
    tree = ast.parse((ROOT / "bot" / "cli.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    names = [a.name for n in top if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in top if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.split(".")[0] == "eval"]


def test_domain_words_are_defined_once():
    """Level names, table numerals and section keys are data in parsers/vocabulary.py only."""
    words = {
        "levels in English": '"subdistrict"',
        "table numerals": '"二", 3: "三"',
        "section keys": '"problems_improvements": (',
    }
    found = {
        what: sorted(
            str(p.relative_to(ROOT))
            for pkg in ("bot", "index", "parsers")
            for p in (ROOT / pkg).rglob("*.py")
            if needle in p.read_text(encoding="utf-8")
        )
        for what, needle in words.items()
    }
    assert found == {
        "levels in English": ["parsers/vocabulary.py"],
        "table numerals": [],
        "section keys": ["parsers/vocabulary.py"],
    }
