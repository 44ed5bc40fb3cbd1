"""Who bears the shortfall: an LSOA-level indicator spread across the county's deprivation deciles.

For an indicator published by LSOA as a count out of a base (fuel poverty: households in
fuel poverty out of households; see
:data:`~cwb_metrics.deprivation.lsoa_indicators.LSOA_INDICATORS`), the county's LSOAs are
grouped by their national IMD decile (or a domain's decile) and, for each decile present
in the county, :func:`shortfall_by_decile` gives the households, the households in the
shortfall, each decile's share of the county's totals, and its rate against the county's.

Editions pair with the LSOA vintage of the data: IMD 2025 deciles (LSOA 2021) with the
2021 or 2023 fuel poverty estimates; IMD 2019 deciles (LSOA 2011) with the 2020
estimates. Deciles are England's (1 = most deprived 10% of LSOAs in England), so a
county may have few LSOAs, or none, in the lowest deciles.
"""

from __future__ import annotations

import pandas as pd

from cwb_metrics.deprivation.lsoa_indicators import LSOA_INDICATORS, LsoaIndicator
from cwb_metrics.deprivation.tables import IMD_TABLES
from cwb_metrics.errors import CwbError
from cwb_metrics.sources.imd import INDEX_LABELS, INDICES, LSOA_VINTAGE
from cwb_metrics.store import DataStore

#: Columns of :func:`shortfall_by_decile`.
DECILE_COLUMNS: tuple[str, ...] = (
    "decile",
    "lsoas",
    "base",
    "count",
    "share_of_base",
    "share_of_count",
    "rate",
    "county_rate",
    "rate_ratio",
)


def _spec(indicator: str) -> LsoaIndicator:
    if indicator not in LSOA_INDICATORS:
        raise CwbError(f"{indicator!r} is not published by LSOA here; choose one of {sorted(LSOA_INDICATORS)}")
    return LSOA_INDICATORS[indicator]


def available_years(store: DataStore, indicator: str = "fuel_poverty", edition: int = 2025) -> list[int]:
    """Return the data years of an LSOA indicator on the LSOA vintage of an IMD edition, oldest first."""
    if edition not in IMD_TABLES:
        raise CwbError(f"IMD edition must be one of {sorted(IMD_TABLES)}, not {edition!r}")
    table = store.read_table(_spec(indicator).table)
    years = table.loc[table["lsoa_vintage"] == LSOA_VINTAGE[edition], "year"]
    return sorted(int(y) for y in set(years))


def shortfall_by_decile(
    store: DataStore,
    indicator: str = "fuel_poverty",
    edition: int = 2025,
    *,
    year: int | None = None,
    domain: str = "imd",
) -> pd.DataFrame:
    """Spread an LSOA indicator's shortfall across the county's national deprivation deciles.

    Parameters
    ----------
    store : DataStore
        The data folder (its current version's LSOA indicator and IMD tables).
    indicator : str
        An id of :data:`~cwb_metrics.deprivation.lsoa_indicators.LSOA_INDICATORS`.
    edition : {2019, 2025}
        The IMD edition whose deciles group the LSOAs; the data must be on its LSOA vintage.
    year : int, optional
        The data year (default: the latest on that vintage).
    domain : str
        ``imd`` or a domain (``income``, ``employment`` ...): whose deciles group the LSOAs.

    Returns
    -------
    pandas.DataFrame
        One row per decile present in the county, most deprived first:
        ``decile`` (1 = England's most deprived 10%), ``lsoas``, ``base`` (households),
        ``count`` (e.g. households in fuel poverty), ``share_of_base`` and
        ``share_of_count`` (% of the county's totals), ``rate`` (100 x count / base),
        ``county_rate`` and ``rate_ratio`` (rate / county rate). ``attrs`` holds
        ``indicator, edition, year, domain, county_rate, count_label, base_label``.

    Raises
    ------
    CwbError
        For an unknown indicator, edition or domain, or a year not on the edition's LSOAs.
    NoDataError
        When the tables have not been built.
    """
    spec = _spec(indicator)
    if edition not in IMD_TABLES:
        raise CwbError(f"IMD edition must be one of {sorted(IMD_TABLES)}, not {edition!r}")
    if domain not in INDICES:
        raise CwbError(f"domain must be one of {list(INDICES)}, not {domain!r}")
    vintage = LSOA_VINTAGE[edition]
    data = store.read_table(spec.table)
    data = data[data["lsoa_vintage"] == vintage]
    years = sorted(int(y) for y in set(data["year"]))
    if not years:
        raise CwbError(f"{indicator} has no data on LSOAs {vintage}, which IMD {edition} uses.")
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise CwbError(
            f"{indicator} for {year} is not on LSOAs {vintage} (IMD {edition}); years available: "
            f"{', '.join(map(str, years))}."
        )
    data = data[data["year"] == year]
    imd = store.read_table(IMD_TABLES[edition]).loc[:, ["lsoa_code", f"{domain}_decile"]]
    joined = data.merge(imd, on="lsoa_code", how="inner", validate="one_to_one")
    joined = joined.rename(columns={f"{domain}_decile": "decile"}).dropna(subset=["decile"])
    joined = joined.assign(
        base=pd.to_numeric(joined[spec.base]).astype("float64"),
        count=pd.to_numeric(joined[spec.count]).astype("float64"),
        decile=joined["decile"].astype("int64"),
    )
    total_base, total_count = float(joined["base"].sum()), float(joined["count"].sum())
    county_rate = 100 * total_count / total_base if total_base else float("nan")
    grouped = joined.groupby("decile", sort=True).agg(
        lsoas=("lsoa_code", "size"), base=("base", "sum"), count=("count", "sum")
    )
    out = grouped.reset_index()
    out["share_of_base"] = 100 * out["base"] / total_base
    out["share_of_count"] = 100 * out["count"] / total_count
    out["rate"] = 100 * out["count"] / out["base"]
    out["county_rate"] = county_rate
    out["rate_ratio"] = out["rate"] / county_rate
    out = out.loc[:, list(DECILE_COLUMNS)]
    out.attrs.update(
        indicator=indicator,
        edition=int(edition),
        year=year,
        domain=domain,
        county_rate=county_rate,
        count_label=spec.count_label,
        base_label=spec.base_label,
        lsoa_vintage=vintage,
    )
    return out


