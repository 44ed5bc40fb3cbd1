"""Compute the Doughnut portrait of an area: every indicator scored, grouped by ring and dimension."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

import pandas as pd

from cwb_metrics.models.indicator import DIMENSIONS, IndicatorMeta
from cwb_metrics.periods import PeriodError, parse_period, period_label, period_sort_key
from cwb_metrics.portrait.scoring import Score, score_value, trend_direction

RING_ORDER = ("social_foundation", "ecological_ceiling")


@dataclass(frozen=True)
class PortraitEntry:
    """One indicator (or one dimension with no data yet) in a portrait."""

    id: str | None
    title: str
    short_title: str
    ring: str
    dimension: str
    dimension_label: str
    cwb_theme: str | None
    unit: str
    unit_short: str
    decimals: int
    polarity: str | None
    period: str | None
    period_label: str | None
    value: float | None
    lci_95: float | None
    uci_95: float | None
    threshold: float | None
    threshold_kind: str | None
    threshold_source: str | None
    threshold_illustrative: bool | None
    status: str
    score: float | None
    drawn_score: float | None
    capped: bool
    ratio: float | None
    england: float | None
    county: float | None
    trend: str | None
    series: list[tuple[str, float]] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict (the portrait command's ``indicators`` items)."""
        out = asdict(self)
        out["series"] = [{"period": p, "value": v} for p, v in self.series]
        return out


@dataclass(frozen=True)
class Portrait:
    """The scored indicators of one area and period."""

    area_code: str
    area_name: str
    area_kind: str
    period: str
    entries: list[PortraitEntry]
    data_version: str | None = None

    def frame(self) -> pd.DataFrame:
        """Return the entries as a DataFrame (one row each, in drawing order)."""
        return pd.DataFrame([e.as_dict() for e in self.entries])

    def by_status(self, status: str) -> list[PortraitEntry]:
        """Return entries with ``status``, largest score first."""
        chosen = [e for e in self.entries if e.status == status]
        return sorted(chosen, key=lambda e: e.score or 0.0, reverse=True)

    def as_dict(self) -> dict[str, object]:
        """Return the JSON shape of ``python -m cwb_metrics portrait --json``."""
        return {
            "area": {"code": self.area_code, "name": self.area_name, "kind": self.area_kind},
            "period": self.period,
            "data_version": self.data_version,
            "indicators": [e.as_dict() for e in self.entries if e.id is not None],
            "missing_dimensions": [e.dimension for e in self.entries if e.id is None],
        }


def _matches_period(text: str, wanted: str) -> bool:
    if wanted in (text, period_label(text)):
        return True
    try:
        return wanted.isdigit() and parse_period(text).start.year == int(wanted)
    except PeriodError:
        return False


def _value_or_none(number: float | None) -> float | None:
    if number is None:
        return None
    number = float(number)
    return None if math.isnan(number) else number


def score_indicator(
    meta: IndicatorMeta,
    rows: pd.DataFrame,
    area_code: str,
    *,
    period: str = "latest",
    county_code: str | None = None,
    country_code: str = "E92000001",
    threshold: float | None = None,
) -> PortraitEntry:
    """Score one indicator for one area.

    Parameters
    ----------
    meta : IndicatorMeta
        The catalogue record.
    rows : pandas.DataFrame
        The indicator's canonical rows (any areas, any periods).
    area_code : str
        The area to score.
    period : str
        ``"latest"`` (the area's latest period with a value), or a period (raw ISO text,
        its label such as ``2022/23``, or a year such as ``2023``).
    county_code, country_code : str
        Comparator areas.
    threshold : float, optional
        A what-if threshold replacing the catalogue's.

    Returns
    -------
    PortraitEntry
    """
    limit = meta.threshold.value if threshold is None else threshold
    own = rows[(rows["areacd"] == area_code) & rows["value"].notna()]
    own = own.assign(_key=own["period"].map(period_sort_key)).sort_values("_key")
    series = [(str(p), float(v)) for p, v in zip(own["period"], own["value"], strict=True)]
    if period == "latest":
        chosen = own.tail(1)
    else:
        chosen = own[own["period"].map(lambda text: _matches_period(text, period))].tail(1)
    note = ""
    if chosen.empty:
        value = lci = uci = None
        chosen_period = None
        note = "No data for this area" + ("" if period == "latest" else f" in {period}") + "."
        score = Score("missing", None, None)
    else:
        row = chosen.iloc[0]
        value, lci, uci = (_value_or_none(row[c]) for c in ("value", "lci_95", "uci_95"))
        chosen_period = str(row["period"])
        score = score_value(value, limit, meta.threshold.kind, meta.polarity)
        note = str(row.get("notes") or "")

    def comparator(code: str | None) -> float | None:
        if code is None or chosen_period is None or code == area_code:
            return None
        match = rows[(rows["areacd"] == code) & (rows["period"] == chosen_period)]
        return _value_or_none(match["value"].iloc[0]) if not match.empty else None

    upto = [s for s in series if chosen_period is None or period_sort_key(s[0]) <= period_sort_key(chosen_period)]
    return PortraitEntry(
        id=meta.id,
        title=meta.title,
        short_title=meta.short_title,
        ring=meta.ring,
        dimension=meta.dimension,
        dimension_label=meta.dimension_label,
        cwb_theme=meta.cwb_theme,
        unit=meta.unit,
        unit_short=meta.unit_short,
        decimals=meta.decimals,
        polarity=meta.polarity,
        period=chosen_period,
        period_label=period_label(chosen_period) if chosen_period else None,
        value=value,
        lci_95=lci,
        uci_95=uci,
        threshold=limit,
        threshold_kind=meta.threshold.kind,
        threshold_source=meta.threshold.source,
        threshold_illustrative=meta.threshold.illustrative,
        status=score.status,
        score=score.score,
        drawn_score=score.drawn_score,
        capped=score.capped,
        ratio=score.ratio,
        england=comparator(country_code),
        county=comparator(county_code),
        trend=trend_direction(upto, meta.polarity),
        series=upto,
        note=note,
    )


