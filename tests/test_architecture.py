"""The library's sub-packages import one way, and docs/ARCHITECTURE.md draws the real graph."""

from __future__ import annotations

from pathlib import Path

from tools.import_graph import DOC, cycles, doc_graph, import_graph, layers, render


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "cwb_metrics" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "cwb_metrics"


def test_the_library_has_no_import_cycle_between_sub_packages() -> None:
    graph = import_graph()
    assert {"build", "indicators", "portrait", "deprivation", "geo", "sources"} <= set(graph)
    assert cycles(graph) == []


def test_architecture_doc_draws_the_real_graph() -> None:
    drawn = doc_graph(DOC.read_text(encoding="utf-8"))
    assert drawn is not None, "docs/ARCHITECTURE.md has lost its import-graph markers"
    assert drawn == render(import_graph()), "run: python tools/import_graph.py --write"


def test_imports_inside_functions_and_under_type_checking_count(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "store.py": "",
            "low/__init__.py": "",
            "low/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cwb_metrics.high.b import B\n",
            "high/__init__.py": "",
            "high/b.py": "def f():\n    from cwb_metrics.low import a\n    import cwb_metrics.store\n",
            "mid/__init__.py": "",
            "mid/c.py": "from ..store import x\nfrom . import d\n",
        },
    )
    graph = import_graph(root)
    # written by hand from the files above
    assert graph == {"low": {"high"}, "high": {"low", "store"}, "mid": {"store"}, "store": set()}
    assert cycles(graph) == [("high", "low")]


def test_layers_put_every_import_below_its_importer(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "errors.py": "",
            "store.py": "from cwb_metrics.errors import E\n",
            "top/x.py": "from cwb_metrics.store import S\nfrom cwb_metrics import errors\n",
        },
    )
    graph = import_graph(root)
    assert layers(graph) == {"errors": 0, "store": 1, "top": 2}
    assert render(graph).splitlines() == [
        "top     -> store, errors",
        "store   -> errors",
        "errors  -> (nothing)",
    ]
