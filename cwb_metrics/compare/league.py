"""A league of councils: every English district and unitary (and county where data exists) scored alike.

:func:`build_league` reads the same national files the data version was built from (the
paths and SHA-256 sums recorded in its manifest), runs every catalogue builder once for
all of England's councils (an area configuration whose districts are the 296 current
districts and whose comparators are the 21 counties, see :func:`england_config`), scores
each council's portrait with :func:`cwb_metrics.portrait.portrait.compute_portrait`
(the latest period of each indicator, the data version's thresholds) and ranks them.

For each council it gives the count of indicators in each status (shortfall, overshoot,
within, missing = no data, and any other status the portrait uses, such as ``context``),
the share of the catalogue's indicators with data, and its rank on each Doughnut
dimension: the mean score (0 = within; the normalised shortfall or overshoot otherwise)
of the dimension's scored indicators with data, rank 1 the smallest. The 296 districts
and unitaries (which cover England once) are ranked together; each county is ranked
among the upper-tier councils (counties and the single-tier councils).
Indicators imported by the council itself are not in the league: no national file has them.

The result is cached per data version in ``DATA/cache/league/<version>/`` (``league.json``;
``entries.parquet``: each council's scored latest value of each indicator; ``data.parquet``:
every built row, for comparisons with statistical neighbours), so it is computed once;
:func:`load_league` reads it back.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cwb_metrics.errors import CwbError, DataValidationError, NoDataError
from cwb_metrics.models.area import AreaConfig, Comparator, District
from cwb_metrics.store import DataStore, sha256_of

CACHE_FOLDER = "cache/league"
LEAGUE_FILE = "league.json"
ENTRIES_FILE = "entries.parquet"
DATA_FILE = "data.parquet"
#: Statuses counted for every council (others, e.g. ``context``, are added when they occur).
STATUSES: tuple[str, ...] = ("shortfall", "overshoot", "within", "missing")
#: Statuses whose score places an indicator against its threshold (ranked).
SCORED: frozenset[str] = frozenset({"shortfall", "overshoot", "within"})
RANKED_AMONG = {
    "lad": "the 296 districts, unitary authorities, metropolitan districts and London boroughs",
    "county": "upper-tier councils: the counties, unitary authorities, metropolitan districts and London boroughs",
}
#: Bumped when the cached layout or method changes, so old caches are rebuilt (3: canonical periods).
CACHE_FORMAT = 3
#: The commands that build a data version from England's files, then its league.
LEAGUE_HINT = "python -m cwb_metrics refresh --mirror ../shared/data\npython -m cwb_metrics league"


class LeagueUnavailableError(CwbError):
    """A data version cannot carry a league: it lacks (or has other than) England's national files.

    Attributes
    ----------
    version : str
        The data version.
    missing : tuple of str
        Source ids of the national files the version lacks (empty when they are there but
        not England-wide, or changed since).
    reason : str
        What is wrong, in words.
    """

    def __init__(self, version: str, reason: str, missing: tuple[str, ...] = ()) -> None:
        self.version, self.reason, self.missing = version, reason, missing
        super().__init__(
            f"Data version {version} cannot rank England's councils: {reason} "
            f"Build a data version from the national files, then the league: {LEAGUE_HINT.replace(chr(10), '; ')}."
        )


@dataclass(frozen=True)
class DimensionRank:
    """A council's place on one Doughnut dimension."""

    score: float | None
    rank: int | None
    of: int
    indicators: int


