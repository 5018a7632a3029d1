#!/usr/bin/env python3
"""Executes every notebook in notebooks/ top to bottom against one run's outputs.

Usage: run_notebooks.py RUN_ROOT [--out DIR]

Sets LONGMIX_RUN=RUN_ROOT for the kernel, runs each notebook with nbclient in notebooks/ (as
Jupyter would) and fails on the first cell that raises. The committed notebooks must carry no
outputs; this is checked first. Executed copies (with outputs) go to DIR when given, never back
into notebooks/.
"""
import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def committed_without_outputs(nb, path):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            raise SystemExit(f"{path}: cell {i} has outputs; clear them before committing")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_root")
    ap.add_argument("--out", help="folder for the executed copies")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    a = ap.parse_args()
    root = Path(a.run_root).resolve()
    os.environ["LONGMIX_RUN"] = str(root)
    os.environ.setdefault("MPLBACKEND", "Agg")
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no notebooks in {NOTEBOOKS}")
    failed = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        committed_without_outputs(nb, path)
        client = NotebookClient(
            nb, timeout=a.timeout, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
        )
        try:
            client.execute()
            status = "ok"
        except CellExecutionError as e:
            failed += 1
            status = "FAILED\n" + str(e)
        cells = sum(1 for c in nb.cells if c.cell_type == "code")
        print(f"{path.name}: {cells} code cells, {status}", flush=True)
        if a.out:
            Path(a.out).mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, Path(a.out) / path.name)
    print(f"{len(paths) - failed} of {len(paths)} notebooks ran on {root}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
