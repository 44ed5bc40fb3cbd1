"""The committed indicator catalogue: ``data/indicators/<id>.yaml`` and ``dimensions.yaml``.

Each ``<id>.yaml`` holds one :class:`~cwb_metrics.models.indicator.IndicatorMeta` record
(the only schema; unknown keys are errors) whose ``id`` equals the file name.
``dimensions.yaml`` lists all 21 Doughnut dimensions, each ``has_data`` (at least one scored
indicator), ``context_only`` (only context indicators, such as relative IMD shares, which are
never scored) or ``no_data_yet``; the last two carry a one-line note saying why no indicator
is scored, which the portrait shows as the reason for "no data". It is validated by
:class:`DimensionEntry`. Old (Raworth 2017) dimension ids are accepted as aliases.
See ``data/indicators/README.md`` for how to add an indicator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import ValidationError, field_validator, model_validator

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.builders import check_params
from cwb_metrics.models.indicator import (
    DIMENSIONS,
    DimensionId,
    IndicatorMeta,
    Ring,
    Strict,
    canonical_dimension,
)
from cwb_metrics.settings import CATALOGUE_DIR

#: The file listing the dimensions, inside the catalogue folder.
DIMENSIONS_FILE = "dimensions.yaml"
#: The file saying what would measure each of the four lenses (see :mod:`cwb_metrics.indicators.lenses`).
LENSES_FILE = "lenses.yaml"
#: Files of the catalogue folder that are not indicator records.
NON_RECORD_FILES: tuple[str, ...] = (DIMENSIONS_FILE, LENSES_FILE)


class DimensionEntry(Strict):
    """One Doughnut dimension in ``dimensions.yaml``: whether the catalogue covers it, and why not."""

    id: DimensionId
    ring: Ring
    label: str
    status: Literal["has_data", "context_only", "no_data_yet"]
    note: str = ""

    @field_validator("id", mode="before")
    @classmethod
    def _alias(cls, value: object) -> object:
        return canonical_dimension(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _matches_the_model(self) -> DimensionEntry:
        ring, label = DIMENSIONS[self.id]
        if (self.ring, self.label) != (ring, label):
            raise ValueError(
                f"dimension {self.id!r} is {label!r} on the {ring} ring, not {self.label!r} on {self.ring}"
            )
        if self.status != "has_data" and len(self.note.strip()) < 10:
            raise ValueError(f"dimension {self.id!r} has no scored indicator: give a one-line note saying why")
        return self


class DimensionsFile(Strict):
    """The whole ``dimensions.yaml``: every dimension exactly once, in drawing order."""

    dimensions: list[DimensionEntry]

    @model_validator(mode="after")
    def _all_dimensions_once(self) -> DimensionsFile:
        ids = [d.id for d in self.dimensions]
        if ids != list(DIMENSIONS):
            missing = [d for d in DIMENSIONS if d not in ids]
            repeated = sorted({d for d in ids if ids.count(d) > 1})
            order = "in the order of cwb_metrics.models.indicator.DIMENSIONS"
            raise ValueError(f"list all {len(DIMENSIONS)} dimensions once, {order} (missing: {missing}, "
                             f"repeated: {repeated})")  # fmt: skip
        return self


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CwbError(f"{path.name}: is not valid YAML ({error})") from None
    except UnicodeDecodeError as error:
        raise CwbError(f"{path.name}: is not UTF-8 text ({error})") from None


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "(record)"
        lines.append(f"field '{field}': {item['msg']}")
    return "; ".join(lines)


def load_indicator(path: str | Path) -> IndicatorMeta:
    """Load and validate one catalogue record, its ``extract.params`` by its builder's params model.

    Raises
    ------
    CwbError
        Naming the file and each bad field (a misspelt ``extract.params`` key too), when
        ``extract.method`` is not a builder, or when ``id`` differs from the file name.
    """
    path = Path(path)
    record = _read_yaml(path)
    if not isinstance(record, dict):
        raise CwbError(
            f"{path.name}: expected one indicator record (a mapping of fields), found {type(record).__name__}"
        )
    try:
        meta = IndicatorMeta.model_validate(record)
    except ValidationError as error:
        raise CwbError(f"{path.name}: invalid indicator record: {_describe(error)}") from None
    if meta.id != path.stem:
        raise CwbError(f"{path.name}: field 'id' is {meta.id!r} but must equal the file name {path.stem!r}")
    try:
        check_params(meta)
    except CwbError as error:
        raise CwbError(f"{path.name}: {error}") from None
    return meta


def load_catalogue(folder: str | Path = CATALOGUE_DIR) -> dict[str, IndicatorMeta]:
    """Load every indicator record of the catalogue folder, keyed by id.

    Parameters
    ----------
    folder : str or pathlib.Path
        The catalogue folder (default ``data/indicators``).

    Returns
    -------
    dict
        :class:`IndicatorMeta` by id, in dimension drawing order, then by id.

    Raises
    ------
    CwbError
        When a record is invalid (naming the file and field).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CwbError(f"the indicator catalogue folder {folder} does not exist")
    records = [load_indicator(p) for p in sorted(folder.glob("*.yaml")) if p.name not in NON_RECORD_FILES]
    order = {dimension: i for i, dimension in enumerate(DIMENSIONS)}
    records.sort(key=lambda m: (order[m.dimension], m.id))
    return {meta.id: meta for meta in records}