@dataclass(frozen=True)
class LeagueArea:
    """One council in the league."""

    code: str
    name: str
    kind: str
    county_code: str | None
    counts: dict[str, int]
    indicators_with_data: int
    indicators_total: int
    share_with_data: float
    dimensions: dict[str, DimensionRank]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``league --json`` prints it."""
        out = asdict(self)
        out["share_with_data"] = round(self.share_with_data, 4)
        out["dimensions"] = {
            k: {**asdict(v), "score": None if v.score is None else round(v.score, 4)}
            for k, v in self.dimensions.items()
        }
        return out


@dataclass(frozen=True)
class League:
    """Every council's counts and ranks, and each council's scored indicators (``entries``)."""

    version: str
    areas: list[LeagueArea]
    entries: pd.DataFrame
    dimension_labels: dict[str, str]
    built_at: str
    seconds: float
    skipped: dict[str, str] = field(default_factory=dict)
    data: pd.DataFrame | None = None

    def area(self, code: str) -> LeagueArea:
        """Return one council by code."""
        for area in self.areas:
            if area.code == code:
                return area
        raise CwbError(f"{code} is not in the league of councils (data version {self.version}).")

    def as_dict(self) -> dict[str, Any]:
        """``{"version", "built_at", "ranked_among", "areas": [...]}``."""
        return {
            "version": self.version,
            "built_at": self.built_at,
            "seconds": round(self.seconds, 1),
            "ranked_among": RANKED_AMONG,
            "rank_rule": "rank 1 = smallest mean shortfall or overshoot of the dimension's indicators with data",
            "dimension_labels": self.dimension_labels,
            "skipped": self.skipped,
            "areas": [a.as_dict() for a in self.areas],
        }


def england_config(geo: Any) -> AreaConfig:
    """The area configuration of the whole league: England, every current district, every county."""
    districts = [
        District(code=str(c), name=str(n), predecessors=geo.predecessors(str(c)))
        for c, n in zip(geo.lads["lad_code"], geo.lads["lad_name"], strict=True)
    ]
    comparators = [
        Comparator(code=code, name=name, geography="county", districts=geo.districts_of(code))
        for code, name in geo.counties.items()
    ]
    return AreaConfig(
        id="england-league",
        county_code="E92000001",
        county_name="England",
        geography_kind="country",
        districts=districts,
        comparators=comparators,
    )


def version_source_paths(store: DataStore, version: str | None = None, *, check: bool = True) -> dict[str, Path]:
    """The local files a data version was built from, by source id (from its manifest).

    Raises
    ------
    LeagueUnavailableError
        When a file has changed since (its SHA-256 differs): refresh again.
    """
    manifest = store.manifest(version)
    paths: dict[str, Path] = {}
    for source_id, entry in (manifest.get("sources") or {}).items():
        path = Path(str(entry.get("read_from", "")))
        if not path.is_file():
            downloaded = store.downloads_dir / Path(str(entry.get("read_from", ""))).name
            if not downloaded.is_file():
                continue
            path = downloaded
        if check and entry.get("sha256") and sha256_of(path) != entry["sha256"]:
            raise LeagueUnavailableError(
                str(manifest.get("version", version)),
                f"{path} has changed since the version was built from it (its SHA-256 differs).",
            )
        paths[source_id] = path
    return paths


def _fetched(paths: Mapping[str, Path]) -> dict[str, Any]:
    from cwb_metrics.sources.fetch import FetchedFile
    from cwb_metrics.sources.registry import load_sources

    sources = load_sources()
    return {
        sid: FetchedFile(sources[sid], p, str(p), "", p.stat().st_size, "")
        for sid, p in paths.items()
        if sid in sources
    }


def build_indicators(context: Any, catalogue: Mapping[str, Any]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Run every catalogue builder on a context; return all rows and the indicators that failed (id -> reason)."""
    from cwb_metrics.indicators.builders import get_builder
    from cwb_metrics.periods import canonical_spellings

    frames, skipped = [], {}
    for meta in catalogue.values():
        if meta.extract.source not in context.files:
            skipped[meta.id] = f"source {meta.extract.source} not in this data version"
            continue
        try:
            frames.append(get_builder(meta.extract.method)(context, meta))
        except (CwbError, KeyError) as error:
            skipped[meta.id] = str(error).splitlines()[0][:300]
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if "period" in data:  # spelt as a data version stores it, so the briefing matches the portrait's period
        periods = data["period"].astype(str)
        data["period"] = periods.map(canonical_spellings(periods.unique())).astype(object)
    return data, skipped


def score_entry(meta: Any, value: float | None) -> tuple[str, float | None]:
    """Status and score of one value, exactly as the portrait scores it.

    The portrait's rule (:func:`cwb_metrics.portrait.scoring.score_value`, and the
    ``context`` role: shown, never scored) applied to one value; a test checks it against
    :func:`~cwb_metrics.portrait.portrait.compute_portrait` for real councils.
    """
    from cwb_metrics.portrait.scoring import score_value

    if value is None or (isinstance(value, float) and value != value):
        return "missing", None
    if getattr(meta, "role", "scored") == "context":
        return "context", None
    score = score_value(value, meta.threshold.value, meta.threshold.kind, meta.polarity)
    return score.status, score.score


