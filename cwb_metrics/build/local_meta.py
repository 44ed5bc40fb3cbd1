"""Indicator metadata kept in a data version: the council's own indicators and saved thresholds.

The committed catalogue (``data/indicators/*.yaml``) describes the official indicators. An
analyst can add a local indicator (e.g. council spend with local SMEs) or save a council
threshold; those records are written into the data version (``meta/<id>.yaml``) through the
same validated, versioned path as data, and override or extend the committed catalogue.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from cwb_metrics.errors import DataValidationError, Problem
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.store import DataStore

META_FOLDER = "meta"


def parse_meta_yaml(text: str, file_name: str) -> IndicatorMeta:
    """Validate one metadata record given as YAML text.

    Raises
    ------
    DataValidationError
        With one problem per invalid field (the column is the field's path).
    """
    try:
        record = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise DataValidationError([Problem(file_name, row, None, f"is not valid YAML: {error}")]) from None
    if not isinstance(record, dict):
        raise DataValidationError([Problem(file_name, None, None, "must be a YAML mapping of fields")])
    try:
        return IndicatorMeta.model_validate(record)
    except ValidationError as error:
        problems = [
            Problem(file_name, None, ".".join(str(part) for part in item["loc"]) or None, item["msg"])
            for item in error.errors()
        ]
        raise DataValidationError(problems) from None


def meta_to_yaml(meta: IndicatorMeta) -> str:
    """Serialise a record as YAML, in the shape of the committed catalogue files."""
    return yaml.safe_dump(meta.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True)


def version_meta(store: DataStore, version: str | None = None) -> dict[str, IndicatorMeta]:
    """Return the metadata records stored in a data version (empty when there are none)."""
    folder = store.version_dir(version) / META_FOLDER
    records: dict[str, IndicatorMeta] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        records[path.stem] = parse_meta_yaml(path.read_text(encoding="utf-8"), path.name)
    return records


def catalogue_for(store: DataStore, version: str | None = None) -> dict[str, IndicatorMeta]:
    """The committed catalogue, extended and overridden by the data version's own records."""
    catalogue = dict(load_catalogue())
    if store.current_version() is None:
        return catalogue
    catalogue.update(version_meta(store, version))
    return catalogue


def meta_path(relative_id: str) -> str:
    """The path of a record inside a version, e.g. ``meta/local_sme_spend.yaml``."""
    return str(Path(META_FOLDER) / f"{relative_id}.yaml")
