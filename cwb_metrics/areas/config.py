"""Load and check an area configuration, ``data/areas/<id>.yaml`` (schema: :class:`AreaConfig`)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from cwb_metrics.errors import CwbError
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.settings import AREAS_DIR, area_config_id


def load_area_config(area_id: str | None = None, *, path: Path | None = None) -> AreaConfig:
    """Load and validate an area configuration.

    Parameters
    ----------
    area_id : str, optional
        The file name without ``.yaml`` in ``data/areas``, or the path of a ``.yaml`` file
        kept elsewhere (default: ``$CWB_AREAS`` or ``oxfordshire``).
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
        featured neighbourhood that does not exist).
    """
    if path is None:
        area_id = area_id or area_config_id()
        path = Path(area_id) if area_id.endswith((".yaml", ".yml")) else AREAS_DIR / f"{area_id}.yaml"
    path = Path(path)
    if not path.is_file():
        known = sorted(p.stem for p in path.parent.glob("*.yaml")) if path.parent.is_dir() else []
        raise CwbError(f"No area configuration {path}. Known configurations: {', '.join(known) or 'none'}.")
    try:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CwbError(f"{path.name} is not valid YAML: {error}") from None
    try:
        config = AreaConfig.model_validate(record)
    except ValidationError as error:
        raise CwbError(f"{path.name} does not match the area configuration schema:\n{error}") from None
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
    return problems
