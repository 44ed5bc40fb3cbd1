"""A source file: one official published file, as listed in ``data/sources.yaml``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class SourceFile(BaseModel):
    """One official file the refresh fetches, from its publisher or from a mirror folder.

    ``mirror_path`` is where the same file sits inside a mirror folder (the layout of
    ``../shared/data``); downloads are cached under the same relative path.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_./-]*$")
    title: str
    publisher: str
    url: HttpUrl
    landing_page: HttpUrl
    mirror_path: str
    format: Literal["csv", "csv.gz", "xlsx", "xls", "json", "geojson", "geojson.gz", "topojson"]
    licence: str = "Open Government Licence v3.0"
    licence_url: HttpUrl = HttpUrl("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
    attribution: str
    date_published: dt.date
    next_release_due: dt.date | None = None
    optional: bool = False
    max_bytes: int = 200_000_000
    #: An ArcGIS ``where`` clause that replaces ``where=1=1`` in ``url`` when the file is
    #: downloaded for one council, so only its areas are fetched; ``{districts}``,
    #: ``{lsoa11}`` and ``{lsoa21}`` are filled from the area configuration (see
    #: :func:`cwb_metrics.sources.area_filter.for_area`). The mirror copy is England-wide.
    area_filter: str | None = Field(default=None, pattern=r"\{(districts|lsoa11|lsoa21)\}")
