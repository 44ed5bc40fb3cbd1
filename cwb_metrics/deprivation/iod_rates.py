"""Absolute deprivation in % of people, from the IoD domain scores and population denominators.

The IoD income, employment, IDACI and IDAOPI scores are rates of people (the share of an
LSOA's residents, working-age residents, children or older people who are deprived), so
weighted by the IoD's own population denominators they add up to areas of any size:

=================================  ============================  ==========================
indicator (``extract.params``)     count                         base (denominator)
=================================  ============================  ==========================
``income``                         income-deprived residents     total population
``employment``                     employment-deprived           working age (18-66 in
                                   residents                     IoD2025; 18-59/64 in 2019)
``idaci``                          children 0-15 in income-      children aged 0-15
                                   deprived families
``idaopi``                         income-deprived people 60+    people aged 60 and over
=================================  ============================  ==========================

Where each number comes from:

- **IoD2025, districts and county**: income and employment count = File 10's *scale* (the
  number of people deprived, as MHCLG publishes it), base = the sum of File 6 (or File 7)
  denominators of the district's LSOAs; IDACI and IDAOPI = sum of LSOA score x denominator
  over the district's LSOAs (File 10 has no IDACI/IDAOPI scale). Where the denominators file
  is an extract that does not cover a district (the mirror holds Oxfordshire's rows only),
  the income and employment base is File 10's scale / average score (MHCLG's rounding to
  3 d.p. makes it approximate) and IDACI/IDAOPI are missing, with the reason.
- **IoD2025, England**: the sum of File 10 scales over every district, over the national
  denominators (exact, from the official national File 6/7 the refresh downloads), or over
  the sum of scale / average score (approximate) when only an extract is at hand; IDACI and
  IDAOPI for England need the national File 7.
- **IoD2019** (no LSOA scores in the mirror): districts, county and England from File 10:
  income and employment scale over File 6 (mid-2015) denominators; IDACI and IDAOPI from
  File 10's average score times File 6's children (or 60+) for each district.
- **Small areas** (IoD2025 only): :func:`county_lsoa_rates` gives each county LSOA's count
  (score x denominator) and base, the table ``lsoa/iod_rates.parquet``;
  :mod:`cwb_metrics.portrait.small_area` sums them over a ward or neighbourhood.

95% confidence intervals are Wilson intervals of count / base
(:func:`cwb_metrics.intervals.wilson_interval`), as Fingertips computes them for
proportions. IoD2025 measures a wider group as income- and employment-deprived than
IoD2019 (England's income rate rose from 12.8% to 23.2%): the records mark 2025 as a
series break, so no trend is claimed across the two editions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from cwb_metrics.deprivation.county import county_imd, county_lsoa21
from cwb_metrics.errors import CwbError, DataValidationError, Problem
from cwb_metrics.intervals import wilson_interval
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.iod_denominators import DENOMINATOR_COLUMNS, read_iod_denominators
from cwb_metrics.sources.iod_summaries import read_iod_summaries

#: File 10 (district summaries) of each edition.
SUMMARY_SOURCE: dict[int, str] = {2019: "imd/2019/file10", 2025: "imd/2025/file10"}
#: Denominator files of each edition, preferred first (IoD2025: File 6, else File 7's columns).
DENOMINATOR_SOURCES: dict[int, tuple[str, ...]] = {
    2019: ("imd/2019/file6",),
    2025: ("imd/2025/file6", "imd/2025/file7_national"),
}
#: The IoD2025 file with IDACI and IDAOPI scores by LSOA.
SUPPLEMENTARY_SOURCE = "imd/2025/file7_national"


@dataclass(frozen=True)
class RateMeasure:
    """One absolute deprivation rate: which score, which denominator, and how to say it."""

    measure: str
    score: str
    base: str
    count_column: str
    count_label: str
    base_label: str
    predicate: str
    with_scale: bool


#: The four measures, by ``extract.params.measure``.
RATE_MEASURES: dict[str, RateMeasure] = {
    "income": RateMeasure(
        "income", "income_score", "population", "income_deprived",
        "income-deprived residents", "residents", "are income-deprived", True,
    ),
    "employment": RateMeasure(
        "employment", "employment_score", "working_age", "employment_deprived",
        "employment-deprived residents of working age", "residents of working age", "are employment-deprived", True,
    ),
    "idaci": RateMeasure(
        "idaci", "idaci_score", "children", "children_income_deprived",
        "children aged 0-15 in income-deprived families", "children aged 0-15", "live in income-deprived families",
        False,
    ),
    "idaopi": RateMeasure(
        "idaopi", "idaopi_score", "older", "older_income_deprived",
        "people aged 60 and over who are income-deprived", "people aged 60 and over", "are income-deprived", False,
    ),
}  # fmt: skip

IOD_RATES_TABLE = "lsoa/iod_rates.parquet"
#: Columns of :data:`IOD_RATES_TABLE`.
IOD_RATES_COLUMNS: tuple[str, ...] = (
    "lsoa_code",
    "lsoa_name",
    "lsoa_vintage",
    "lad_code",
    "year",
    "population",
    "working_age",
    "children",
    "older",
    "income_deprived",
    "employment_deprived",
    "children_income_deprived",
    "older_income_deprived",
    "source",
)
#: Rate columns the output rows carry before canonicalisation.
RATE_ROW_COLUMNS: tuple[str, ...] = ("areacd", "period", "value", "lci_95", "uci_95", "status", "notes")


def measure_of(name: str) -> RateMeasure:
    """Return the :class:`RateMeasure` named ``name`` (``income``, ``employment``, ``idaci``, ``idaopi``)."""
    try:
        return RATE_MEASURES[name]
    except KeyError:
        raise CwbError(f"measure must be one of {sorted(RATE_MEASURES)}, not {name!r}") from None


def summaries(context: BuildContext, edition: int) -> pd.DataFrame:
    """File 10 of an edition (see :func:`cwb_metrics.sources.iod_summaries.read_iod_summaries`), read once."""
    source = SUMMARY_SOURCE[edition]
    return context.cached(f"iod.summaries:{edition}", lambda: read_iod_summaries(context.path(source), edition))


def denominators(context: BuildContext, edition: int) -> pd.DataFrame | None:
    """The edition's LSOA denominators (and IDACI/IDAOPI scores for 2025), or ``None`` if none was fetched.

    For IoD2025 the File 6 counts are used where fetched and File 7's otherwise; IDACI and
    IDAOPI scores come from File 7. Where both files are fetched their counts must agree on
    every LSOA they share. ``attrs["layout"]`` is ``national`` only when every file used is.

    Raises
    ------
    DataValidationError
        When File 6 and File 7 disagree on a count.
    """

    def load() -> pd.DataFrame | None:
        frames = []
        for source in DENOMINATOR_SOURCES[edition]:
            if source in context.files:
                frames.append((source, read_iod_denominators(context.path(source), edition)))
        if not frames:
            return None
        source, first = frames[0]
        layouts = {frame.attrs.get("layout") for _, frame in frames}
        out = first.copy()
        for other_source, other in frames[1:]:
            _check_counts_agree(first, other, context.path(other_source).name)
            extra = other[["lsoa_code", "idaci_score", "idaopi_score"]]
            out = out.drop(columns=["idaci_score", "idaopi_score"]).merge(extra, on="lsoa_code", how="outer")
            missing = out["population"].isna()
            if missing.any():  # LSOAs only File 7 has: take its counts
                fill = other.set_index("lsoa_code")
                for column in ("lsoa_name", "lad_code", "lad_name", "population", "children", "older", "working_age"):
                    out.loc[missing, column] = out.loc[missing, "lsoa_code"].map(fill[column])
        out.attrs["layout"] = "national" if layouts == {"national"} else "extract"
        out.attrs["sources"] = [s for s, _ in frames]
        return out

    return context.cached(f"iod.denominators:{edition}", load)


def _check_counts_agree(first: pd.DataFrame, other: pd.DataFrame, file: str) -> None:
    both = first.merge(other, on="lsoa_code", suffixes=("", "_other"))
    problems = []
    for column in ("population", "children", "older", "working_age"):
        if both[column].isna().all() or both[f"{column}_other"].isna().all():
            continue
        differ = (both[column] != both[f"{column}_other"]).fillna(False)
        for code in both.loc[differ, "lsoa_code"].head(5):
            problems.append(Problem(file, None, column, f"{code}: File 6 and File 7 give different counts"))
    if problems:
        raise DataValidationError(problems)


def county_lsoa_rates(context: BuildContext) -> pd.DataFrame:
    """The county's IoD2025 LSOAs with each measure's count (score x denominator) and base.

    Returns
    -------
    pandas.DataFrame
        :data:`IOD_RATES_COLUMNS`, one row per county LSOA (2021), year 2025. Counts and
        bases are missing (``<NA>``) for LSOAs the denominators file does not cover (an
        extract of another county), and IDACI/IDAOPI counts where File 7 was not fetched.
        Empty when no denominators file was fetched.
    """
    people = denominators(context, 2025)
    if people is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in IOD_RATES_COLUMNS})
    places = county_lsoa21(context)
    imd = county_imd(context, 2025)[["lsoa_code", "income_score", "employment_score"]]
    frame = places[["lsoa_code", "lsoa_name", "lad_code"]].merge(imd, on="lsoa_code", how="left")
    counts = people.drop(columns=["lsoa_name", "lad_code", "lad_name"])
    frame = frame.merge(counts, on="lsoa_code", how="left")
    out = pd.DataFrame(
        {
            "lsoa_code": frame["lsoa_code"].astype("string"),
            "lsoa_name": frame["lsoa_name"].astype("string"),
            "lsoa_vintage": 2021,
            "lad_code": frame["lad_code"].astype("string"),
            "year": 2025,
        }
    )
    for spec in RATE_MEASURES.values():
        base = pd.to_numeric(frame[spec.base]).astype("Float64")
        score = pd.to_numeric(frame[spec.score]).astype("Float64")
        out[spec.base] = base
        out[spec.count_column] = (score * base).astype("Float64")
    out["source"] = "+".join(people.attrs.get("sources", []))
    out["source"] = out["source"].astype("string")
    return out.loc[:, list(IOD_RATES_COLUMNS)].sort_values("lsoa_code", ignore_index=True)


def rate_row(code: str, period: str, count: float, base: float, notes: str) -> dict[str, object]:
    """One area's rate row: 100 x count / base with its Wilson 95% interval."""
    if not (base > 0) or math.isnan(count):
        return {"areacd": code, "period": period, "value": math.nan, "lci_95": math.nan, "uci_95": math.nan,
                "status": "", "notes": notes}  # fmt: skip
    count = min(max(count, 0.0), base)
    low, high = wilson_interval(count, base)
    return {"areacd": code, "period": period, "value": 100 * count / base, "lci_95": low, "uci_95": high,
            "status": "", "notes": notes}  # fmt: skip


