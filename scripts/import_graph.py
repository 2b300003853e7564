"""The import graph of the project's packages, and its cycles (grimp builds the graph).

    .venv/bin/python scripts/import_graph.py            # index/: each module and what it imports
    .venv/bin/python scripts/import_graph.py rag bot    # other packages (imports between them too)
    .venv/bin/python scripts/import_graph.py --cycles   # only the cycles

Every import statement counts, those inside functions included (a late import hides a cycle, it
does not remove it); imports under `if TYPE_CHECKING:` do not, since they never run. Prints the
cycles last and exits 1 when there is one (tests/test_layers.py runs `find_cycles` on index/).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def import_graph(packages: Iterable[str]) -> dict[str, set[str]]:
    """Each module of `packages` → the modules of `packages` it imports directly."""
    packages = list(packages)
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    graph = grimp.build_graph(*packages, exclude_type_checking_imports=True, cache_dir=None)
    return {module: set(graph.find_modules_directly_imported_by(module)) & graph.modules
            for module in sorted(graph.modules)}


def find_cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (or a module importing
    itself), each sorted: Tarjan's algorithm, iterative so a deep graph cannot overflow."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges.get(node, ()):
                        cycles.append(sorted(component))
    return sorted(cycles)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", default=["index"], help="top-level packages (default: index)")
    parser.add_argument("--cycles", action="store_true", help="print only the cycles")
    args = parser.parse_args(argv)
    edges = import_graph(args.packages)
    if not args.cycles:
        for module, imported in edges.items():
            print(f"{module} -> {', '.join(sorted(imported)) or '(nothing)'}")
    cycles = find_cycles(edges)
    for cycle in cycles:
        print("cycle: " + " ⇄ ".join(cycle))
    print(f"{len(edges)} modules, {sum(map(len, edges.values()))} imports, {len(cycles)} cycles")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
