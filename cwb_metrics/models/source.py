"""A source file: one official published file, as listed in ``data/sources.yaml``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator


class SourceFile(BaseModel):
    """One official file the refresh fetches, from its publisher or from a mirror folder.

    ``mirror_path`` is where the same file sits inside a mirror folder (the layout of
    ``../shared/data``); downloads are cached under the same relative path.

    ``archive_member`` names the file to take out of a zip that ``url`` serves (matched by
    its name inside the zip, in any folder), for publishers who offer a file only inside an
    archive; the member is saved at ``mirror_path``.

    ``manual_download`` says why a file cannot be downloaded by the refresh: the publisher
    offers it only from a web page, with no file address that could be checked. ``url`` is
    then that page (the same as ``landing_page``), the refresh does not request it, and its
    message tells the analyst to save the file by hand from ``landing_page`` into the mirror
    folder at ``mirror_path``.
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
    archive_member: str | None = Field(default=None, min_length=1)
    manual_download: str | None = Field(default=None, min_length=10)

    @model_validator(mode="after")
    def _manual_download_has_no_file_url(self) -> SourceFile:
        if self.manual_download is not None:
            if self.url != self.landing_page:
                raise ValueError(
                    "a source with manual_download has no checked file address: its url must be its landing_page"
                )
            if self.archive_member is not None:
                raise ValueError("a source with manual_download is never downloaded, so it takes no archive_member")
        return self
