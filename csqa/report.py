"""Render reports: execute a notebook template with parameters, export HTML.

Templates are Jupyter notebooks whose first code cell is tagged ``parameters``
(papermill's convention). Parameters are validated values (str, int, float,
bool, None, or lists of those) and injected as JSON data in a cell after the
parameters cell -- never pasted into code as text.

>>> from csqa.report import template_path
>>> template_path("overview").name
'overview.ipynb'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from csqa.errors import ReportError
from csqa.io import write_text

_SCALARS = (str, int, float, bool, type(None))


def template_path(name: str | Path) -> Path:
    """A bundled template by name (``"overview"``), or a path to a notebook."""
    path = Path(name)
    if path.suffix == ".ipynb" and path.exists():
        return path
    bundled = resources.files("csqa").joinpath(f"templates/{path.stem}.ipynb")
    if not bundled.is_file():
        available = sorted(
            p.name.removesuffix(".ipynb")
            for p in resources.files("csqa").joinpath("templates").iterdir()
            if p.name.endswith(".ipynb")
        )
        raise ReportError(f"no report template {str(name)!r}; bundled templates: {available}")
    return Path(str(bundled))


def _check_parameters(parameters: Mapping[str, object]) -> dict:
    checked = {}
    for key, value in parameters.items():
        if not str(key).isidentifier():
            raise ReportError(f"report parameter name {key!r} is not a valid identifier")
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, _SCALARS) for v in values):
            raise ReportError(
                f"report parameter {key!r} must be a str, number, bool, None or a list of those; "
                f"got {type(value).__name__}"
            )
        checked[str(key)] = value
    return checked


def _inject(nb, parameters: dict) -> None:
    import nbformat

    index = next(
        (i for i, c in enumerate(nb.cells)
         if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])),
        None,
    )
    if index is None:
        raise ReportError("the template has no code cell tagged 'parameters'")
    payload = json.dumps(json.dumps(parameters, ensure_ascii=False))
    code = f"# Parameters injected by csqa\nimport json as _json\nglobals().update(_json.loads({payload}))"
    cell = nbformat.v4.new_code_cell(code, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(index + 1, cell)


def render_report(
    template: str | Path,
    output_dir: str | Path,
    parameters: Mapping[str, object] | None = None,
    *,
    timeout: int = 600,
) -> dict[str, Path]:
    """Execute ``template`` with ``parameters``; write ``NAME.ipynb`` and ``NAME.html``.

    Returns the written paths by kind. A failing cell raises :class:`ReportError`
    naming the cell and the error; nothing half-written is left behind.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    path = template_path(template)
    params = _check_parameters(parameters or {})
    nb = nbformat.read(path, as_version=4)
    _inject(nb, params)
    out_dir = Path(output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(out_dir)}}
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        failed = next(
            (i for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and any(o.get("output_type") == "error" for o in c.get("outputs", []))),
            None,
        )
        lines = str(exc).strip().splitlines()
        raise ReportError(
            f"report {path.name}: cell {failed} failed: {lines[-1] if lines else exc}"
        ) from None
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    html, _ = exporter.from_notebook_node(nb)
    name = path.stem
    written = {"ipynb": out_dir / f"{name}.ipynb", "html": out_dir / f"{name}.html"}
    write_text(nbformat.writes(nb), written["ipynb"])
    write_text(html, written["html"])
    return written
