"""Runs every notebook in a folder on the Skiff Java kernel with nbclient and checks its outputs.

Usage: python3 run_notebooks.py NOTEBOOK_FOLDER
A code cell may list text its output must contain in its metadata, as "skiff": {"expect": [...]},
and the error name it must end with, as "skiff": {"error": "ENAME"}; any other error fails the run.
"""
import glob
import os
import sys

import nbformat
from nbclient import NotebookClient

KERNEL = os.environ.get("SKIFF_KERNEL_NAME", "skiff-java")


def cell_text(cell):
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] in ("execute_result", "display_data"):
            data = output.get("data", {})
            parts.append(str(data.get("text/plain", "")))
            parts.append(str(data.get("text/html", "")))
        elif output["output_type"] == "error":
            parts.append(output["ename"] + ": " + output["evalue"])
    return "\n".join(parts)


def check(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, kernel_name=KERNEL, timeout=180, startup_timeout=120,
                            allow_errors=True, record_timing=False)
    client.execute()
    failures = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        spec = cell.get("metadata", {}).get("skiff", {})
        text = cell_text(cell)
        errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
        expected_error = spec.get("error")
        if errors and errors[0]["ename"] != expected_error:
            failures.append(f"cell {index}: unexpected error {errors[0]['ename']}: {errors[0]['evalue']}")
        if expected_error and not errors:
            failures.append(f"cell {index}: expected error {expected_error}, got none")
        for expected in spec.get("expect", []):
            if expected not in text:
                failures.append(f"cell {index}: output lacks {expected!r}; output was:\n{text}")
    return failures


def main():
    folder = sys.argv[1]
    paths = sorted(glob.glob(os.path.join(folder, "*.ipynb")))
    if not paths:
        print(f"No notebooks in {folder}")
        return 1
    failed = 0
    for path in paths:
        failures = check(path)
        status = "ok" if not failures else "FAILED"
        print(f"{os.path.basename(path)}: {status}")
        for failure in failures:
            print("  " + failure)
        failed += bool(failures)
    print(f"{len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