def _missing(code: str, period: str, reason: str) -> dict[str, object]:
    return {"areacd": code, "period": period, "value": math.nan, "lci_95": math.nan, "uci_95": math.nan,
            "status": "", "notes": reason}  # fmt: skip


def _people(number: float) -> str:
    return f"{number:,.0f}"


def _counted(count: float, base: float, spec: RateMeasure, how: str) -> str:
    """Notes: "23,789 of 164,189 residents are income-deprived (how)"."""
    return f"{_people(count)} of {_people(base)} {spec.base_label} {spec.predicate} ({how})"


def _rows_2025(context: BuildContext, spec: RateMeasure) -> list[dict[str, object]]:
    areas = context.areas
    period = "2025"
    lads = summaries(context, 2025).set_index("lad_code")
    found = denominators(context, 2025)
    people = found if found is not None else pd.DataFrame(columns=list(DENOMINATOR_COLUMNS))
    places = county_lsoa21(context)
    rows: list[dict[str, object]] = []
    covered = set(people["lsoa_code"])
    county_count = county_base = 0.0
    county_ok = True
    file10 = "IoD2025 File 10"
    for district in areas.districts:
        lsoas = places.loc[places["lad_code"] == district.code, "lsoa_code"]
        has_all = len(lsoas) > 0 and set(lsoas) <= covered
        if spec.with_scale:
            if district.code not in lads.index or pd.isna(lads.at[district.code, f"{spec.measure}_scale"]):
                rows.append(_missing(district.code, period, f"{district.code} is not in {file10}"))
                county_ok = False
                continue
            count = float(lads.at[district.code, f"{spec.measure}_scale"])
            if has_all:
                part = people[people["lsoa_code"].isin(set(lsoas))]
                base = float(part[spec.base].sum())
                how = f"{file10} {spec.measure} scale over the IoD2025 population denominators (mid-2022)"
            else:
                average = float(lads.at[district.code, f"{spec.measure}_average_score"])
                base = count / average if average > 0 else math.nan
                how = (f"{file10} {spec.measure} scale over scale / average score (approximate: the denominators "
                       "file does not cover this district)")  # fmt: skip
        else:
            if not has_all:
                reason = (f"no {spec.measure.upper()} scores for {district.name}: the IoD2025 File 7 at hand "
                          "does not cover it (the mirror holds Oxfordshire's rows only); refresh from the official "
                          "national File 7")  # fmt: skip
                rows.append(_missing(district.code, period, reason))
                county_ok = False
                continue
            part = people[people["lsoa_code"].isin(set(lsoas))]
            base = float(part[spec.base].sum())
            count = float((part[spec.score].astype("float64") * part[spec.base].astype("float64")).sum())
            if part[spec.score].isna().any():
                reason = f"{spec.measure.upper()} scores are missing for some LSOAs"
                rows.append(_missing(district.code, period, reason))
                county_ok = False
                continue
            how = f"IoD2025 File 7 {spec.measure.upper()} scores weighted by {spec.base_label}"
        rows.append(rate_row(district.code, period, count, base, _counted(count, base, spec, how)))
        county_count += count
        county_base += base
    if not areas.has_county_row:
        pass  # a single-tier area is its own district; England's row is added below
    elif county_ok and areas.districts:
        notes = _counted(county_count, county_base, spec, "sum of its districts")
        rows.append(rate_row(areas.county_code, period, county_count, county_base, notes))
    else:
        rows.append(_missing(areas.county_code, period, "not every district has a value"))
    rows.append(_england_2025(context, spec, lads, found))
    return rows


