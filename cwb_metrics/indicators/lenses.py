"""The four lenses: which indicators look through each, and what would measure a lens with no data.

``data/indicators/lenses.yaml`` holds, for each lens of :data:`cwb_metrics.models.lens.LENSES`,
what official data would measure it locally. :func:`lens_gaps` says it for every lens that
has no indicator (in the catalogue, or with a value in one area's portrait), so the four-lens
view can say what is missing instead of drawing an empty doughnut silently.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from pydantic import ValidationError

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.catalogue import LENSES_FILE, _describe, _read_yaml
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.lens import LENSES, LensEntry, LensesFile
from cwb_metrics.settings import CATALOGUE_DIR


def load_lenses(folder: str | Path = CATALOGUE_DIR) -> dict[str, LensEntry]:
    """Load ``lenses.yaml``: the four lenses, by id, in DEAL's order.

    Raises
    ------
    CwbError
        When the file is missing or invalid (naming the field).
    """
    path = Path(folder) / LENSES_FILE
    if not path.is_file():
        raise CwbError(f"{path} does not exist; it says what would measure each of the four lenses")
    try:
        entries = LensesFile.model_validate(_read_yaml(path)).lenses
    except ValidationError as error:
        raise CwbError(f"{path.name}: invalid: {_describe(error)}") from None
    return {entry.id: entry for entry in entries}


def catalogue_by_lens(catalogue: Mapping[str, IndicatorMeta]) -> dict[str, list[IndicatorMeta]]:
    """Group indicators by lens: every lens present (possibly empty), in DEAL's order."""
    grouped: dict[str, list[IndicatorMeta]] = {lens: [] for lens in LENSES}
    for meta in catalogue.values():
        grouped[meta.lens].append(meta)
    return grouped


def lens_gaps(
    catalogue: Mapping[str, IndicatorMeta],
    *,
    with_data: Collection[str] | None = None,
    lenses: Mapping[str, LensEntry] | None = None,
) -> dict[str, str]:
    """Say what would measure each lens that has no data.

    Parameters
    ----------
    catalogue : mapping
        Indicator records by id.
    with_data : collection of str, optional
        Ids of the indicators that have a value (e.g. in one area's portrait). By default
        a lens counts as covered when any catalogue record has it.
    lenses : mapping, optional
        The lens file's entries (default: :func:`load_lenses`).

    Returns
    -------
    dict
        Lens id -> the ``what_would_measure`` text, for each lens with no indicator (with
        data), in DEAL's order; empty when every lens is covered.
    """
    lenses = load_lenses() if lenses is None else lenses
    present = set(catalogue) if with_data is None else set(with_data) & set(catalogue)
    covered = {catalogue[i].lens for i in present}
    return {lens: lenses[lens].what_would_measure for lens in LENSES if lens not in covered}