def _score_areas(
    catalogue: Mapping[str, Any], data: pd.DataFrame, config: AreaConfig, county_of: Mapping[str, str | None]
) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Score every council's latest value of every indicator (one pass over all rows)."""
    from cwb_metrics.periods import period_sort_key

    rows = data[data["value"].notna() & data["indicator"].isin(list(catalogue))]
    rows = rows.loc[:, ["areacd", "indicator", "period", "value"]].astype({"areacd": object, "indicator": object})
    keys = {p: period_sort_key(p) for p in rows["period"].astype(str).unique()}
    rows = rows.assign(_key=rows["period"].astype(str).map(keys)).sort_values("_key", kind="stable")
    latest = rows.drop_duplicates(["areacd", "indicator"], keep="last").set_index(["areacd", "indicator"])
    england = rows[rows["areacd"] == config.country_code].set_index(["indicator", "period"])["value"]
    england = england[~england.index.duplicated(keep="last")].to_dict()
    areas, entries = [], []
    for code, name, geography in config.area_list():
        if code == config.country_code:
            continue
        for meta in catalogue.values():
            key = (code, meta.id)
            if key in latest.index:
                row = latest.loc[key]
                value, period = float(row["value"]), str(row["period"])
            else:
                value, period = None, None
            status, score = score_entry(meta, value)
            entries.append(
                {"area_code": code, "indicator": meta.id, "dimension": meta.dimension, "status": status,
                 "value": value, "period": period, "score": score,
                 "england": england.get((meta.id, period)) if period is not None else None}
            )  # fmt: skip
        areas.append({"code": code, "name": name, "kind": geography, "county_code": county_of.get(code)})
    frame = pd.DataFrame(entries)
    for column in ("value", "score", "england"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return areas, frame


def _ranked(rows: list[dict[str, Any]], entries: pd.DataFrame, dimensions: list[str]) -> list[LeagueArea]:
    scored = entries[entries["status"].isin(SCORED) & entries["score"].notna()]
    means = scored.groupby(["area_code", "dimension"])["score"].agg(["mean", "size"])
    total = entries.groupby("area_code")["indicator"].size()
    with_data = entries[entries["value"].notna()].groupby("area_code")["indicator"].size()
    statuses = list(dict.fromkeys([*STATUSES, *sorted(set(entries["status"]) - set(STATUSES))]))
    counts = entries.groupby(["area_code", "status"]).size()
    group_of = {r["code"]: ("county" if r["kind"] == "county" else "lad") for r in rows}
    ranks: dict[tuple[str, str], tuple[int, int]] = {}
    for group in ("lad", "county"):
        # Districts and unitaries cover England once; counties are ranked with the other
        # upper-tier councils (unitaries, metropolitan districts, London boroughs).
        members = [
            r["code"]
            for r in rows
            if group_of[r["code"]] == group
            or (group == "county" and r["code"][:3] != "E07" and group_of[r["code"]] == "lad")
        ]
        for dimension in dimensions:
            values = pd.Series(
                {c: means.loc[(c, dimension), "mean"] for c in members if (c, dimension) in means.index}, dtype=float
            )
            ranked = values.rank(method="min", ascending=True)
            for code, rank in ranked.items():
                if group_of[str(code)] == group:
                    ranks[(str(code), dimension)] = (int(rank), len(values))
    areas = []
    for row in rows:
        code = row["code"]
        dims = {}
        for dimension in dimensions:
            found = (code, dimension) in means.index
            rank, of = ranks.get((code, dimension), (None, 0))
            if not of:
                of = sum(1 for (c, d) in ranks if d == dimension and group_of.get(c) == group_of[code])
            dims[dimension] = DimensionRank(
                score=float(means.loc[(code, dimension), "mean"]) if found else None,
                rank=rank,
                of=of,
                indicators=int(means.loc[(code, dimension), "size"]) if found else 0,
            )
        n_total, n_data = int(total.get(code, 0)), int(with_data.get(code, 0))
        areas.append(
            LeagueArea(
                code=code, name=row["name"], kind=row["kind"], county_code=row["county_code"],
                counts={s: int(counts.get((code, s), 0)) for s in statuses},
                indicators_with_data=n_data, indicators_total=n_total,
                share_with_data=n_data / n_total if n_total else 0.0, dimensions=dims,
            )
        )  # fmt: skip
    return areas


def cache_dir(store: DataStore, version: str) -> Path:
    """The league's cache folder of one data version."""
    return store.root / CACHE_FOLDER / version


def league_geography(paths: Mapping[str, Path], version: str) -> Any:
    """England's LSOAs in their districts, from a version's files; a clear error when it cannot be had.

    Raises
    ------
    LeagueUnavailableError
        When a required national file is missing, or the files are not England-wide.
    """
    from cwb_metrics.areas.national import REQUIRED_SOURCES, national_geography
    from cwb_metrics.sources.registry import load_sources

    missing = tuple(s for s in REQUIRED_SOURCES if s not in paths)
    if missing:
        sources = load_sources()
        named = "; ".join(f"{s} ({sources[s].title})" if s in sources else s for s in missing)
        raise LeagueUnavailableError(version, f"it holds no copy of {named}.", missing)
    try:
        return national_geography(paths)
    except DataValidationError as error:
        first = str(error.problems[0]) if error.problems else str(error)
        raise LeagueUnavailableError(version, f"its national lookups are not England's ({first}).") from None


def build_league(store: DataStore, version: str | None = None) -> League:
    """Compute the league of councils for a data version and cache it (see the module docstring).

    Parameters
    ----------
    store : DataStore
        The data folder.
    version : str, optional
        The data version (default: current).

    Returns
    -------
    League

    Raises
    ------
    NoDataError
        When nothing has been built yet.
    LeagueUnavailableError
        When the version lacks England's national lookups (or its files changed, or are not
        England-wide, as in a hand-made test version): the message says what and how to build them.
    CwbError
        When no indicator at all can be built.
    """
    from cwb_metrics.build.local_meta import catalogue_for
    from cwb_metrics.models.indicator import DIMENSIONS
    from cwb_metrics.sources.context import BuildContext

    started = time.perf_counter()
    version = version or store.current_version()
    if version is None:
        store.version_dir()  # raises NoDataError with the refresh command
    assert version is not None
    paths = version_source_paths(store, version)
    geo = league_geography(paths, version)
    config = england_config(geo)
    catalogue = catalogue_for(store, version)
    context = BuildContext(files=_fetched(paths), areas=config)
    data, skipped = build_indicators(context, catalogue)
    if data.empty:
        raise CwbError(f"No indicator could be built for the league from data version {version}: {skipped}")
    built = {m: catalogue[m] for m in data["indicator"].unique() if m in catalogue}
    county_of = {
        str(c): (None if pd.isna(k) else str(k))
        for c, k in zip(geo.lads["lad_code"], geo.lads["county_code"], strict=True)
    }
    rows, entries = _score_areas(built, data, config, county_of)
    dimensions = [d for d in DIMENSIONS if d in set(entries["dimension"])]
    areas = _ranked(rows, entries, dimensions)
    labels = {d: DIMENSIONS[d][1] for d in dimensions}
    league = League(
        version=version,
        areas=areas,
        entries=entries,
        dimension_labels=labels,
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        seconds=time.perf_counter() - started,
        skipped=skipped,
        data=data.loc[:, ["areacd", "areanm", "indicator", "period", "value", "lci_95", "uci_95"]].reset_index(
            drop=True
        ),
    )
    _write_cache(store, league)
    return league


def _write_cache(store: DataStore, league: League) -> None:
    target = cache_dir(store, league.version)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{league.version}.", dir=target.parent))
    try:
        payload = {"format": CACHE_FORMAT, **league.as_dict()}
        (staging / LEAGUE_FILE).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        league.entries.to_parquet(staging / ENTRIES_FILE, index=False)
        if league.data is not None:
            league.data.to_parquet(staging / DATA_FILE, index=False)
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _from_cache(folder: Path) -> League | None:
    try:
        payload = json.loads((folder / LEAGUE_FILE).read_text(encoding="utf-8"))
        entries = pd.read_parquet(folder / ENTRIES_FILE)
        data = pd.read_parquet(folder / DATA_FILE)
    except (OSError, ValueError):
        return None
    if payload.get("format") != CACHE_FORMAT:
        return None
    areas = []
    for item in payload["areas"]:
        dims = {k: DimensionRank(**v) for k, v in item.pop("dimensions").items()}
        areas.append(LeagueArea(**item, dimensions=dims))
    return League(
        version=payload["version"],
        areas=areas,
        entries=entries,
        dimension_labels=payload["dimension_labels"],
        built_at=payload["built_at"],
        seconds=float(payload["seconds"]),
        skipped=payload.get("skipped") or {},
        data=data,
    )


def load_league(store: DataStore, version: str | None = None, *, build: bool = True) -> League | None:
    """Return the cached league of a data version, building it first if asked (default).

    Returns
    -------
    League or None
        ``None`` only when ``build`` is false and nothing is cached.
    """
    version = version or store.current_version()
    if version is None:
        raise NoDataError(f"No data has been built in {store.root} yet.")
    cached = _from_cache(cache_dir(store, version))
    if cached is not None or not build:
        return cached
    return build_league(store, version)