def _england_2025(
    context: BuildContext, spec: RateMeasure, lads: pd.DataFrame, people: pd.DataFrame | None
) -> dict[str, object]:
    code, period = context.areas.country_code, "2025"
    if people is not None and people.attrs.get("layout") != "national":
        people = None  # an extract: the national base is not known
    if spec.with_scale:
        count = float(lads[f"{spec.measure}_scale"].astype("float64").sum())
        if people is not None:
            base = float(people[spec.base].sum())
            how = "sum of File 10 scales over the national denominators"
        else:
            average = lads[f"{spec.measure}_average_score"].astype("float64")
            base = float((lads[f"{spec.measure}_scale"].astype("float64") / average).sum())
            how = ("sum of File 10 scales over the sum of scale / average score (approximate: the national "
                   "denominators were not fetched)")  # fmt: skip
        return rate_row(code, period, count, base, f"{_people(count)} of {_people(base)} {spec.base_label} ({how})")
    if people is None or people[spec.score].isna().any():
        return _missing(code, period, f"England's {spec.measure.upper()} rate needs the official national File 7")
    base = float(people[spec.base].sum())
    count = float((people[spec.score].astype("float64") * people[spec.base].astype("float64")).sum())
    return rate_row(code, period, count, base, f"{_people(count)} of {_people(base)} {spec.base_label} (every LSOA)")


