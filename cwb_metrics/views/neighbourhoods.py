"""Neighbourhood portraits: the picker, three doughnuts side by side, the comparison with district, county, England."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from cwb_metrics.areas.resolve import ResolvedArea
from cwb_metrics.briefing.accessibility import STATUS_LABELS as STATUS_WORDS
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.portrait.census_note import census_snapshot_note, is_census_snapshot
from cwb_metrics.portrait.portrait import Portrait
from cwb_metrics.portrait.sentences import entry_value_text, format_value
from cwb_metrics.portrait.side_by_side import side_by_side
from cwb_metrics.store import DataStore
from cwb_metrics.views.common import Choices
from cwb_metrics.views.tables import WideTable

#: The comparison table's last two columns: how the portrait uses each indicator, and which are Census snapshots.
MARKS = ("Scored or context", "Census 2021")
#: The page's period choice: the latest figures, or IMD 2019 as in the December 2024 portrait.
PERIODS = {"latest": "Latest available", "2019": "IMD 2019"}
#: What the whole configured area is, by its kind (a doughnut's role).
AREA_ROLES: dict[str, str] = {
    "county": "County",
    "unitary": "Unitary authority",
    "metropolitan_district": "Metropolitan district",
    "london_borough": "London borough",
    "district": "District",
    "country": "Country",
}


def area_role(config: AreaConfig) -> str:
    """What the configured area is: "County", "Unitary authority" ..."""
    return AREA_ROLES.get(config.geography_kind, "Council")


def lede(config: AreaConfig) -> str:
    """The page's one-line description, naming the configured area's own neighbourhoods (if it has any)."""
    names = [h.name for h in config.neighbourhoods if h.id in config.featured_neighbourhoods] or [
        h.name for h in config.neighbourhoods
    ]
    which = f"A ward or named neighbourhood ({', '.join(names[:3])})" if names else "A ward"
    beside = f"its district and {config.county_name}" if not config.single_tier else config.county_name
    return f"{which} set beside {beside}, on the indicators that are published for small areas."


def comparison_heading(area_name: str, config: AreaConfig) -> str:
    """The heading over a small area's comparison table."""
    if config.single_tier:
        return f"{area_name} beside {config.county_name} and England"
    return f"{area_name} beside its district, the county and England"


def neighbourhood_choices(config: AreaConfig, areas: Iterable[ResolvedArea]) -> Choices:
    """The picker: the featured neighbourhoods first, then the other neighbourhoods, then every ward with LSOAs."""
    districts = {d.code: d.name for d in config.districts}
    hoods = {h.id: h for h in config.neighbourhoods}
    featured = [h for h in config.featured_neighbourhoods if h in hoods] or list(hoods)
    pairs = [(h, f"{hoods[h].name} (neighbourhood, {districts.get(hoods[h].district, '')})") for h in featured]
    pairs += [(h.id, f"{h.name} (neighbourhood, {districts.get(h.district, '')})") for h in hoods.values()]
    pairs += [
        (a.code, f"{a.name} ward, {districts.get(a.district_code or '', '')}")
        for a in areas
        if a.kind == "ward" and (a.lsoa21 or a.lsoa11)
    ]
    return Choices.of(pairs)


@dataclass(frozen=True)
class Doughnut:
    """One of the doughnuts set side by side: an area and what it is ("Neighbourhood", "District", "County")."""

    code: str
    role: str

    @property
    def key(self) -> str:
        """A widget key from the role: ``county``, ``unitary_authority``."""
        return self.role.lower().replace(" ", "_")


def trio(place: ResolvedArea, config: AreaConfig) -> tuple[Doughnut, ...]:
    """The area, its district (unless the whole area is one district) and the whole configured area."""
    own = Doughnut(place.code, "Neighbourhood" if place.kind == "neighbourhood" else "Ward")
    separate = place.district_code and place.district_code != config.county_code
    district = (Doughnut(place.district_code, "District"),) if separate and place.district_code else ()
    return (own, *district, Doughnut(config.county_code, area_role(config)))


def small_subtitle(role: str, period: str) -> str:
    """A small doughnut's subtitle: its role and which figures."""
    return role + (" · latest available data" if period == "latest" else f" · data for {period}")


def doughnuts_table(portraits: Sequence[Portrait]) -> WideTable:
    """The data behind doughnuts drawn side by side: each indicator's value and status in each area."""
    first = portraits[0]
    rows = []
    for i, e in enumerate(first.entries):
        cells = [e.dimension_label, e.title if e.id else "No indicator yet"]
        for portrait in portraits:
            mine = portrait.entries[i]
            value = entry_value_text(mine) if mine.value is not None else "no data"
            word = STATUS_WORDS.get(mine.status, mine.status).lower()
            cells.append(value if mine.status == "missing" else f"{value} ({word})")
        rows.append(tuple(cells))
    return WideTable(("Dimension", "Indicator", *(p.area_name for p in portraits)), tuple(rows))


def comparison_table(
    store: DataStore,
    area: ResolvedArea,
    period: str,
    data: pd.DataFrame,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
) -> WideTable:
    """A ward's or neighbourhood's indicators beside its district's, the county's and England's, in its own period.

    Scored indicators first, then context ones (shown, never scored), each marked; with
    ``catalogue``, the 2021 Census snapshots are marked too (:mod:`cwb_metrics.portrait.census_note`).
    """
    result = side_by_side(store, area, period=period, data=data)
    table, own, district, county = result["comparison"], result["area"], result["district"], result["county"]
    if not isinstance(table, pd.DataFrame) or not isinstance(own, Portrait) or not isinstance(county, Portrait):
        raise TypeError("side_by_side returned an unexpected shape")
    names = {
        "area": own.area_name,
        "district": district.area_name if isinstance(district, Portrait) else "District",
        "county": county.area_name,
        "england": "England",
    }
    if isinstance(district, Portrait) and district.area_code == county.area_code:
        del names["district"]  # a single-tier council: its district is the whole area
    rows = []
    for record in table.to_dict("records"):
        cells = [str(record["title"]), str(record["period_label"] or "")]
        decimals, unit = int(record["decimals"] or 0), str(record["unit_short"] or "")
        cells += [format_value(record[key], decimals, unit, missing="–") for key in names]
        meta = (catalogue or {}).get(str(record["id"]))
        cells += [
            "Context" if record["status"] == "context" else "Scored",
            "Snapshot" if meta is not None and is_census_snapshot(meta) else "",
        ]
        rows.append(tuple(cells))
    rows.sort(key=lambda row: row[-2] == "Context")  # stable: scored first, each in drawing order
    return WideTable(("Indicator", "Period", *names.values(), *MARKS), tuple(rows))


def neighbourhood_census_note(portrait: Portrait, catalogue: Mapping[str, IndicatorMeta]) -> str | None:
    """Which of the area's indicators with data are 2021 Census snapshots, and what that means (or ``None``)."""
    return census_snapshot_note(portrait, catalogue)