def _share(frame: pd.DataFrame, deciles: tuple[int, ...]) -> dict[str, float] | None:
    rows = frame[frame["decile"].isin(deciles)]
    if rows.empty:
        return None
    base, count = float(rows["base"].sum()), float(rows["count"].sum())
    total_base, total_count = float(frame["base"].sum()), float(frame["count"].sum())
    return {
        "lsoas": int(rows["lsoas"].sum()),
        "share_of_base": 100 * base / total_base,
        "share_of_count": 100 * count / total_count,
        "rate": 100 * count / base if base else float("nan"),
    }


def _deciles_text(deciles: tuple[int, ...]) -> str:
    return f"decile {deciles[0]}" if len(deciles) == 1 else f"deciles {deciles[0]}-{deciles[-1]}"


def distribution_sentences(
    table: pd.DataFrame,
    *,
    area_name: str = "the county",
    most: tuple[int, ...] = (1, 2),
    least: tuple[int, ...] = (9, 10),
) -> list[str]:
    """Plain-English sentences about who bears the shortfall, for a briefing.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`shortfall_by_decile` (its ``attrs`` name the indicator, edition and year).
    area_name : str
        How the county is named ("the county", "Oxfordshire").
    most, least : tuple of int
        The deciles that make up the most and least deprived groups.

    Returns
    -------
    list of str
        E.g. "Households in the county's most deprived LSOAs (IMD 2025 deciles 1-2) are 2.3%
        of households but 4.1% of the households in fuel poverty (2023)."; then their rate
        against the county's, the least deprived group's, and what the deciles are.
    """
    attrs = table.attrs
    base_label = attrs.get("base_label", "households")
    count_label = attrs.get("count_label", "households in fuel poverty")
    domain = attrs.get("domain", "imd")
    tag = f"IMD {attrs.get('edition', '')}".strip()
    if domain != "imd":
        tag += f" {INDEX_LABELS[domain].lower()} domain"
    year = attrs.get("year")
    when = f" ({year})" if year is not None else ""
    whose = f"{area_name}'" if area_name.endswith("s") else f"{area_name}'s"
    county_rate = float(attrs.get("county_rate", float("nan")))
    capital = base_label[:1].upper() + base_label[1:]
    sentences = []
    low = _share(table, most)
    if low is None:
        sentences.append(f"None of {whose} LSOAs is in {tag} {_deciles_text(most)} (England's most deprived).")
    else:
        sentences.append(
            f"{capital} in {whose} most deprived LSOAs ({tag} {_deciles_text(most)}) are "
            f"{low['share_of_base']:.1f}% of {base_label} but {low['share_of_count']:.1f}% of the "
            f"{count_label}{when}."
        )
        ratio = low["rate"] / county_rate if county_rate else float("nan")
        sentences.append(
            f"There, {low['rate']:.1f}% of {base_label} {_predicate(attrs)}, against {county_rate:.1f}% across "
            f"{area_name} ({ratio:.1f} times the rate across {area_name})."
        )
    high = _share(table, least)
    if high is not None:
        sentences.append(
            f"In the least deprived LSOAs ({_deciles_text(least)}), {high['rate']:.1f}% of {base_label} "
            f"{_predicate(attrs)}; "
            f"they hold {high['share_of_base']:.1f}% of {base_label} and {high['share_of_count']:.1f}% of the "
            f"{count_label}."
        )
    counts = ", ".join(f"{int(r.lsoas)} in decile {int(r.decile)}" for r in table.itertuples() if r.decile in most)
    sentences.append(
        f"Deciles rank LSOAs across England (1 = most deprived 10%); {whose} {int(table['lsoas'].sum())} LSOAs "
        f"include {counts or 'none in the most deprived deciles'}."
    )
    return sentences


def _predicate(attrs: dict) -> str:
    spec = LSOA_INDICATORS.get(str(attrs.get("indicator", "")))
    return spec.predicate if spec is not None else "are in the shortfall"