def _rows_2019(context: BuildContext, spec: RateMeasure) -> list[dict[str, object]]:
    areas = context.areas
    period = "2019"
    lads = summaries(context, 2019).set_index("lad_code")
    people = denominators(context, 2019)
    if people is None:
        return []
    bases = people.groupby("lad_code")[spec.base].sum().astype("float64")
    score = lads[f"{spec.measure}_average_score"].astype("float64")
    counts = lads[f"{spec.measure}_scale"].astype("float64") if spec.with_scale else score * bases.reindex(lads.index)
    if spec.with_scale:
        how = f"IoD2019 File 10 {spec.measure} scale over File 6 (mid-2015) denominators"
    else:
        how = f"IoD2019 File 10 {spec.measure.upper()} average score (3 d.p.) x File 6 (mid-2015) {spec.base_label}"
    rows: list[dict[str, object]] = []
    total_count = total_base = 0.0
    ok = True
    for district in areas.districts:
        if district.code not in lads.index or district.code not in bases.index or pd.isna(counts.get(district.code)):
            rows.append(_missing(district.code, period, f"{district.code} is not a district of IoD2019 (LAD 2019)"))
            ok = False
            continue
        count, base = float(counts[district.code]), float(bases[district.code])
        rows.append(rate_row(district.code, period, count, base, _counted(count, base, spec, how)))
        total_count += count
        total_base += base
    if not areas.has_county_row:
        pass  # a single-tier area is its own district
    elif ok and areas.districts:
        notes = _counted(total_count, total_base, spec, "sum of its districts")
        rows.append(rate_row(areas.county_code, period, total_count, total_base, notes))
    else:
        rows.append(_missing(areas.county_code, period, "not every district has a value"))
    common = counts.dropna().index.intersection(bases.index)
    england_count, england_base = float(counts[common].sum()), float(bases[common].sum())
    notes = _counted(england_count, england_base, spec, how)
    rows.append(rate_row(areas.country_code, period, england_count, england_base, notes))
    return rows


def la_rate_rows(context: BuildContext, measure: str) -> pd.DataFrame:
    """Rows for England, the county and its districts, IoD2019 (where fetched) and IoD2025.

    Parameters
    ----------
    context : BuildContext
        The refresh's fetched files (File 10 of each edition, the denominators) and areas.
    measure : str
        ``income``, ``employment``, ``idaci`` or ``idaopi``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RATE_ROW_COLUMNS` (``value`` in %, Wilson 95% limits, ``notes`` giving
        the count, the base and where they come from, or why the value is missing).

    Raises
    ------
    CwbError
        For an unknown measure.
    SourceUnavailableError
        When IoD2025 File 10 was not fetched.
    DataValidationError
        When a source fails validation.
    """
    spec = measure_of(measure)
    rows: list[dict[str, object]] = []
    if all(s in context.files for s in (SUMMARY_SOURCE[2019], *DENOMINATOR_SOURCES[2019])):
        rows += _rows_2019(context, spec)
    rows += _rows_2025(context, spec)
    return pd.DataFrame.from_records(rows, columns=list(RATE_ROW_COLUMNS))
