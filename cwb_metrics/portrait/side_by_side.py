"""The portraits of a small area, its district and the county, side by side."""

from __future__ import annotations

import pandas as pd

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.resolve import ResolvedArea, resolve_area
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.portrait.small_area import METHOD_NOTE
from cwb_metrics.store import DataStore


def side_by_side(
    store: DataStore,
    area: str | ResolvedArea,
    *,
    period: str = "latest",
    data: pd.DataFrame | None = None,
) -> dict[str, object]:
    """The portraits of a small area, its district and the county, for a page that sets them side by side.

    Parameters
    ----------
    store : DataStore
        The data folder.
    area : str or ResolvedArea
        A ward, neighbourhood or LSOA (by name, code or resolved); a district or the
        county also works (its district is itself).
    period : str
        ``"latest"`` or a period, as :func:`~cwb_metrics.portrait.for_area.portrait_for`.
    data : pandas.DataFrame, optional
        Already-read indicator rows (the app's cached copy).

    Returns
    -------
    dict
        ``"area"``, ``"district"`` (``None`` for the county) and ``"county"``:
        :class:`~cwb_metrics.portrait.portrait.Portrait`; ``"comparison"``: a DataFrame
        with one row per indicator the area has a value for (``id, title, unit_short,
        decimals, period, period_label, area, district, county, england, status``),
        the district, county and England values taken in the area's own period;
        ``"method_note"``: :data:`METHOD_NOTE`.
    """
    config = load_area_config()
    resolved = area if isinstance(area, ResolvedArea) else resolve_area(area, store, config)
    if data is None:
        data = store.read_all_indicators()
    own = portrait_for(store, resolved.code, period=period, data=data)
    district = None
    if resolved.district_code is not None:
        district = (
            own
            if resolved.kind == "district"
            else portrait_for(store, resolved.district_code, period=period, data=data)
        )
    county = portrait_for(store, config.county_code, period=period, data=data)

    def value(indicator: str, code: str | None, when: str | None) -> float | None:
        if code is None or when is None:
            return None
        match = data[(data["indicator"] == indicator) & (data["areacd"] == code) & (data["period"].astype(str) == when)]
        values = pd.to_numeric(match["value"], errors="coerce").dropna()
        return None if values.empty else float(values.iloc[0])

    records = [
        {
            "id": e.id,
            "title": e.title,
            "unit_short": e.unit_short,
            "decimals": e.decimals,
            "period": e.period,
            "period_label": e.period_label,
            "area": e.value,
            "district": value(str(e.id), resolved.district_code, e.period),
            "county": value(str(e.id), config.county_code, e.period),
            "england": value(str(e.id), config.country_code, e.period),
            "status": e.status,
        }
        for e in own.entries
        if e.id is not None and e.value is not None
    ]
    columns = [
        "id",
        "title",
        "unit_short",
        "decimals",
        "period",
        "period_label",
        "area",
        "district",
        "county",
        "england",
        "status",
    ]
    return {
        "area": own,
        "district": district,
        "county": county,
        "comparison": pd.DataFrame.from_records(records, columns=columns),
        "method_note": METHOD_NOTE,
    }
