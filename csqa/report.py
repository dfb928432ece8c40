"""Render reports: execute a notebook template with parameters, write HTML (and PDF).

Templates are Jupyter notebooks whose first code cell is tagged ``parameters``
(papermill's convention). The notebook's metadata ``csqa.parameters`` declares
each parameter's type and allowed values; values are checked against it and
injected as JSON data in a cell after the parameters cell -- never pasted into
code as text. The HTML is self-contained (code hidden, images embedded), laid
out right-to-left for Arabic and Persian reports; the PDF is that HTML rendered
by WeasyPrint (the ``pdf`` extra).

>>> from csqa.report import template_path, template_parameters
>>> template_path("overview").name
'overview.ipynb'
>>> template_parameters("overview")["language"]["choices"]
['en', 'ar', 'fa']
"""

from __future__ import annotations

import ast
import contextlib
import html
import json
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from csqa.errors import MissingDependencyError, ReportError
from csqa.i18n import direction
from csqa.io import atomic_path, write_text

TEMPLATES = ("overview", "agents", "effort")
_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "list": (list,)}


def template_path(name: str | Path) -> Path:
    """A bundled template by name (``"overview"``), or a path to a notebook."""
    path = Path(name)
    if path.suffix == ".ipynb" and path.exists():
        return path
    bundled = resources.files("csqa").joinpath(f"templates/{path.stem}.ipynb")
    if not bundled.is_file():
        raise ReportError(f"no report template {str(name)!r}; bundled templates: {list(TEMPLATES)}")
    return Path(str(bundled))


def _read(path: Path):
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:  # nbformat's read errors are ValueError subclasses
        raise ReportError(f"{path}: not a readable notebook ({exc})") from None


def _parameters_cell(nb) -> int:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return i
    raise ReportError("the template has no code cell tagged 'parameters'")


def template_parameters(template: str | Path) -> dict[str, dict]:
    """Each parameter of a template: its spec (type, choices, min, max, nullable) and ``default``."""
    nb = _read(template_path(template))
    return _spec(nb)


def _spec(nb) -> dict[str, dict]:
    defaults = {}
    for node in ast.parse(nb.cells[_parameters_cell(nb)].source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            try:
                defaults[name] = ast.literal_eval(node.value)
            except ValueError:
                raise ReportError(f"the parameters cell sets {name!r} to an expression; "
                                  f"parameters must default to plain values (str, number, bool, None, list)") from None
    declared = nb.metadata.get("csqa", {}).get("parameters", {})
    return {name: {**declared.get(name, {}), "default": value} for name, value in defaults.items()}


def _check_value(name: str, value: object, spec: dict) -> object:
    if value is None:
        if spec.get("nullable") or spec.get("default") is None:
            return None
        raise ReportError(f"report parameter {name!r} must not be empty")
    kind = spec.get("type") or type(spec.get("default")).__name__
    allowed = _TYPES.get(kind, (str, int, float, bool, list))
    if isinstance(value, bool) and kind in ("int", "float") or not isinstance(value, allowed):
        raise ReportError(f"report parameter {name!r} must be a {kind}; got {value!r} ({type(value).__name__})")
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, (dict, list)) or not isinstance(item, (str, int, float, bool, type(None))):
            raise ReportError(f"report parameter {name!r} may hold only plain values; got {item!r}")
        if "choices" in spec and item not in spec["choices"]:
            raise ReportError(f"report parameter {name!r} must be one of {spec['choices']}; got {item!r}")
        if "min" in spec and isinstance(item, (int, float)) and item < spec["min"]:
            raise ReportError(f"report parameter {name!r} must be at least {spec['min']}; got {item!r}")
        if "max" in spec and isinstance(item, (int, float)) and item > spec["max"]:
            raise ReportError(f"report parameter {name!r} must be at most {spec['max']}; got {item!r}")
    return float(value) if kind == "float" and isinstance(value, int) else value


def check_parameters(spec: Mapping[str, dict], parameters: Mapping[str, object]) -> dict:
    """``parameters`` checked against a template's ``spec``: known names, types, choices and ranges."""
    unknown = sorted(set(parameters) - set(spec))
    if unknown:
        raise ReportError(f"unknown report parameter(s) {unknown}; this template takes {sorted(spec)}")
    return {name: _check_value(name, value, spec[name]) for name, value in parameters.items()}


