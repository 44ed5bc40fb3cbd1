"""The briefing as a one-page A4 PDF with real, selectable text.

The page is the briefing's SVG (:mod:`cwb_metrics.briefing.page`) converted by vl-convert's
svg2pdf, which keeps every word as text in embedded, subset Liberation Sans fonts and the
Doughnut as vectors. pypdf then writes the document information (title, subject, author,
keywords, and creation and modification dates taken from the data version's build time,
never the clock) and the document language, and writes the objects in a fixed order, so
the same briefing always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io

import vl_convert
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, IndirectObject, NameObject, TextStringObject

from cwb_metrics.briefing.build import Briefing
from cwb_metrics.briefing.render_image import briefing_page

PRODUCER = "cwb-metrics (vl-convert svg2pdf, pypdf)"


def pdf_date(timestamp: str) -> str:
    """A PDF date (``D:20261122015903Z``) from an ISO 8601 time (``2026-11-22T01:59:03+00:00``)."""
    moment = dt.datetime.fromisoformat(timestamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("D:%Y%m%d%H%M%SZ")


def _sort_keys(obj: object, seen: set[tuple[int, int]]) -> None:
    """Put every dictionary's keys in sorted order (svg2pdf writes some in hash order)."""
    if isinstance(obj, IndirectObject):
        key = (obj.idnum, obj.generation)
        if key not in seen:
            seen.add(key)
            _sort_keys(obj.get_object(), seen)
    elif isinstance(obj, DictionaryObject):
        items = sorted(obj.items(), key=lambda item: str(item[0]))
        obj.clear()
        for name, value in items:
            obj[name] = value
        for _, value in items:
            _sort_keys(value, seen)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            _sort_keys(value, seen)


def svg_to_pdf(svg: str, *, info: dict[str, str], lang: str = "en-GB") -> bytes:
    """Convert a one-page SVG to PDF with fixed metadata and a stable byte layout.

    Parameters
    ----------
    svg : str
        The page; 1 SVG unit becomes 1 point.
    info : dict of str to str
        Document information entries without the slash (``Title``, ``CreationDate``, ...).
    lang : str
        The document's natural language (read by screen readers).

    Returns
    -------
    bytes
        The PDF.
    """
    reader = PdfReader(io.BytesIO(vl_convert.svg_to_pdf(svg)))
    writer = PdfWriter()
    for page in reader.pages:
        _sort_keys(page.indirect_reference, set())
        writer.add_page(page)
    writer.add_metadata({f"/{key}": value for key, value in info.items()})
    root = writer._root_object
    root[NameObject("/Lang")] = TextStringObject(lang)
    root[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_pdf(briefing: Briefing) -> bytes:
    """The briefing as a one-page A4 PDF.

    Parameters
    ----------
    briefing : Briefing
        From :func:`~cwb_metrics.briefing.build.build_briefing`.

    Returns
    -------
    bytes
        A PDF whose text can be selected and searched; byte-identical for the same data
        version, area and period.
    """
    stamp = pdf_date(briefing.created)
    info = {
        "Title": f"{briefing.title} ({briefing.period_text.lower()})",
        "Subject": briefing.text_alternative,
        "Author": f"cwb-metrics for {briefing.council_name}" if briefing.council_name else "cwb-metrics",
        "Keywords": f"Doughnut Economics; community wealth building; {briefing.area_name}; "
        f"data version {briefing.data_version}",
        "Creator": "python -m cwb_metrics briefing",
        "Producer": PRODUCER,
        "CreationDate": stamp,
        "ModDate": stamp,
    }
    return svg_to_pdf(briefing_page(briefing).svg, info=info)
