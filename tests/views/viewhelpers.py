"""Hand-made portraits for the view tests (every field written out, nothing computed by the library)."""

from __future__ import annotations

from cwb_metrics.portrait.portrait import Portrait, PortraitEntry

BASE = {
    "id": "gdhi_per_head",
    "title": "Gross disposable household income per head",
    "short_title": "Disposable income",
    "ring": "social_foundation",
    "dimension": "income_work",
    "dimension_label": "Income & work",
    "cwb_theme": "Fair employment",
    "unit": "£ per person per year",
    "unit_short": "£",
    "decimals": 0,
    "polarity": "higher_is_better",
    "period": "2023-01-01/P1Y",
    "period_label": "2023",
    "value": 22500.0,
    "lci_95": None,
    "uci_95": None,
    "threshold": 25425.0,
    "threshold_kind": "target",
    "threshold_source": "Illustrative: England average",
    "threshold_illustrative": True,
    "status": "shortfall",
    "score": 0.115,
    "drawn_score": 0.115,
    "capped": False,
    "ratio": None,
    "england": 25425.0,
    "county": 26000.0,
    "trend": "improving",
}


def make_entry(**changes: object) -> PortraitEntry:
    """A portrait entry: Northdale's GDHI per head unless ``changes`` say otherwise."""
    return PortraitEntry(**{**BASE, **changes})  # type: ignore[arg-type]


GHG = {
    "id": "ghg_emissions_per_capita",
    "title": "Greenhouse gas emissions per person",
    "short_title": "GHG per person",
    "ring": "ecological_ceiling",
    "dimension": "climate_change",
    "dimension_label": "Climate change",
    "cwb_theme": None,
    "unit": "tonnes CO2e per person per year",
    "unit_short": "t CO2e",
    "decimals": 2,
    "polarity": "lower_is_better",
    "value": 4.6,
    "threshold": 2.8,
    "threshold_kind": "ceiling",
    "threshold_source": "Illustrative: carbon budget",
    "status": "overshoot",
    "score": 0.642857,
    "ratio": 1.642857,
    "england": 4.5,
    "trend": None,
}
MISSING = {
    "id": None,
    "title": "Ocean acidification",
    "short_title": "Ocean acidification",
    "ring": "ecological_ceiling",
    "dimension": "ocean_acidification",
    "dimension_label": "Ocean acidification",
    "cwb_theme": None,
    "value": None,
    "period": None,
    "period_label": None,
    "threshold": None,
    "threshold_kind": None,
    "status": "missing",
    "score": None,
    "england": None,
    "trend": None,
}


def northdale(*entries: PortraitEntry) -> Portrait:
    """Northdale's portrait with GDHI (shortfall), GHG (overshoot) and one dimension without data."""
    chosen = entries or (make_entry(), make_entry(**GHG), make_entry(**MISSING))
    return Portrait("E07099901", "Northdale", "district", "latest", list(chosen), "v0001-20251201T000000Z")
