"""Download only one council's areas: fill a source's ArcGIS ``where`` clause from the area configuration.

The ONS Open Geography Portal serves boundary files as ArcGIS feature services whose
``query`` endpoint takes a ``where`` clause, e.g.
``...FeatureServer/0/query?where=LSOA21CD%20IN%20('E01018817','E01018818')&outFields=...``.
A source with an ``area_filter`` (``data/sources.yaml``) is downloaded with that clause
filled in, instead of the England-wide ``where=1=1``; a mirror holds the England-wide
file, which the refresh cuts to the area itself. Feature services return at most their
``maxRecordCount`` features per request (2,000 on the portal), which covers any one
council's LSOAs; England-wide downloads need paging (``resultOffset``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from pydantic import HttpUrl

from cwb_metrics.errors import CwbError
from cwb_metrics.models.source import SourceFile

_ALL = "where=1%3D1"


def where_clause(template: str, codes: Mapping[str, Sequence[str]]) -> str:
    """Return an ArcGIS ``where`` clause with ``{districts}``, ``{lsoa11}``, ``{lsoa21}`` filled in.

    Examples
    --------
    >>> where_clause("LAD25CD IN ({districts})", {"districts": ["E06000052"]})
    "LAD25CD IN ('E06000052')"
    """
    filled = {key: ",".join(f"'{code}'" for code in values) for key, values in codes.items()}
    try:
        return template.format(**filled)
    except KeyError as error:
        raise CwbError(f"area filter {template!r} needs {error} codes, which the area configuration lacks") from None


def for_area(source: SourceFile, codes: Mapping[str, Sequence[str]]) -> SourceFile:
    """Return ``source`` with its download URL limited to the area's codes (unchanged without a filter).

    Parameters
    ----------
    source : SourceFile
        A source record; only those with ``area_filter`` change.
    codes : mapping
        ``{"districts": [...], "lsoa11": [...], "lsoa21": [...]}`` from the area configuration.

    Returns
    -------
    SourceFile
        A copy whose ``url`` carries the filled ``where`` clause.
    """
    if source.area_filter is None or not all(codes.get(k) for k in ("districts",)):
        return source
    url = str(source.url)
    if _ALL not in url:
        raise CwbError(f"source {source.id}: its URL has no 'where=1%3D1' for the area filter to replace")
    clause = quote(where_clause(source.area_filter, codes), safe="(),'")
    return source.model_copy(update={"url": HttpUrl(url.replace(_ALL, f"where={clause}"))})
