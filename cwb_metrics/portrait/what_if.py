"""What-if thresholds: re-score a portrait with other thresholds, and save a council threshold.

:func:`what_if` recomputes a portrait with thresholds given by indicator id and lists what
changed, without writing anything (the app's sliders). :func:`save_council_threshold`
makes a threshold the council's own: it writes the indicator's metadata record, with the new
threshold, its source and rationale (basis ``government_ambition`` with a URL to the decision,
else ``illustrative``), into a new data version
(``meta/<id>.yaml``, kind ``import``, recorded in the manifest's ``imports``), so
:func:`~cwb_metrics.build.local_meta.catalogue_for` returns it from then on, a refresh
carries it forward, and the previous threshold stays in the previous version.

A zero-deprivation foundation ("no one deprived", threshold 0) has no threshold value to
move: its shortfall is the share deprived. A what-if or council threshold T above 0 for
such an indicator turns it into a target: shortfall = 1 - T / value above T, the bounded rule
of :mod:`cwb_metrics.portrait.scoring` for targets where lower is better.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial
from typing import NamedTuple

import pandas as pd
from pydantic import ValidationError

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.resolve import resolve_area
from cwb_metrics.build.local_meta import catalogue_for, meta_path, meta_to_yaml
from cwb_metrics.errors import CwbError, DataValidationError, Problem
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.portrait.for_area import small_area_rows
from cwb_metrics.portrait.portrait import Portrait, compute_portrait
from cwb_metrics.store import DataStore


class ThresholdChange(NamedTuple):
    """How one indicator's placement changes under a what-if threshold."""

    id: str
    old_status: str
    new_status: str
    old_score: float | None
    new_score: float | None

    @property
    def changed(self) -> bool:
        """True when the status or the score differs."""
        if self.old_status != self.new_status:
            return True
        if self.old_score is None or self.new_score is None:
            return self.old_score != self.new_score
        return not math.isclose(self.old_score, self.new_score, abs_tol=1e-9)


def with_threshold(
    meta: IndicatorMeta, value: float, *, base_kind: str | None = None, **changes: object
) -> IndicatorMeta:
    """Return ``meta`` with its threshold set to ``value`` (and other threshold fields), validated.

    Parameters
    ----------
    meta : IndicatorMeta
        The record to change.
    value : float
        The new threshold.
    base_kind : str, optional
        The threshold kind of the committed record (default: ``meta``'s). When it is
        ``zero_deprivation``, a value above 0 makes the threshold a ``target`` and 0 makes
        it ``zero_deprivation`` again.
    **changes
        Other threshold fields (``source``, ``rationale``, ``source_url``, ``basis``, ``by``);
        ``illustrative`` is derived from ``basis`` and may only be given where it agrees.

    Raises
    ------
    DataValidationError
        When the result is not a valid record (e.g. a target or ceiling of 0 or below), one
        problem per field, the column being the field's path (``threshold.value``).
    """
    value = float(value)
    if not math.isfinite(value):
        raise DataValidationError([Problem(meta_path(meta.id), None, "threshold.value", f"{value} is not a number")])
    threshold = meta.threshold.model_dump(mode="json")
    kind = threshold["kind"]
    if (base_kind or kind) == "zero_deprivation":
        kind = "target" if value > 0 else "zero_deprivation"
    threshold.update({"kind": kind, "value": value, **changes})
    record = meta.model_dump(mode="json")
    record["threshold"] = threshold
    try:
        return IndicatorMeta.model_validate(record)
    except ValidationError as error:
        problems = [
            Problem(meta_path(meta.id), None, ".".join(str(p) for p in item["loc"]) or "threshold", item["msg"])
            for item in error.errors()
        ]
        raise DataValidationError(problems) from None