def _inject(nb, parameters: dict) -> None:
    import nbformat

    payload = json.dumps(json.dumps(parameters, ensure_ascii=False))
    code = f"# Parameters injected by csqa\nimport json as _json\nglobals().update(_json.loads({payload}))"
    cell = nbformat.v4.new_code_cell(code, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(_parameters_cell(nb) + 1, cell)


def _progress(total: int, name: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=f"report {name}", unit="cell", disable=not sys.stderr.isatty(), leave=False)


@contextlib.contextmanager
def _kernel(client):
    try:
        context = client.setup_kernel()
        context.__enter__()
    except RuntimeError as exc:  # jupyter_client: "Kernel died before replying" / "didn't respond"
        raise ReportError(f"the notebook kernel (python3) did not start: {exc}") from None
    try:
        yield
    finally:
        context.__exit__(None, None, None)


def _execute(nb, path: Path, workdir: Path, timeout: int) -> None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(workdir)}})
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    with _kernel(client), _progress(len(code), path.stem) as bar:
        for number, (index, cell) in enumerate(code, start=1):
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError) as exc:
                first = next((line for line in cell.source.splitlines() if line.strip()), "")
                error = getattr(exc, "ename", type(exc).__name__)
                value = getattr(exc, "evalue", str(exc).strip().splitlines()[-1:])
                raise ReportError(
                    f"report {path.name}: code cell {number} ({first[:60]!r}) failed: {error}: {value}"
                ) from None
            bar.update()


_SHELL = """<!DOCTYPE html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{css}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def _css(pdf: bool) -> str:
    css = resources.files("csqa").joinpath("templates/report.css").read_text(encoding="utf-8")
    if pdf:  # embed the Arabic-capable font matplotlib ships, so the PDF does not depend on system fonts
        import matplotlib

        font = Path(matplotlib.get_data_path(), "fonts", "ttf")
        css = (f"@font-face {{ font-family: 'csqa'; src: url('{(font / 'DejaVuSans.ttf').as_uri()}'); }}\n"
               f"@font-face {{ font-family: 'csqa'; font-weight: bold; "
               f"src: url('{(font / 'DejaVuSans-Bold.ttf').as_uri()}'); }}\n" + css)
    return css


def page(body: str, *, language: str = "en", title: str = "csqa report", pdf: bool = False) -> str:
    """``body`` (from :func:`to_html_body`) in a self-contained page laid out for ``language``."""
    return _SHELL.format(lang=language, dir=direction(language), title=html.escape(title),
                         css=_css(pdf), body=body)


def to_html_body(nb) -> str:
    """The executed notebook's outputs as HTML: no code, no stderr."""
    from nbconvert import HTMLExporter

    shown = nb.copy()
    shown.cells = [c.copy() for c in nb.cells]
    for cell in shown.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, anchor_link_text="")
    body, _ = exporter.from_notebook_node(shown)
    return body


def write_pdf(page: str, path: Path) -> Path:
    """Render an HTML page to PDF with WeasyPrint (``pip install csqa[pdf]``)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint found no Pango library
        raise MissingDependencyError(
            f"PDF output needs WeasyPrint and the Pango library: pip install 'csqa[pdf]' ({exc})"
        ) from None
    with atomic_path(path) as tmp:
        weasyprint.HTML(string=page, base_url=str(path.parent)).write_pdf(tmp)
    return path


def render_report(
    template: str | Path,
    output_dir: str | Path,
    parameters: Mapping[str, object] | None = None,
    *,
    pdf: bool = False,
    timeout: int = 600,
) -> dict[str, Path]:
    """Execute ``template`` with ``parameters``; write ``NAME.ipynb``, ``NAME.html`` (and ``NAME.pdf``).

    Returns the written paths by kind. A failing cell raises :class:`ReportError`
    naming the cell and the error, and nothing is written. Re-running with the
    same inputs overwrites the same files.

    >>> render_report("overview", "/tmp/r", {"top_n": 0})
    Traceback (most recent call last):
    ...
    csqa.errors.ReportError: report parameter 'top_n' must be at least 1; got 0
    """
    path = template_path(template)
    nb = _read(path)
    spec = _spec(nb)
    params = check_parameters(spec, parameters or {})
    settings = {name: s["default"] for name, s in spec.items()} | params
    language = settings.get("language") or "en"
    _inject(nb, params)
    out_dir = Path(output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _execute(nb, path, out_dir, timeout)
    import nbformat

    name = path.stem
    title = str(settings.get("title") or name)
    written = {"ipynb": out_dir / f"{name}.ipynb", "html": out_dir / f"{name}.html"}
    write_text(nbformat.writes(nb), written["ipynb"])
    body = to_html_body(nb)
    write_text(page(body, language=language, title=title), written["html"])
    if pdf:
        written["pdf"] = write_pdf(page(body, language=language, title=title, pdf=True), out_dir / f"{name}.pdf")
    return written