def load_dimensions(folder: str | Path = CATALOGUE_DIR) -> list[DimensionEntry]:
    """Load ``dimensions.yaml``: all 21 dimensions, with a note for those without data.

    Raises
    ------
    CwbError
        When the file is missing or invalid (naming the field).
    """
    path = Path(folder) / DIMENSIONS_FILE
    if not path.is_file():
        raise CwbError(f"{path} does not exist; it lists the Doughnut dimensions and why some have no data yet")
    try:
        return DimensionsFile.model_validate(_read_yaml(path)).dimensions
    except ValidationError as error:
        raise CwbError(f"{path.name}: invalid: {_describe(error)}") from None


def catalogue_by_dimension(catalogue: dict[str, IndicatorMeta] | None = None) -> dict[str, list[IndicatorMeta]]:
    """Group indicators by dimension, every dimension present (possibly empty), in drawing order."""
    catalogue = load_catalogue() if catalogue is None else catalogue
    grouped: dict[str, list[IndicatorMeta]] = {dimension: [] for dimension in DIMENSIONS}
    for meta in catalogue.values():
        grouped[meta.dimension].append(meta)
    return grouped


def dimension_status_problems(
    dimensions: list[DimensionEntry], catalogue: dict[str, IndicatorMeta]
) -> list[str]:  # fmt: skip
    """Return disagreements between ``dimensions.yaml`` statuses and the indicators catalogued.

    ``has_data`` needs a scored indicator; ``context_only`` needs context indicators and no
    scored one; ``no_data_yet`` needs no indicator at all.
    """
    grouped = catalogue_by_dimension(catalogue)
    problems = []
    for entry in dimensions:
        scored = sum(m.role == "scored" for m in grouped[entry.id])
        context = len(grouped[entry.id]) - scored
        if entry.status == "has_data" and scored == 0:
            problems.append(f"{entry.id}: marked has_data but no scored indicator has this dimension")
        if entry.status == "context_only" and (scored or not context):
            problems.append(
                f"{entry.id}: marked context_only but it has {scored} scored and {context} context indicator(s)"
            )
        if entry.status == "no_data_yet" and (scored or context):
            problems.append(f"{entry.id}: marked no_data_yet but {scored + context} indicator(s) have this dimension")
    return problems


def dimension_notes(folder: str | Path = CATALOGUE_DIR) -> dict[str, str]:
    """Return, for each dimension without a scored indicator, why (``dimensions.yaml``'s note).

    Returns an empty mapping when ``dimensions.yaml`` is missing or invalid: the portrait
    then falls back to a generic reason.
    """
    try:
        return {d.id: d.note for d in load_dimensions(folder) if d.status != "has_data"}
    except CwbError:
        return {}
