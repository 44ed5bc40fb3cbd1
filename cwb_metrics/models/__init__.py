"""Pydantic models: the only schemas of the project's metadata and data rows."""

from cwb_metrics.models.area import AreaConfig, Neighbourhood
from cwb_metrics.models.indicator import (
    CWB_THEMES,
    DIMENSION_ALIASES,
    DIMENSIONS,
    DatedTarget,
    Dimension,
    Extract,
    IndicatorMeta,
    Origin,
    Threshold,
)
from cwb_metrics.models.manifest import ImportRecord, OutputRecord, SourceRecord, VersionManifest
from cwb_metrics.models.row import CANONICAL_COLUMNS, IndicatorRow
from cwb_metrics.models.source import SourceFile

__all__ = [
    "CANONICAL_COLUMNS",
    "CWB_THEMES",
    "DIMENSIONS",
    "DIMENSION_ALIASES",
    "AreaConfig",
    "DatedTarget",
    "Dimension",
    "Extract",
    "ImportRecord",
    "IndicatorMeta",
    "IndicatorRow",
    "Neighbourhood",
    "Origin",
    "OutputRecord",
    "SourceFile",
    "SourceRecord",
    "Threshold",
    "VersionManifest",
]
