"""Short text descriptions of the charts: what each shows, in words, for screen readers and for everyone.

Each function takes the same table the chart is drawn from and returns two to four plain
sentences (the figures in full are in the data table shown beside or under the chart).
The Doughnut's own description is :func:`cwb_metrics.briefing.chart_text_alternative`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cwb_metrics.portrait.sentences import format_number, join_words, lower_first, number_word


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{number_word(count)} {singular if count == 1 else (plural or singular + 's')}"


def _whose(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def trend_description(points: pd.DataFrame, *, title: str, threshold_text: str = "") -> str:
    """Describe a trend chart: the periods it spans and each area's first and latest value.

    Parameters
    ----------
    points : pandas.DataFrame
        :func:`~cwb_metrics.charts.trends.trend_rows` (``area, role, date, period_label, value, value_text``).
    title : str
        The indicator's title, e.g. ``"Households in fuel poverty"``.
    threshold_text : str
        The threshold as drawn, e.g. ``"Foundation 0%"`` (empty: none).

    Returns
    -------
    str
        E.g. "Line chart of households in fuel poverty from 2019 to 2023 for Oxfordshire and
        England (dashed: comparators). Oxfordshire: 9.1% in 2019, 9.6% in 2023. ..."
    """
    if points.empty:
        return f"Line chart of {lower_first(title)}: no figures for the chosen areas."
    ordered = points.sort_values("date")
    first, last = ordered["period_label"].iloc[0], ordered["period_label"].iloc[-1]
    span = f"in {first}" if first == last else f"from {first} to {last}"
    areas = list(dict.fromkeys(points["area"]))
    dashed = list(dict.fromkeys(points.loc[points["role"] == "comparator", "area"]))
    note = f" ({join_words(dashed)} dashed, for comparison)" if dashed else ""
    parts = [f"Line chart of {lower_first(title)} {span} for {join_words(areas)}{note}."]
    for area in areas:
        mine = points[points["area"] == area].sort_values("date")
        start, end = mine.iloc[0], mine.iloc[-1]
        if len(mine) == 1:
            parts.append(f"{area}: {end['value_text']} in {end['period_label']}.")
            continue
        change = end["value"] - start["value"]
        word = "up from" if change > 0 else "down from" if change < 0 else "the same as"
        parts.append(
            f"{area}: {end['value_text']} in {end['period_label']}, {word} {start['value_text']} "
            f"in {start['period_label']}."
        )
    if threshold_text:
        parts.append(f"The horizontal line is the threshold: {lower_first(threshold_text)}.")
    return " ".join(parts)


def decile_map_description(deciles: pd.Series, *, area_name: str, what: str) -> str:
    """Describe a map of LSOAs shaded by IMD decile: how many LSOAs fall in each decile.

    Parameters
    ----------
    deciles : pandas.Series
        One decile (1-10, or missing) per LSOA drawn.
    area_name : str
        The area the map shows, e.g. ``"Oxford"``.
    what : str
        What the deciles are of, e.g. ``"IMD 2025 decile"``.

    Returns
    -------
    str
        E.g. "Map of Oxford's 84 neighbourhoods (LSOAs), shaded by IMD 2025 decile ... By decile:
        1: 2, 2: 9, ... 8 are in England's most deprived 20% (deciles 1 and 2)."
    """
    values = pd.to_numeric(deciles, errors="coerce")
    known = values.dropna().astype(int)
    parts = [
        f"Map of {_whose(area_name)} {_plural(len(values), 'neighbourhood')} (LSOAs), shaded by {what}: "
        "decile 1, the darkest, is England's most deprived 10%, decile 10, the lightest, the least deprived."
    ]
    if known.empty:
        parts.append("None has a decile.")
        return " ".join(parts)
    counts = known.value_counts()
    parts.append("LSOAs by decile: " + ", ".join(f"{d}: {counts.get(d, 0)}" for d in range(1, 11)) + ".")
    low = int((known <= 2).sum())
    parts.append(
        f"{_plural(low, 'LSOA is', 'LSOAs are')} in England's most deprived 20% (deciles 1 and 2)."
        if low
        else "None is in England's most deprived 20% (deciles 1 and 2)."
    )
    missing = len(values) - len(known)
    if missing:
        parts.append(f"{_plural(missing, 'LSOA has', 'LSOAs have')} no data (light grey).")
    return " ".join(parts)


def change_map_description(change: pd.DataFrame, *, area_name: str, what: str) -> str:
    """Describe a map of the change in IMD decile from 2019 to 2025.

    Parameters
    ----------
    change : pandas.DataFrame
        One row per LSOA (2021) drawn: ``decile_change`` (2025 minus 2019; below 0 is more
        deprived), and ``name`` for the largest moves.
    area_name : str
        The area the map shows.
    what : str
        The measure, e.g. ``"overall deprivation (IMD)"``.

    Returns
    -------
    str
        How many LSOAs moved towards each end of the ranking, stayed, or have no comparison,
        and the largest moves.
    """
    moved = pd.to_numeric(change["decile_change"], errors="coerce")
    worse, better, same = int((moved < 0).sum()), int((moved > 0).sum()), int((moved == 0).sum())
    missing = int(moved.isna().sum())
    parts = [
        f"Map of {_whose(area_name)} {_plural(len(change), 'LSOA')} (2021 boundaries), shaded by how many deciles "
        f"each moved on {what} between IMD 2019 and IMD 2025: orange towards the more deprived end of "
        "England's ranking, blue towards the less deprived end, the palest shades little or no change.",
        f"{number_word(worse).capitalize()} moved towards the more deprived end, {number_word(better)} towards "
        f"the less deprived end and {number_word(same)} stayed in the same decile"
        + (f"; {_plural(missing, 'LSOA has', 'LSOAs have')} no comparison (grey)." if missing else "."),
    ]
    if worse or better:
        names = change["name"] if "name" in change else change.get("lsoa21_name", pd.Series("", index=change.index))
        for sign, word in ((-1, "more"), (1, "less")):
            chosen = moved[moved * sign > 0]
            if chosen.empty:
                continue
            size = int(abs(chosen).max())
            who = [str(names.loc[i]) for i in chosen.index if abs(chosen.loc[i]) == size]
            which = join_words(who[:3]) + (f" and {len(who) - 3} others" if len(who) > 3 else "")
            parts.append(f"Largest move towards {word} deprived: {_plural(size, 'decile')} ({which}).")
    return " ".join(parts)


def decile_shares_description(table: pd.DataFrame) -> str:
    """Describe the grouped bars of each decile's share of households and of those in the shortfall.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~cwb_metrics.deprivation.distribution.shortfall_by_decile`.

    Returns
    -------
    str
        What the bars are, and the deciles where the shortfall's share most exceeds and most
        falls short of the households' share.
    """
    attrs = table.attrs
    base_label = str(attrs.get("base_label", "households"))
    count_label = str(attrs.get("count_label", "households in the shortfall"))
    edition, year = attrs.get("edition", ""), attrs.get("year")
    parts = [
        f"Grouped bar chart: for each IMD {edition} decile (1 = England's most deprived 10%), the share of the "
        f"county's {base_label} (blue, left bar) and of its {count_label} (orange, right bar)"
        + (f", {year}." if year else ".")
    ]
    if not table.empty:
        gap = table["share_of_count"] - table["share_of_base"]
        top, bottom = table.loc[gap.idxmax()], table.loc[gap.idxmin()]
        if gap.max() > 0:
            parts.append(
                f"The {count_label} are most over-represented in decile {int(top['decile'])}: "
                f"{format_number(top['share_of_count'])}% of them, against {format_number(top['share_of_base'])}% "
                f"of {base_label}."
            )
        if gap.min() < 0:
            parts.append(
                f"They are most under-represented in decile {int(bottom['decile'])}: "
                f"{format_number(bottom['share_of_count'])}% against {format_number(bottom['share_of_base'])}%."
            )
    return " ".join(parts)


def decile_rate_description(table: pd.DataFrame) -> str:
    """Describe the bars of the rate in each decile against the county rate.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~cwb_metrics.deprivation.distribution.shortfall_by_decile`.

    Returns
    -------
    str
        What the bars are, the county rate, and the highest and lowest deciles.
    """
    attrs = table.attrs
    base_label = str(attrs.get("base_label", "households"))
    count_label = str(attrs.get("count_label", "in the shortfall"))
    county = float(attrs.get("county_rate", table["county_rate"].iloc[0] if len(table) else float("nan")))
    year = attrs.get("year")
    parts = [
        f"Bar chart of {count_label} as a percentage of {base_label} in each IMD {attrs.get('edition', '')} decile"
        + (f" ({year})" if year else "")
        + f", with the county rate of {format_number(county)}% as a dashed line."
    ]
    if not table.empty:
        high, low = table.loc[table["rate"].idxmax()], table.loc[table["rate"].idxmin()]
        above = int((table["rate"] > county).sum())
        parts.append(
            f"Highest in decile {int(high['decile'])} ({format_number(high['rate'])}%), lowest in decile "
            f"{int(low['decile'])} ({format_number(low['rate'])}%); {_plural(above, 'decile is', 'deciles are')} "
            "above the county rate."
        )
    return " ".join(parts)


def progress_description(progress: pd.DataFrame, statuses: Mapping[str, str] | None = None) -> str:
    """Describe the stacked bars of each theme's actions by status.

    Parameters
    ----------
    progress : pandas.DataFrame
        :func:`~cwb_metrics.actions.tracker.progress_by_theme` (with its ``All themes`` row).
    statuses : mapping, optional
        Status -> how to write it (default: the status lower-cased).

    Returns
    -------
    str
        The whole plan's counts, then each theme's.
    """
    columns = [c for c in progress.columns if c not in ("theme", "actions", "complete_pct")]
    words = dict(statuses or {c: c.lower() for c in columns})

    def counts(row: pd.Series) -> str:
        return join_words(f"{number_word(int(row[c]))} {words.get(c, c.lower())}" for c in columns if int(row[c]))

    themes = progress[progress["theme"] != "All themes"]
    total = progress[progress["theme"] == "All themes"]
    parts = [
        f"Stacked bar chart of the action plan's actions in each of its {_plural(len(themes), 'theme')}, by status."
    ]
    if not total.empty:
        row = total.iloc[0]
        parts.append(f"All {_plural(int(row['actions']), 'action')}: {counts(row)}.")
    parts.append(
        " ".join(f"{r['theme']}: {_plural(int(r['actions']), 'action')}, {counts(r)}." for _, r in themes.iterrows())
    )
    return " ".join(parts)
