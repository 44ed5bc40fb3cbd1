"""Load and check an area configuration, ``data/areas/<id>.yaml`` (schema: :class:`AreaConfig`)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from cwb_metrics.errors import CwbError
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.settings import AREAS_DIR, area_config_id


def area_config_path(area_id: str | None = None) -> Path:
    """Return the file of an area configuration named by id or by path.

    Parameters
    ----------
    area_id : str, optional
        A file name without ``.yaml`` in ``data/areas`` (``cornwall``), or the path of a
        YAML file anywhere (``/tmp/cornwall.yaml``, ``areas/leeds.yml``); default
        ``$CWB_AREAS`` or ``oxfordshire``.

    Returns
    -------
    pathlib.Path
    """
    chosen = str(area_id or area_config_id()).strip()
    candidate = Path(chosen).expanduser()
    if candidate.suffix.lower() in (".yaml", ".yml") or "/" in chosen or "\\" in chosen or candidate.is_file():
        return candidate.resolve()
    return AREAS_DIR / f"{chosen}.yaml"


def load_area_config(area_id: str | None = None, *, path: Path | None = None) -> AreaConfig:
    """Load and validate an area configuration.

    Parameters
    ----------
    area_id : str, optional
        The file name without ``.yaml`` in ``data/areas``, or the path of a YAML file
        (default: ``$CWB_AREAS`` or ``oxfordshire``; see :func:`area_config_path`).
    path : pathlib.Path, optional
        Read this file instead (tests, or a configuration kept elsewhere).

    Returns
    -------
    AreaConfig

    Raises
    ------
    CwbError
        When the file is missing, is not YAML, does not match :class:`AreaConfig`, or is
        inconsistent (a neighbourhood in an unknown district, an id used twice, a
        featured neighbourhood that does not exist, an action plan file that does not exist).
        A relative ``action_plan`` is read from the configuration file's folder (and
        returned as an absolute path).
    """
    if path is None:
        path = area_config_path(area_id)
    path = Path(path)
    if not path.is_file():
        known = sorted(p.stem for p in AREAS_DIR.glob("*.yaml")) if AREAS_DIR.is_dir() else []
        raise CwbError(
            f"No area configuration {path}. Known configurations: {', '.join(known) or 'none'}; "
            "CWB_AREAS takes one of those names or the path of a YAML file "
            "(write one with: python -m cwb_metrics init-area --code CODE -o FILE)."
        )
    try:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CwbError(f"{path.name} is not valid YAML: {error}") from None
    try:
        config = AreaConfig.model_validate(record)
    except ValidationError as error:
        raise CwbError(f"{path.name} does not match the area configuration schema:\n{error}") from None
    if config.action_plan and not Path(config.action_plan).expanduser().is_absolute():
        # Relative to the configuration file's folder, so the two can be kept side by side.
        plan = (path.resolve().parent / config.action_plan).resolve()
        config = config.model_copy(update={"action_plan": str(plan)})
    problems = check_area_config(config)
    if problems:
        raise CwbError(f"{path.name} is inconsistent:\n" + "\n".join(f"  - {p}" for p in problems))
    return config


def check_area_config(config: AreaConfig) -> list[str]:
    """Return what is inconsistent in a configuration (empty when it is sound)."""
    problems: list[str] = []
    district_codes = [d.code for d in config.districts]
    if not district_codes:
        problems.append("no districts are listed")
    if len(set(district_codes)) != len(district_codes):
        problems.append("a district code is listed twice")
    ids = [n.id for n in config.neighbourhoods]
    for repeated in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"neighbourhood id {repeated!r} is used twice")
    for neighbourhood in config.neighbourhoods:
        if neighbourhood.district not in district_codes:
            problems.append(
                f"neighbourhood {neighbourhood.id!r} is in district {neighbourhood.district}, "
                f"which is not one of the districts ({', '.join(district_codes)})"
            )
    for featured in config.featured_neighbourhoods:
        if featured not in ids:
            problems.append(f"featured neighbourhood {featured!r} is not defined")
    for comparator in config.comparators:
        if comparator.code in district_codes or comparator.code in (config.county_code, config.country_code):
            problems.append(f"comparator {comparator.code} is the area itself or one of its districts")
    if config.geography is not None:
        problems += _geography_problems(config, set(district_codes))
    plan = Path(config.action_plan).expanduser() if config.action_plan else None
    if plan is not None and plan.is_absolute() and not plan.is_file():  # relative: resolved by load_area_config
        problems.append(f"action_plan {config.action_plan} does not exist")
    return problems


def _geography_problems(config: AreaConfig, district_codes: set[str]) -> list[str]:
    """Wards in unknown districts, LSOAs listed twice, districts without LSOAs."""
    assert config.geography is not None
    problems: list[str] = []
    for lookup, vintage in ((config.geography.lsoa11, 2011), (config.geography.lsoa21, 2021)):
        if lookup.lsoa_vintage != vintage:
            problems.append(f"geography.lsoa{str(vintage)[2:]} says lsoa_vintage {lookup.lsoa_vintage}")
        seen: dict[str, str] = {}
        for ward in lookup.wards:
            if ward.district not in district_codes:
                problems.append(
                    f"ward {ward.code} ({ward.name}, LSOAs {vintage}) is in {ward.district}, not a district"
                )
            for code in ward.lsoas:
                if code in seen:
                    problems.append(f"LSOA {code} ({vintage}) is in two wards: {seen[code]} and {ward.code}")
                seen[code] = ward.code
        empty = sorted(district_codes - {w.district for w in lookup.wards})
        if empty:
            problems.append(f"districts {', '.join(empty)} have no LSOAs ({vintage}) in geography")
    return problems