def _missing_dimension(dimension: str) -> PortraitEntry:
    ring, label = DIMENSIONS[dimension]
    return PortraitEntry(
        id=None,
        title=f"{label}: no indicator yet",
        short_title=label,
        ring=ring,
        dimension=dimension,
        dimension_label=label,
        cwb_theme=None,
        unit="",
        unit_short="",
        decimals=0,
        polarity=None,
        period=None,
        period_label=None,
        value=None,
        lci_95=None,
        uci_95=None,
        threshold=None,
        threshold_kind=None,
        threshold_source=None,
        threshold_illustrative=None,
        status="missing",
        score=None,
        drawn_score=None,
        capped=False,
        ratio=None,
        england=None,
        county=None,
        trend=None,
        note="No local indicator has been chosen for this dimension yet.",
    )


def compute_portrait(
    catalogue: Mapping[str, IndicatorMeta],
    data: pd.DataFrame,
    *,
    area_code: str,
    area_name: str,
    area_kind: str = "district",
    period: str = "latest",
    county_code: str | None = None,
    country_code: str = "E92000001",
    thresholds: Mapping[str, float] | None = None,
    include_missing_dimensions: bool = True,
    data_version: str | None = None,
) -> Portrait:
    """Score every catalogue indicator for one area and group them for the doughnut.

    Parameters
    ----------
    catalogue : mapping of id to IndicatorMeta
        The indicator catalogue.
    data : pandas.DataFrame
        Canonical rows of every indicator (``DataStore.read_all_indicators()``).
    area_code, area_name, area_kind : str
        The area to portray.
    period : str
        ``"latest"`` or a period (see :func:`score_indicator`).
    county_code, country_code : str
        Comparator areas (county and England).
    thresholds : mapping of id to float, optional
        What-if thresholds replacing the catalogue's, without writing anything.
    include_missing_dimensions : bool
        Add one ``missing`` entry per Doughnut dimension that has no indicator.
    data_version : str, optional
        The data version drawn from, recorded on the portrait.

    Returns
    -------
    Portrait
        Entries ordered by ring, then dimension (Doughnut order), then indicator id.
    """
    thresholds = thresholds or {}
    by_indicator = {key: group for key, group in data.groupby("indicator", sort=False)}
    empty = data.iloc[0:0]
    entries = [
        score_indicator(
            meta,
            by_indicator.get(meta.id, empty),
            area_code,
            period=period,
            county_code=county_code,
            country_code=country_code,
            threshold=thresholds.get(meta.id),
        )
        for meta in catalogue.values()
    ]
    if include_missing_dimensions:
        covered = {meta.dimension for meta in catalogue.values()}
        entries += [_missing_dimension(d) for d in DIMENSIONS if d not in covered]
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    entries.sort(key=lambda e: (RING_ORDER.index(e.ring), order[e.dimension], e.id or ""))
    return Portrait(area_code, area_name, area_kind, period, entries, data_version)
