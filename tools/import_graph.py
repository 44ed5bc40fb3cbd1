"""The import graph between the sub-packages of ``cwb_metrics``, drawn for docs/ARCHITECTURE.md.

The analysis is the one of the before-stop hook: every ``import`` and ``from ... import`` in
every file of a sub-package counts, including those inside functions and under
``TYPE_CHECKING``. A sub-package is a folder of ``cwb_metrics/`` or a top-level module
(``store``, ``errors`` ...); ``__init__`` and ``__main__`` are not.

Usage::

    python tools/import_graph.py            # print the graph
    python tools/import_graph.py --check    # exit 1 when docs/ARCHITECTURE.md or the graph is wrong
    python tools/import_graph.py --write    # redraw the graph in docs/ARCHITECTURE.md
    python tools/import_graph.py --root DIR # analyse another checkout's cwb_metrics/
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "cwb_metrics"
DOC = REPO / "docs" / "ARCHITECTURE.md"
START = "<!-- import-graph:start (tools/import_graph.py --write) -->"
END = "<!-- import-graph:end -->"
#: Top-level modules that are entry points, not stages.
ENTRY_POINTS = ("__init__", "__main__")

Graph = dict[str, set[str]]


def _imported(node: ast.AST, parts: tuple[str, ...]) -> list[str]:
    """Dotted names a node imports; ``parts`` is the file's path inside the package."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package = [PACKAGE, *parts[:-1]]
        base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
    elif node.module:
        base = node.module
    else:
        return []
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(root: Path = REPO / PACKAGE) -> Graph:
    """Return, for each sub-package, the set of other sub-packages it imports.

    Parameters
    ----------
    root : pathlib.Path
        The ``cwb_metrics`` folder to analyse.

    Returns
    -------
    dict
        Sub-package name -> names it imports (every sub-package is a key).
    """
    graph: Graph = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        me = parts[0].removesuffix(".py")
        if me in ENTRY_POINTS:
            continue
        targets = graph.setdefault(me, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            for name in _imported(node, parts):
                pieces = name.split(".")
                if pieces[0] == PACKAGE and len(pieces) > 1 and pieces[1] != me:
                    targets.add(pieces[1])
    for targets in list(graph.values()):
        for target in targets:
            graph.setdefault(target, set())
    return graph


def cycles(graph: Graph) -> list[tuple[str, str]]:
    """Pairs of sub-packages that reach each other (as the hook reports them), sorted."""

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(graph.get(start, ()))
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(graph.get(name, ()))
        return seen

    reachable = {name: reach(name) for name in graph}
    return sorted({(min(a, b), max(a, b)) for a in graph for b in graph[a] if a in reachable[b]})


def layers(graph: Graph) -> dict[str, int]:
    """Each sub-package's layer: 0 imports nothing of the package, n imports layers below n only.

    Raises
    ------
    ValueError
        When the graph has a cycle.
    """
    found = cycles(graph)
    if found:
        raise ValueError("import cycles: " + ", ".join(f"{a} <-> {b}" for a, b in found))
    layer: dict[str, int] = {}

    def depth(name: str) -> int:
        if name not in layer:
            layer[name] = 1 + max((depth(t) for t in graph[name]), default=-1)
        return layer[name]

    for name in graph:
        depth(name)
    return layer


def render(graph: Graph) -> str:
    """The graph as text: highest layer first, each sub-package with what it imports.

    When there is no cycle every arrow points to a line further down.
    """
    try:
        layer = layers(graph)
    except ValueError:
        layer = dict.fromkeys(graph, 0)
    names = sorted(graph, key=lambda n: (-layer[n], n))
    width = max(len(n) for n in names)
    lines = []
    for name in names:
        targets = ", ".join(sorted(graph[name], key=lambda t: (-layer[t], t))) or "(nothing)"
        lines.append(f"{name:<{width}}  -> {targets}")
    return "\n".join(lines)


def doc_graph(text: str) -> str | None:
    """The graph drawn between the markers of docs/ARCHITECTURE.md (without the code fence)."""
    if START not in text or END not in text:
        return None
    block = text.split(START, 1)[1].split(END, 1)[0].strip()
    return block.removeprefix("```text").removeprefix("```").removesuffix("```").strip()


def with_graph(text: str, drawing: str) -> str:
    """``text`` with the drawing between the markers replaced."""
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    return f"{head}{START}\n```text\n{drawing}\n```\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    """Print, check or write the graph; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO / PACKAGE, help="the cwb_metrics folder to analyse")
    parser.add_argument("--check", action="store_true", help="fail on a cycle or a stale docs/ARCHITECTURE.md")
    parser.add_argument("--write", action="store_true", help="redraw the graph in docs/ARCHITECTURE.md")
    args = parser.parse_args(argv)
    graph = import_graph(args.root)
    drawing = render(graph)
    found = cycles(graph)
    if args.write:
        DOC.write_text(with_graph(DOC.read_text(encoding="utf-8"), drawing), encoding="utf-8")
    elif args.check:
        problems = [f"import cycle: {a} <-> {b}" for a, b in found]
        if doc_graph(DOC.read_text(encoding="utf-8")) != drawing:
            problems.append(f"{DOC.name} does not draw the real graph: run python tools/import_graph.py --write")
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    else:
        print(drawing)
        for a, b in found:
            print(f"cycle: {a} <-> {b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