def what_if(
    catalogue: Mapping[str, IndicatorMeta],
    data: pd.DataFrame,
    thresholds: Mapping[str, float],
    *,
    area_code: str,
    area_name: str,
    area_kind: str = "district",
    period: str = "latest",
    county_code: str | None = None,
    country_code: str = "E92000001",
    data_version: str | None = None,
) -> tuple[Portrait, list[ThresholdChange]]:
    """Re-score a portrait with what-if thresholds; nothing is written.

    Parameters
    ----------
    catalogue : mapping of id to IndicatorMeta
        The catalogue (e.g. :func:`~cwb_metrics.build.local_meta.catalogue_for`).
    data : pandas.DataFrame
        Canonical indicator rows (with small-area rows for a ward or neighbourhood).
    thresholds : mapping of id to float
        The what-if thresholds.
    area_code, area_name, area_kind, period, county_code, country_code, data_version
        As :func:`~cwb_metrics.portrait.portrait.compute_portrait`.

    Returns
    -------
    (Portrait, list of ThresholdChange)
        The portrait under the what-if thresholds, and for each indicator in
        ``thresholds`` (catalogue order): ``(id, old_status, new_status, old_score,
        new_score)``.

    Raises
    ------
    CwbError
        For an id not in the catalogue.
    DataValidationError
        For a threshold the indicator cannot take (a target or ceiling of 0 or below).
    """
    unknown = sorted(set(thresholds) - set(catalogue))
    if unknown:
        raise CwbError(f"no indicator {', '.join(map(repr, unknown))} in the catalogue")
    changed = dict(catalogue)
    for indicator, value in thresholds.items():
        changed[indicator] = with_threshold(catalogue[indicator], value)
    portrait_of = partial(
        compute_portrait,
        data=data,
        area_code=area_code,
        area_name=area_name,
        area_kind=area_kind,
        period=period,
        county_code=county_code,
        country_code=country_code,
        data_version=data_version,
    )
    before = portrait_of(catalogue)
    after = portrait_of(changed)
    old = {e.id: e for e in before.entries if e.id is not None}
    new = {e.id: e for e in after.entries if e.id is not None}
    changes = [
        ThresholdChange(i, old[i].status, new[i].status, old[i].score, new[i].score)
        for i in catalogue
        if i in thresholds
    ]
    return after, changes


def what_if_for(
    store: DataStore,
    area: str,
    thresholds: Mapping[str, float],
    *,
    period: str = "latest",
    data: pd.DataFrame | None = None,
) -> tuple[Portrait, list[ThresholdChange]]:
    """:func:`what_if` for an area by name or code, on the store's current data (nothing is written).

    Wards and neighbourhoods get their LSOA-built rows, as in
    :func:`~cwb_metrics.portrait.for_area.portrait_for`.
    """
    config = load_area_config()
    resolved = resolve_area(area, store, config)
    data = store.read_all_indicators() if data is None else data
    if resolved.kind in ("ward", "neighbourhood", "lsoa"):
        extra = small_area_rows(store, resolved)
        if extra is not None and not extra.empty:
            data = pd.concat([data, extra], ignore_index=True)
    return what_if(
        catalogue_for(store),
        data,
        thresholds,
        area_code=resolved.code,
        area_name=resolved.name,
        area_kind=resolved.kind,
        period=period,
        county_code=config.county_code,
        country_code=config.country_code,
        data_version=store.current_version(),
    )


def save_council_threshold(
    store: DataStore,
    indicator_id: str,
    value: float,
    source: str,
    rationale: str,
    who: str | None = None,
    *,
    source_url: str | None = None,
) -> str:
    """Make a threshold the council's own: write the indicator's record into a new data version.

    Parameters
    ----------
    store : DataStore
        The data folder (must hold built data).
    indicator_id : str
        A catalogue indicator (committed or the data version's own).
    value : float
        The new threshold (see the module docstring for zero-deprivation foundations).
    source : str
        Who sets it, e.g. "Oxfordshire County Council Cabinet, 18 March 2025".
    rationale : str
        One line: why this threshold.
    who : str, optional
        Recorded as the author of the new version (default: the OS user).
    source_url : str, optional
        Where the decision is published.

    Returns
    -------
    str
        The new data version's id.

    Raises
    ------
    CwbError
        For an unknown indicator.
    DataValidationError
        When the record would be invalid (a short source or rationale, a bad URL, a target
        or ceiling of 0 or below): one problem per field; nothing is written.
    NoDataError
        When no data has been built yet.
    DataLockedError
        When another refresh or import is writing.
    """
    store.version_dir()  # raises NoDataError with the command that builds the data
    catalogue = catalogue_for(store)
    if indicator_id not in catalogue:
        raise CwbError(f"no indicator {indicator_id!r} in the catalogue")
    old = catalogue[indicator_id]
    committed = load_catalogue().get(indicator_id)
    meta = with_threshold(
        old,
        value,
        base_kind=committed.threshold.kind if committed is not None else None,
        source=source,
        rationale=rationale,
        source_url=source_url,
        # The council's own choice: an ambition it can point to, else an illustrative level.
        basis="government_ambition" if source_url else "illustrative",
    )
    relative = meta_path(indicator_id)
    note = f"council threshold for {indicator_id}: {old.threshold.value:g} -> {meta.threshold.value:g}"
    with store.new_version("import", who=who, note=note) as writer:
        writer.path(relative).write_text(meta_to_yaml(meta), encoding="utf-8")
        writer.record_output(relative, rows=None, built_from=["council threshold"])
        writer.add_import(
            kind="threshold",
            indicator=indicator_id,
            file=relative,
            old=old.threshold.model_dump(mode="json"),
            new=meta.threshold.model_dump(mode="json"),
            summary=note,
        )
        return writer.version_id
