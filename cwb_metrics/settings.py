"""Where things are: the repository's committed metadata, the data folder and the mirror."""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (holds the committed catalogue in ``data/indicators``).
REPO_ROOT = Path(__file__).resolve().parent.parent
#: Committed metadata: indicator catalogue, sources and area configurations.
METADATA_DIR = REPO_ROOT / "data"
CATALOGUE_DIR = METADATA_DIR / "indicators"
SOURCES_FILE = METADATA_DIR / "sources.yaml"
AREAS_DIR = METADATA_DIR / "areas"
DEFAULT_AREA_CONFIG = "oxfordshire"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder: ``explicit``, else ``$CWB_DATA_DIR``, else ``data/``.

    Parameters
    ----------
    explicit : path-like, optional
        A folder given on the command line (``--data-dir``).

    Returns
    -------
    pathlib.Path
        An absolute path; the folder need not exist yet.
    """
    chosen = explicit or os.environ.get("CWB_DATA_DIR") or METADATA_DIR
    return Path(chosen).expanduser().resolve()


def mirror_dir(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """Return the mirror folder of already-downloaded files, or ``None`` to download.

    ``explicit`` (``--mirror``) wins over ``$CWB_MIRROR``.
    """
    chosen = explicit or os.environ.get("CWB_MIRROR")
    return Path(chosen).expanduser().resolve() if chosen else None


def area_config_id() -> str:
    """Return the configured area set, ``$CWB_AREAS`` or ``oxfordshire``."""
    return os.environ.get("CWB_AREAS", DEFAULT_AREA_CONFIG)
