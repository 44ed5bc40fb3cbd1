"""Assemble a councillor briefing from the data: everything the one-page renderers draw.

A :class:`Briefing` is plain data computed from one data version, one area and one period
(no clock, no randomness), so the same three inputs always give the same briefing, and
the renderers (``render_pdf``, ``render_image``, ``render_html``) only lay it out.

Where an area (a ward or a named neighbourhood) has no Doughnut indicator of its own yet,
the briefing says so and draws the Doughnut of the district it is in, clearly labelled;
its deprivation figures are always the area's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.resolve import ResolvedArea, resolve_area
from cwb_metrics.briefing.accessibility import (
    TREND_LABELS,
    chart_text_alternative,
    gap_text,
    threshold_text,
)
from cwb_metrics.build.local_meta import catalogue_for
from cwb_metrics.charts.doughnut import doughnut_chart
from cwb_metrics.deprivation.profile import POPULATION_LABEL, deprivation_profile, profile_sentences
from cwb_metrics.errors import CwbError
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.periods import period_label
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.portrait.portrait import Portrait, PortraitEntry
from cwb_metrics.portrait.sentences import (
    basis_sentence,
    england_sentence,
    entry_value_text,
    pace_sentence,
    pace_sentences,
    portrait_sentences,
    trend_sentence,
)
from cwb_metrics.store import DataStore

#: Width (px) the Doughnut is drawn at before it is scaled onto the page.
DOUGHNUT_WIDTH = 480
#: How many of the largest shortfalls and overshoots a briefing lists.
KEY_FIGURES = 3
#: Fewest and most plain-English sentences.
MIN_SENTENCES, MAX_SENTENCES = 4, 8
#: Most characters of sentences that fit the page at the briefing's text size.
SENTENCE_BUDGET = 900
OGL = "Open Government Licence v3.0"
IMD_PRODUCER = "Ministry of Housing, Communities and Local Government"
IMD_SOURCE = f"{IMD_PRODUCER}: English Indices of Deprivation 2019 and 2025"
METHOD = (
    "Method: Doughnut Economics (Raworth 2017; Fanning & Raworth 2025); differences claimed only if significant "
    "at 95%; comparator and illustrative thresholds are not targets."
)
CREDIT = f"Sources: ONS, OHID, DfE, DWP, DESNZ, DEFRA, MHCLG; {OGL}"
_VIA = " (via ONS Explore Local Statistics)"


@dataclass(frozen=True)
class KeyFigure:
    """One of the largest shortfalls or overshoots, with its value, threshold and trend."""

    indicator_id: str
    title: str
    short_title: str
    dimension: str
    status: str
    value_text: str
    period_label: str
    threshold_text: str
    threshold_source: str
    illustrative: bool
    gap_text: str
    trend: str | None
    trend_text: str
    england_text: str
    polarity: str | None
    threshold: float | None
    series: tuple[tuple[str, float], ...] = ()
    threshold_basis: str | None = None
    england_comparison: str | None = None
    red_red: bool = False
    pace_text: str = ""


@dataclass(frozen=True)
class DeprivationHeadline:
    """How many of the area's LSOAs are among England's most deprived in one IMD edition."""

    edition: int
    lsoa_count: int
    most_deprived_10pct: int
    most_deprived_20pct: int
    population_share_20pct: float | None
    population_label: str
    sentences: tuple[str, ...]
    approximate: bool

    @property
    def headline(self) -> str:
        """The 20% sentence: "3 of Blackbird Leys' 4 neighbourhoods (LSOAs) are among ..."."""
        return self.sentences[0]


@dataclass(frozen=True)
class Briefing:
    """A one-page councillor briefing: the data, not its layout.

    Attributes
    ----------
    title : str
        Document title, ``"Councillor briefing: Blackbird Leys"``.
    area_code, area_name, area_kind : str
        The area briefed on (the resolved name and code).
    area_context : str
        What the area is: ``"District in Oxfordshire"``, ``"Neighbourhood in Oxford"``.
    period : str
        The period asked for (``"latest"`` or a year).
    period_text : str
        ``"Latest available figures"`` or ``"Figures for 2023"``.
    date : datetime.date
        When the data version was built (not today: the briefing is reproducible).
    created : str
        The data version's build time, ISO 8601 (the PDF's creation date).
    data_version : str
        The data version drawn from.
    portrait : Portrait
        The portrait drawn: the area's own, or its district's (see ``context_note``).
    doughnut : dict
        The Vega-Lite spec of the Doughnut (no title; legend and credit at the foot).
    doughnut_heading : str
        What the Doughnut shows, e.g. ``"The Doughnut: Oxford (district)"``.
    context_note : str or None
        Set when the area has no indicator of its own and its district is drawn.
    counts : dict of str to int
        Indicators by status (``within``, ``shortfall``, ``overshoot``, ``context``),
        dimensions with no scored indicator with data (``missing_dimensions``), and the
        shortfalls resting on a comparator or illustrative threshold
        (``shortfalls_on_comparator_or_illustrative``), of the portrait drawn.
    shortfalls, overshoots : tuple of KeyFigure
        The largest three of each, largest first.
    deprivation : tuple of DeprivationHeadline
        IMD 2019 and IMD 2025 (empty for England).
    deprivation_note : str
        How to read the two editions (LSOA boundaries changed in 2021).
    sentences : tuple of str
        Four to eight plain-English sentences.
    text_alternative : str
        A short description of the Doughnut (alt text).
    sources, licences : tuple of str
        Producers and licences of the figures shown.
    footer : tuple of str
        Source, licence, method and data-version lines.
    council_name : str
        The configured council (the PDF's author), e.g. ``"Cornwall"``.
    """

    title: str
    area_code: str
    area_name: str
    area_kind: str
    area_context: str
    period: str
    period_text: str
    date: dt.date
    created: str
    data_version: str
    portrait: Portrait
    doughnut: dict
    doughnut_heading: str
    context_note: str | None
    counts: dict[str, int]
    shortfalls: tuple[KeyFigure, ...]
    overshoots: tuple[KeyFigure, ...]
    deprivation: tuple[DeprivationHeadline, ...]
    deprivation_note: str
    sentences: tuple[str, ...]
    text_alternative: str
    sources: tuple[str, ...]
    licences: tuple[str, ...]
    footer: tuple[str, ...] = field(default=())
    council_name: str = ""

    @property
    def date_text(self) -> str:
        """The build date as the briefing prints it: ``22 November 2026``."""
        return f"{self.date.day} {self.date:%B %Y}"

    @property
    def file_stem(self) -> str:
        """A file name for downloads: ``briefing-blackbird-leys-latest``."""
        slug = "".join(c if c.isalnum() else "-" for c in self.area_name.casefold()).strip("-")
        while "--" in slug:
            slug = slug.replace("--", "-")
        return f"briefing-{slug}-{self.period}"


def _has_data(portrait: Portrait) -> bool:
    return any(e.id is not None and e.status in ("within", "shortfall", "overshoot") for e in portrait.entries)


#: Why a trend was not tested, in a few words for the key figures (a fragment of the portrait's trend_note).
_SHORT_REASONS: tuple[tuple[str, str], ...] = (
    ("one period", "one period"),
    ("confidence intervals", "no CIs"),
    ("overlap", "periods overlap"),
    ("method changed", "method changed"),
    ("publisher", "not advised"),
)


def _trend_text(entry: PortraitEntry) -> str:
    """The tested trend in words: "Improving (significant) since 2019", "Not tested: only one period"."""
    if entry.trend is None:
        return "Too few releases to show a trend"
    if entry.trend == "not_compared":
        short = next((text for key, text in _SHORT_REASONS if key in entry.trend_note), "")
        return f"Trend not tested ({short})" if short else "Trend not tested"
    since = period_label(entry.trend_from) if entry.trend_from else period_label(entry.series[-5:][0][0])
    return f"{TREND_LABELS.get(entry.trend, entry.trend)} since {since}"


def _england_text(entry: PortraitEntry) -> str:
    if entry.england is None:
        return ""
    text = f"England {entry_value_text(entry, entry.england)}"
    if entry.england_comparison in ("better", "worse", "similar"):
        text += f" ({entry.england_comparison})"
    return text


def weak_basis(entry: PortraitEntry) -> bool:
    """True when a threshold rests on a comparator (England's average) or is illustrative."""
    return entry.threshold_basis in ("comparator", "illustrative") or bool(entry.threshold_illustrative)


def none_text(portrait: Portrait, status: str) -> str:
    """What the briefing says where it has no largest shortfall (or overshoot) to list."""
    ring = "social_foundation" if status == "shortfall" else "ecological_ceiling"
    if not any(e.ring == ring and e.id and e.status != "missing" for e in portrait.entries):
        which = "social-foundation" if status == "shortfall" else "ecological-ceiling"
        return f"No {which} indicator has data for {portrait.area_name} yet."
    if status == "shortfall":
        return "None: every social indicator with data meets its foundation."
    return "None: every ecological indicator with data is within its ceiling."


def key_figure(entry: PortraitEntry) -> KeyFigure:
    """Describe one portrait entry for the briefing's list of largest gaps."""
    source = entry.threshold_source or ""
    return KeyFigure(
        indicator_id=str(entry.id),
        title=entry.title,
        short_title=entry.short_title,
        dimension=entry.dimension_label,
        status=entry.status,
        value_text=entry_value_text(entry),
        period_label=entry.period_label or "",
        threshold_text=threshold_text(entry),
        threshold_source=source,
        illustrative=weak_basis(entry) or source.lower().startswith("illustrative"),
        gap_text=gap_text(entry),
        trend=entry.trend,
        trend_text=_trend_text(entry),
        england_text=_england_text(entry),
        polarity=entry.polarity,
        threshold=entry.threshold,
        series=tuple(entry.series),
        threshold_basis=entry.threshold_basis,
        england_comparison=entry.england_comparison,
        red_red=entry.red_red,
        pace_text=pace_sentence(entry, "the area") or "",
    )


def _area_context(area: ResolvedArea, config: AreaConfig) -> str:
    districts = {d.code: d.name for d in config.districts}
    district = districts.get(area.district_code or "", config.county_name)
    if area.code == config.county_code and area.kind == "district":  # the whole area is one council
        counties = [c.name for c in config.comparators if c.geography == "county"]
        return {
            "unitary": "Unitary authority",
            "metropolitan_district": "Metropolitan district",
            "london_borough": "London borough",
        }.get(config.geography_kind, f"District in {counties[0]}" if counties else "District")
    return {
        "country": "Country",
        "county": "County",
        "district": f"District in {config.county_name}",
        "ward": f"Ward in {district}",
        "neighbourhood": f"Neighbourhood in {district}",
        "lsoa": f"Small area (LSOA) in {district}",
    }[area.kind]


def _headlines(area: ResolvedArea, store: DataStore) -> tuple[tuple[DeprivationHeadline, ...], str]:
    if area.kind == "country":
        return (), (
            "Deprivation is counted for the county and its areas: by definition 20% of England's "
            "neighbourhoods are among its 20% most deprived."
        )
    headlines = []
    for edition in (2019, 2025):
        try:
            profile = deprivation_profile(area, edition, store)
        except CwbError:
            continue
        summary = profile.summary
        headlines.append(
            DeprivationHeadline(
                edition=edition,
                lsoa_count=summary.lsoa_count,
                most_deprived_10pct=summary.most_deprived_10pct,
                most_deprived_20pct=summary.most_deprived_20pct,
                population_share_20pct=summary.imd.population_share_20pct,
                population_label=POPULATION_LABEL[edition],
                sentences=tuple(profile_sentences(profile)),
                approximate=edition in area.derived_editions,
            )
        )
    note = (
        "Neighbourhoods are LSOAs, small areas of about 1,500 residents; IMD 2019 counts 2011 LSOAs and "
        "IMD 2025 counts 2021 LSOAs."
    )
    approximate = [str(h.edition) for h in headlines if h.approximate]
    if approximate:
        note += (
            f" The IMD {' and '.join(approximate)} LSOAs of {area.name} were matched through the ONS "
            "2011 to 2021 best-fit lookup, so that match is approximate."
        )
    return tuple(headlines), note


def _fit(sentences: list[str], keep: int) -> list[str]:
    """At most :data:`MAX_SENTENCES` and :data:`SENTENCE_BUDGET` characters; the first ``keep`` always stay."""
    chosen = list(dict.fromkeys(s for s in sentences if s))[:MAX_SENTENCES]
    while len(chosen) > max(keep, MIN_SENTENCES) and sum(len(s) for s in chosen) > SENTENCE_BUDGET:
        chosen.pop()
    return chosen


def _ranked_portrait_sentences(portrait: Portrait, limit: int) -> list[str]:
    """The portrait's sentences, summary first, then those the page shows nowhere else.

    The trend and the comparison with England come before the largest shortfall and
    overshoot, whose figures the page also lists beside the Doughnut.
    """
    sentences = portrait_sentences(portrait, max_sentences=limit)
    must = [s for s in (basis_sentence(portrait), *pace_sentences(portrait)) if s]
    first = {trend_sentence(portrait), england_sentence(portrait), *must}
    ordered = [*must, *(s for s in sentences[1:] if s in first and s not in must)]
    return [sentences[0], *ordered, *(s for s in sentences[1:] if s not in first)]


def _sentences(
    own: Portrait, drawn: Portrait, headlines: tuple[DeprivationHeadline, ...], context: bool
) -> tuple[str, ...]:
    """Four to eight sentences: the portrait's, and the deprivation headlines of both IMD editions."""
    tops = [h.headline for h in headlines]
    rest = [s for h in headlines for s in h.sentences[1:] if "best-fit" not in s]
    if context:
        # The area's own figures first (its deprivation), then its district's portrait.
        district = _ranked_portrait_sentences(drawn, 6)
        kept = 1 + (basis_sentence(drawn) is not None)
        chosen = _fit([*tops, *rest[:2], *district, *rest[2:]], keep=len(tops) + len(rest[:2]) + kept)
    else:
        portrait = _ranked_portrait_sentences(own, 6)
        kept = 1 + (basis_sentence(own) is not None)
        chosen = _fit([portrait[0], *tops, *portrait[1:], *rest], keep=kept + len(tops))
    if len(chosen) < MIN_SENTENCES:
        extra = [s for s in (*rest, *portrait_sentences(drawn, max_sentences=6)) if s not in chosen]
        chosen += extra[: MIN_SENTENCES - len(chosen)]
    return tuple(chosen)


def _with_neighbours(sentences: tuple[str, ...], extra: str) -> tuple[str, ...]:
    """Add the similar-areas sentence after the summary, within :data:`MAX_SENTENCES`."""
    if not extra:
        return sentences
    return tuple([*sentences[:1], extra, *sentences[1:]][:MAX_SENTENCES])


#: Publishers as the footer abbreviates them.
ACRONYMS: dict[str, str] = {
    "Office for National Statistics": "ONS",
    "Office for Health Improvement and Disparities": "OHID",
    "Department for Education": "DfE",
    "Department for Work and Pensions": "DWP",
    "Department for Energy Security and Net Zero": "DESNZ",
    "Department for Environment, Food and Rural Affairs": "Defra",
    "Ministry of Housing, Communities and Local Government": "MHCLG",
    "Department for Culture, Media and Sport": "DCMS",
    "Department for Transport": "DfT",
    "Department for Business, Energy and Industrial Strategy": "BEIS",
}


def abbreviate(text: str) -> str:
    """Replace publishers' full names with their usual abbreviations (``Office for National Statistics`` -> ``ONS``)."""
    for name, short in ACRONYMS.items():
        text = text.replace(name, short)
    return text


def _sources(portrait: Portrait, catalogue: Mapping[str, IndicatorMeta], with_imd: bool) -> tuple[list[str], list[str]]:
    """Producers (full names; those reached through ONS Explore Local Statistics grouped) and licences."""
    direct: list[str] = []
    via: list[str] = []
    licences: list[str] = []
    for entry in portrait.entries:
        meta = catalogue.get(entry.id or "")
        if meta is None or entry.status == "missing":
            continue
        producer = meta.origin.producer
        target = via if producer.endswith(_VIA) else direct
        name = producer.removesuffix(_VIA)
        if name not in target:
            target.append(name)
        if meta.origin.licence not in licences:
            licences.append(meta.origin.licence)
    sources = []
    if via:
        sources.append(f"ONS Explore Local Statistics (data from {', '.join(sorted(via, key=abbreviate))})")
    sources += sorted(direct, key=abbreviate)
    if with_imd:
        sources = [s for s in sources if s != IMD_PRODUCER] + [IMD_SOURCE]
    if OGL not in licences:
        licences.insert(0, OGL)
    return sources, sorted(licences, key=lambda text: (text != OGL, text))


def sources_credit(portrait: Portrait, catalogue: Mapping[str, IndicatorMeta]) -> str:
    """The credit line of a portrait's chart: the producers of the figures it shows, and their licences.

    Parameters
    ----------
    portrait : Portrait
        The scored portrait.
    catalogue : mapping
        The indicator catalogue (``IndicatorMeta`` by id).

    Returns
    -------
    str
        E.g. ``"Sources: ONS Explore Local Statistics (data from DfE, OHID); DESNZ. Licence: Open
        Government Licence v3.0."``
    """
    sources, licences = _sources(portrait, catalogue, with_imd=False)
    named = f"Sources: {abbreviate('; '.join(sources))}. " if sources else ""
    return f"{named}Licence{'s' if len(licences) > 1 else ''}: {'; '.join(licences)}."


def neighbour_sentence(
    store: DataStore, version: str, portrait: Portrait, catalogue: Mapping[str, IndicatorMeta]
) -> str:
    """The area's largest gap beside its ONS similar areas and England ("" when the league is not built).

    Uses the league of councils cached for this data version (``python -m cwb_metrics league``
    builds it); a briefing never waits for it to be built.
    """
    from cwb_metrics.compare.league import load_league, version_source_paths
    from cwb_metrics.compare.neighbours import load_similar_areas
    from cwb_metrics.compare.versus import neighbour_comparison

    focus = [*portrait.by_status("shortfall"), *portrait.by_status("overshoot")][:1]
    try:
        league = load_league(store, version, build=False)
        if league is None or not focus or focus[0].id is None:
            return ""
        similar = load_similar_areas(version_source_paths(store, version, check=False))
        if portrait.area_code not in similar.lists:
            return ""
        return neighbour_comparison(
            league, similar, focus[0].id, portrait.area_code, catalogue=catalogue, period=focus[0].period
        ).sentence()
    except CwbError:
        return ""


def build_briefing(
    store: DataStore,
    area: str,
    *,
    period: str = "latest",
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    data: pd.DataFrame | None = None,
    config: AreaConfig | None = None,
) -> Briefing:
    """Assemble the one-page briefing of an area from the store's current data version.

    Parameters
    ----------
    store : DataStore
        The data folder.
    area : str
        A name, alias, neighbourhood id or GSS code: the county, a district, a ward, a
        named neighbourhood or an LSOA.
    period : str
        ``"latest"`` (each indicator's latest figure) or a period (a year such as ``2023``).
    catalogue : mapping, optional
        The indicator catalogue (default: the committed one with the data version's records).
    data : pandas.DataFrame, optional
        Already-read indicator rows (the app passes its cached copy).
    config : AreaConfig, optional
        The area configuration (default: the configured one).

    Returns
    -------
    Briefing

    Raises
    ------
    AreaNotFoundError
        When the area is unknown.
    NoDataError
        When no data has been built yet.
    """
    config = config or load_area_config()
    resolved = resolve_area(area, store, config)
    version = store.current_version()
    if version is None:
        store.version_dir()  # raises NoDataError naming the refresh command
    created = str(store.manifest(version)["created"])
    catalogue = catalogue if catalogue is not None else catalogue_for(store)
    data = data if data is not None else store.read_all_indicators()

    def portrait_of(code: str) -> Portrait:
        return portrait_for(store, code, period=period, catalogue=catalogue, data=data)

    own = portrait_of(resolved.code)
    drawn, context_note = own, None
    if not _has_data(own) and resolved.kind in ("ward", "neighbourhood", "lsoa") and resolved.district_code:
        drawn = portrait_of(resolved.district_code)
        if _has_data(drawn):
            when = "yet" if period == "latest" else f"for {period}"
            whose = f"{resolved.name}'" if resolved.name.endswith("s") else f"{resolved.name}'s"
            context_note = (
                f"No Doughnut indicator has figures for {resolved.name} itself {when}: most official statistics "
                f"stop at district level. The Doughnut and largest gaps are for {drawn.area_name}, the district "
                f"{resolved.name} is in; the deprivation figures are {whose} own."
            )
        else:
            drawn = own
    headlines, deprivation_note = _headlines(resolved, store)
    with_data = [e for e in drawn.entries if e.id is not None and e.status in ("within", "shortfall", "overshoot")]
    counts = {s: sum(e.status == s for e in with_data) for s in ("within", "shortfall", "overshoot")}
    counts["context"] = sum(e.id is not None and e.status == "context" for e in drawn.entries)
    counts["missing_dimensions"] = len({e.dimension for e in drawn.entries} - {e.dimension for e in with_data})
    counts["shortfalls_on_comparator_or_illustrative"] = sum(
        weak_basis(e) for e in with_data if e.status == "shortfall"
    )
    sources, licences = _sources(drawn, catalogue, with_imd=bool(headlines))
    date = dt.datetime.fromisoformat(created).date()
    period_text = "Latest available figures" if period == "latest" else f"Figures for {period}"
    doughnut_heading = f"The Doughnut: {drawn.area_name}" + (" (district)" if context_note else "")
    doughnut = doughnut_chart(drawn.frame(), title="", width=DOUGHNUT_WIDTH, credit=CREDIT).to_dict()
    footer = (
        f"Sources: {abbreviate('; '.join(sources))}.",
        f"Licences: {'; '.join(licences)}. Contains public sector information licensed under the {OGL}.",
        METHOD,
        f"Data version {version}, built {date.day} {date:%B %Y} from the publishers' official releases "
        "(python -m cwb_metrics refresh); the same data version, area and period always give this briefing.",
    )
    return Briefing(
        title=f"Councillor briefing: {resolved.name}",
        area_code=resolved.code,
        area_name=resolved.name,
        area_kind=resolved.kind,
        area_context=_area_context(resolved, config),
        period=period,
        period_text=period_text,
        date=date,
        created=created,
        data_version=str(version),
        portrait=drawn,
        doughnut=doughnut,
        doughnut_heading=doughnut_heading,
        context_note=context_note,
        counts=counts,
        shortfalls=tuple(key_figure(e) for e in drawn.by_status("shortfall")[:KEY_FIGURES]),
        overshoots=tuple(key_figure(e) for e in drawn.by_status("overshoot")[:KEY_FIGURES]),
        deprivation=headlines,
        deprivation_note=deprivation_note,
        sentences=_with_neighbours(
            _sentences(own, drawn, headlines, context_note is not None),
            neighbour_sentence(store, str(version), drawn, catalogue),
        ),
        text_alternative=chart_text_alternative(drawn),
        sources=tuple(sources),
        licences=tuple(licences),
        footer=footer,
        council_name=config.county_name,
    )
