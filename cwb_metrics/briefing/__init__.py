"""One-page councillor briefings of the Doughnut portrait (PDF, PNG, SVG, HTML), chart exports and text alternatives.

``build_briefing(store, area, period=...)`` gathers the data; ``render(briefing, fmt)``
draws it; ``write_briefing`` does both and writes a file (the ``briefing`` command).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from cwb_metrics.briefing.accessibility import chart_text_alternative, portrait_table
from cwb_metrics.briefing.build import Briefing, build_briefing
from cwb_metrics.briefing.render_html import render_html
from cwb_metrics.briefing.render_image import export_chart, render_png, render_svg
from cwb_metrics.briefing.render_pdf import render_pdf
from cwb_metrics.errors import CwbError
from cwb_metrics.output_file import check_output_path, write_output
from cwb_metrics.store import DataStore

Format = Literal["pdf", "png", "svg", "html"]
FORMATS: tuple[str, ...] = ("pdf", "png", "svg", "html")
#: MIME type of each format (download buttons).
MIME_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "svg": "image/svg+xml",
    "html": "text/html",
}


def render(briefing: Briefing, fmt: str) -> bytes:
    """Draw a briefing in one format.

    Parameters
    ----------
    briefing : Briefing
        From :func:`build_briefing`.
    fmt : {"pdf", "png", "svg", "html"}
        The format.

    Returns
    -------
    bytes
        The file's contents (HTML and SVG as UTF-8).

    Raises
    ------
    CwbError
        For an unknown format.
    """
    if fmt == "pdf":
        return render_pdf(briefing)
    if fmt == "png":
        return render_png(briefing)
    if fmt == "svg":
        return render_svg(briefing)
    if fmt == "html":
        return render_html(briefing).encode("utf-8")
    raise CwbError(f"Unknown briefing format {fmt!r}: choose one of {', '.join(FORMATS)}.")


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format asked for, else the one the file name's suffix names (``.pdf``, ``.png``, ``.svg``, ``.html``)."""
    if fmt:
        if fmt not in FORMATS:
            raise CwbError(f"Unknown briefing format {fmt!r}: choose one of {', '.join(FORMATS)}.")
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    suffix = "html" if suffix == "htm" else suffix
    if suffix not in FORMATS:
        raise CwbError(f"Cannot tell the format from {path.name!r}: give --format ({', '.join(FORMATS)}).")
    return suffix


def write_briefing(
    store: DataStore, area: str, output: Path, *, fmt: str | None = None, period: str = "latest"
) -> tuple[Briefing, int]:
    """Build an area's briefing and write it to ``output`` (atomically: no half-written file).

    Parameters
    ----------
    store : DataStore
        The data folder.
    area : str
        A name or code (see :func:`build_briefing`).
    output : pathlib.Path
        The file to write; its folder must exist.
    fmt : {"pdf", "png", "svg", "html"}, optional
        The format (default: from the file name's suffix).
    period : str
        ``"latest"`` or a period.

    Returns
    -------
    (Briefing, int)
        The briefing and the number of bytes written.

    Raises
    ------
    AreaNotFoundError, NoDataError, CwbError
        An unknown area, no data yet or an unknown format.
    OutputFileError
        When ``output`` cannot be written (a folder, a missing or read-only folder, a full disk).
    """
    output = check_output_path(output)  # before the work: a folder, a missing folder, a read-only one
    chosen = format_for(output, fmt)
    briefing = build_briefing(store, area, period=period)
    briefing.portrait.require_period_data()
    payload = render(briefing, chosen)
    write_output(output, payload)
    return briefing, len(payload)


__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "Briefing",
    "build_briefing",
    "chart_text_alternative",
    "export_chart",
    "format_for",
    "portrait_table",
    "render",
    "render_html",
    "render_pdf",
    "render_png",
    "render_svg",
    "write_briefing",
]
