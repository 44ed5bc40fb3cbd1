"""The councillor briefing page: the briefing of an area and period, its preview and its files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from cwb_metrics.briefing import MIME_TYPES, Briefing, build_briefing, render, render_html
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.store import DataStore

BriefingFormat = Literal["pdf", "png", "svg", "html"]


@dataclass(frozen=True)
class Download:
    """One of the briefing's download buttons."""

    fmt: BriefingFormat
    label: str
    icon: str

    @property
    def mime(self) -> str:
        """The file's MIME type."""
        return MIME_TYPES[self.fmt]


DOWNLOADS: tuple[Download, ...] = (
    Download("pdf", "PDF (A4, selectable text)", ":material/picture_as_pdf:"),
    Download("png", "PNG image (A4, 150 dpi)", ":material/image:"),
    Download("svg", "SVG (A4, vector)", ":material/draw:"),
    Download("html", "HTML (accessible web page)", ":material/html:"),
)


@dataclass(frozen=True)
class BriefingView:
    """A briefing and its preview (an HTML fragment), ready to draw."""

    briefing: Briefing
    preview: str

    @property
    def file_stem(self) -> str:
        """The downloads' file name without its suffix."""
        return self.briefing.file_stem


def briefing_view(
    store: DataStore,
    area: str,
    period: str,
    catalogue: Mapping[str, IndicatorMeta],
    data: pd.DataFrame,
    config: AreaConfig,
) -> BriefingView:
    """Build the briefing of ``area`` for ``period`` and draw its preview once."""
    briefing = build_briefing(store, area, period=period, catalogue=catalogue, data=data, config=config)
    return BriefingView(briefing, render_html(briefing, fragment=True))


def briefing_file(view: BriefingView, fmt: BriefingFormat) -> bytes:
    """One of the briefing's files (PDF, PNG, SVG or HTML)."""
    return render(view.briefing, fmt)
