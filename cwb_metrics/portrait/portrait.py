"""Compute the Doughnut portrait of an area: every indicator scored, grouped by ring and dimension.

Each entry carries its placement on the 0-1 social scale or its ecological overshoot
(:mod:`cwb_metrics.portrait.scoring`), the threshold's basis, the comparison with England
and the trend, both tested for significance (:mod:`cwb_metrics.portrait.significance`),
the "red-red" flag, and the pace needed to reach a dated threshold
(:mod:`cwb_metrics.portrait.pace`). Context indicators (``role: context``, such as the
relative IMD shares) are shown but never scored: their status is ``context`` and their
score ``None``. A dimension with no scored indicator is listed as missing with the reason
given in ``dimensions.yaml``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from cwb_metrics.models.indicator import DIMENSIONS, IndicatorMeta
from cwb_metrics.periods import PeriodError, parse_period, period_label, period_sort_key
from cwb_metrics.portrait.pace import paces
from cwb_metrics.portrait.scoring import CONTEXT, Score, score_value
from cwb_metrics.portrait.significance import Observation, compare_with_benchmark, red_red, trend_significance

RING_ORDER = ("social_foundation", "ecological_ceiling")
#: Every status an indicator entry can have.
STATUSES: tuple[str, ...] = ("shortfall", "overshoot", "within", "context", "missing")
#: Statuses of an indicator placed against its threshold (with data, not context).
SCORED_STATUSES: tuple[str, ...] = ("shortfall", "overshoot", "within")
#: The reason shown for a dimension without a scored indicator when dimensions.yaml gives none.
NO_INDICATOR_NOTE = "No local indicator has been chosen for this dimension yet."


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
    threshold_basis: str | None = None
    threshold_by: int | None = None
    lens: str | None = None
    role: str = "scored"
    england_comparison: str | None = None
    trend_from: str | None = None
    trend_note: str = ""
    red_red: bool = False
    pace: list[dict[str, Any]] = field(default_factory=list)

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
        """Return entries with ``status``, largest score first (shortfalls on the one 0-1 scale)."""
        chosen = [e for e in self.entries if e.status == status]
        return sorted(chosen, key=lambda e: e.score or 0.0, reverse=True)

    def counts(self) -> dict[str, int]:
        """Headline counts: indicators by status, and dimensions with no scored indicator with data.

        Keys ``shortfall``, ``overshoot``, ``within``, ``context``, ``missing`` (indicators
        without data) and ``no_data_dimensions``.
        """
        indicators = [e for e in self.entries if e.id is not None]
        counts = {s: sum(e.status == s for e in indicators) for s in STATUSES}
        scored = {e.dimension for e in indicators if e.status in SCORED_STATUSES}
        counts["no_data_dimensions"] = sum(d not in scored for d in DIMENSIONS)
        return counts

    def as_dict(self) -> dict[str, object]:
        """Return the JSON shape of ``python -m cwb_metrics portrait --json``."""
        scored = {e.dimension for e in self.entries if e.id is not None and e.status in SCORED_STATUSES}
        return {
            "area": {"code": self.area_code, "name": self.area_name, "kind": self.area_kind},
            "period": self.period,
            "data_version": self.data_version,
            "counts": self.counts(),
            "indicators": [e.as_dict() for e in self.entries if e.id is not None],
            "missing_dimensions": [e.dimension for e in self.entries if e.id is None],
            "dimensions_without_data": [
                {"dimension": e.dimension, "label": e.dimension_label, "reason": e.note}
                for e in self.entries
                if e.id is None and e.dimension not in scored
            ],
        }


def _matches_period(text: str, wanted: str) -> bool:
    if wanted in (text, period_label(text)):
        return True
    try:
        return wanted.isdigit() and parse_period(text).start.year == int(wanted)
    except PeriodError:
        return False


#: Statuses that only say "no value" (the builders' default): the row's notes then give the reason.
_BARE_STATUSES = {"no value published", "x"}


def _missing_reason(rows: pd.DataFrame, area_code: str) -> str:
    """``": <reason>."`` of the area's rows published without a value, else ``"."``.

    The reason is the row's status (e.g. "no local election"), or its notes where the status
    only says that no value was published (e.g. why an extract of a national file does not
    cover the area).
    """
    empty = rows[(rows["areacd"] == area_code) & rows["value"].isna()]
    reasons = []
    for status, notes in zip(
        empty["status"] if "status" in empty.columns else [""] * len(empty),
        empty["notes"] if "notes" in empty.columns else [""] * len(empty),
        strict=True,
    ):
        status = str(status).strip() if isinstance(status, str) else ""
        notes = str(notes).strip() if isinstance(notes, str) else ""
        if status and status.lower() not in _BARE_STATUSES:
            reasons.append(status)
        elif notes:
            reasons.append(notes.rstrip("."))
        elif status:
            reasons.append(status)
    return f": {reasons[-1]}." if reasons else "."


def _value_or_none(number: object) -> float | None:
    if number is None:
        return None
    value = float(number)  # type: ignore[arg-type]  # a cell of a numeric column
    return None if math.isnan(value) else value


def _observations(own: pd.DataFrame) -> list[Observation]:
    return [
        Observation(str(p), float(v), _value_or_none(lo), _value_or_none(hi))
        for p, v, lo, hi in zip(own["period"], own["value"], own["lci_95"], own["uci_95"], strict=True)
    ]


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
        With the score on the 0-1 social scale (or the overshoot), the comparison with
        England and the trend (both tested at 95%), the red-red flag and the pace; a
        context indicator has status ``context`` and score ``None``.
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
        note = (
            "No data for this area" + ("" if period == "latest" else f" in {period}") + _missing_reason(rows, area_code)
        )
        score = Score("missing", None, None)
    else:
        row = chosen.iloc[0]
        value, lci, uci = (_value_or_none(row[c]) for c in ("value", "lci_95", "uci_95"))
        chosen_period = str(row["period"])
        if meta.role == "context" and value is not None:
            score = CONTEXT
        else:
            score = score_value(value, limit, meta.threshold.kind, meta.polarity, baseline=meta.threshold.baseline)
        note = str(row.get("notes") or "")

    def comparator(code: str | None) -> float | None:
        if code is None or chosen_period is None or code == area_code:
            return None
        match = rows[(rows["areacd"] == code) & (rows["period"] == chosen_period)]
        return _value_or_none(match["value"].iloc[0]) if not match.empty else None

    upto_key = period_sort_key(chosen_period) if chosen_period is not None else None
    kept = own if upto_key is None else own[own["_key"] <= upto_key]
    upto = [(str(p), float(v)) for p, v in zip(kept["period"], kept["value"], strict=True)]
    observations = _observations(kept)
    england = comparator(country_code)
    comparison = (
        compare_with_benchmark(value, lci, uci, england, meta.polarity, meta.decimals)
        if chosen_period is not None
        else "not_compared"
    )
    trend = trend_significance(
        observations,
        meta.polarity,
        meta.decimals,
        breaks=meta.series_breaks,
        comparable_over_time=meta.comparable_over_time,
    )
    pace = [p.as_dict() for p in paces(meta, observations, threshold)] if observations else []
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
        england=england,
        county=comparator(county_code),
        trend=trend.trend,
        series=upto if chosen_period is not None else series,
        note=note,
        threshold_basis=meta.threshold.basis,
        threshold_by=meta.threshold.by,
        lens=meta.lens,
        role=meta.role,
        england_comparison=comparison,
        trend_from=trend.earlier,
        trend_note=trend.reason,
        red_red=red_red(comparison, trend.trend),
        pace=pace,
    )


def _missing_dimension(dimension: str, note: str | None = None) -> PortraitEntry:
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
        note=note or NO_INDICATOR_NOTE,
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
    dimension_notes: Mapping[str, str] | None = None,
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
        Add one ``missing`` entry per Doughnut dimension that has no scored indicator
        (a dimension with only context indicators gets one too, beside them).
    data_version : str, optional
        The data version drawn from, recorded on the portrait.
    dimension_notes : mapping of dimension to str, optional
        Why a dimension has no scored indicator (default: ``dimensions.yaml``'s notes).

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
        if dimension_notes is None:
            from cwb_metrics.indicators.catalogue import dimension_notes as committed_notes

            dimension_notes = committed_notes()
        covered = {meta.dimension for meta in catalogue.values() if meta.role == "scored"}
        entries += [_missing_dimension(d, dimension_notes.get(d)) for d in DIMENSIONS if d not in covered]
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    entries.sort(key=lambda e: (RING_ORDER.index(e.ring), order[e.dimension], e.id or ""))
    return Portrait(area_code, area_name, area_kind, period, entries, data_version)
