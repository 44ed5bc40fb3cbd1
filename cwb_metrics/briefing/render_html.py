"""The briefing as one self-contained HTML file: headings, the Doughnut inline, a data table.

Nothing is fetched: the Doughnut is inline SVG (drawn by vl-convert) with a title and a
description for screen readers, the figures behind it are a real table, and the styles
are in the page, including print styles for one A4 sheet (the data table, long as it is,
is left to the screen). ``fragment=True`` gives the ``<article>`` alone with styles scoped
to it, for the app to show inside its own page (the Doughnut then as an image of SVG,
since the app's HTML sanitiser removes inline SVG).
"""

from __future__ import annotations

import base64
import re

import vl_convert

from cwb_metrics.briefing.accessibility import portrait_table
from cwb_metrics.briefing.build import Briefing, DeprivationHeadline, KeyFigure, none_text
from cwb_metrics.briefing.fonts import FONT_FAMILY
from cwb_metrics.briefing.page import BAND, HEADING, MUTED, NOTE_EDGE, NOTE_FILL, ON_BAND, ON_BAND_MUTED, RULE, TILE
from cwb_metrics.briefing.svg import esc
from cwb_metrics.charts import doughnut_style as style
from cwb_metrics.models.indicator import DIMENSIONS

_CSS = f"""
.cwb-briefing {{font-family: {FONT_FAMILY}; color: {style.INK}; line-height: 1.45; max-width: 60em;
  margin: 0 auto; background: #FFFFFF;}}
.cwb-briefing h1, .cwb-briefing h2, .cwb-briefing h3 {{margin: 0; line-height: 1.2;}}
.cwb-briefing .b-header {{background: {BAND}; color: {ON_BAND}; padding: 1em 1.5em 1.1em;
  display: flex; justify-content: space-between; gap: 1em; flex-wrap: wrap;}}
.cwb-briefing .b-kicker {{margin: 0; font-size: 0.75em; font-weight: bold; letter-spacing: 0.06em;
  color: {ON_BAND_MUTED}; text-transform: uppercase;}}
.cwb-briefing .b-header h1 {{font-size: 2em; color: {ON_BAND}; margin: 0.2em 0;}}
.cwb-briefing .b-context {{margin: 0; color: {ON_BAND_MUTED};}}
.cwb-briefing .b-version {{margin: 0; text-align: right; font-size: 0.85em; color: {ON_BAND_MUTED};}}
.cwb-briefing .b-version strong {{color: {ON_BAND};}}
.cwb-briefing .b-body {{padding: 0.6em 1.5em 1em;}}
.cwb-briefing h2 {{font-size: 1.1em; color: {HEADING}; border-bottom: 1px solid {RULE}; padding-bottom: 0.2em;
  margin: 1em 0 0.5em;}}
.cwb-briefing h3 {{font-size: 0.92em;}}
.cwb-briefing .b-note {{background: {NOTE_FILL}; border-left: 4px solid {NOTE_EDGE}; padding: 0.5em 0.8em;}}
.cwb-briefing .b-counts {{display: flex; flex-wrap: wrap; gap: 0.3em 1.1em; padding: 0; list-style: none;
  margin: 0.7em 0 0;}}
.cwb-briefing .b-counts li {{display: flex; align-items: center; gap: 0.35em;}}
.cwb-briefing .b-swatch {{display: inline-block; width: 0.8em; height: 0.8em; border: 1px solid #8C8C8C;}}
.cwb-briefing .b-sentences li {{margin-bottom: 0.25em;}}
.cwb-briefing .b-main {{display: grid; grid-template-columns: minmax(0, 1.35fr) minmax(0, 1fr); gap: 1.5em;}}
.cwb-briefing figure {{margin: 0;}}
.cwb-briefing figure svg, .cwb-briefing figure img {{max-width: 100%; height: auto; display: block;}}
.cwb-briefing figcaption {{font-size: 0.82em; color: {MUTED};}}
.cwb-briefing .b-gaps {{list-style: none; padding: 0; margin: 0;}}
.cwb-briefing .b-gaps li {{border-bottom: 1px solid {RULE}; padding: 0.35em 0;}}
.cwb-briefing .b-value {{font-size: 1.25em; font-weight: bold; margin: 0.1em 0 0;}}
.cwb-briefing .b-value span {{font-size: 0.8em; font-weight: normal; color: {MUTED};}}
.cwb-briefing .b-shortfall {{color: {style.SHORTFALL};}}
.cwb-briefing .b-overshoot {{color: {style.OVERSHOOT};}}
.cwb-briefing .b-detail {{margin: 0; font-size: 0.82em; color: {MUTED};}}
.cwb-briefing table {{border-collapse: collapse; width: 100%; font-size: 0.85em;}}
.cwb-briefing caption {{text-align: left; font-weight: bold; padding-bottom: 0.3em;}}
.cwb-briefing th, .cwb-briefing td {{border-bottom: 1px solid {RULE}; padding: 0.25em 0.4em; text-align: left;
  vertical-align: top;}}
.cwb-briefing thead th {{background: {TILE};}}
.cwb-briefing td.num {{text-align: right; font-variant-numeric: tabular-nums;}}
.cwb-briefing .b-small {{font-size: 0.82em; color: {MUTED};}}
.cwb-briefing details summary {{cursor: pointer; font-weight: bold; color: {HEADING}; margin: 1em 0 0.4em;}}
.cwb-briefing footer {{border-top: 1px solid {RULE}; margin-top: 1em; padding-top: 0.5em; font-size: 0.75em;
  color: {MUTED};}}
.cwb-briefing footer p {{margin: 0 0 0.2em;}}
@media (max-width: 40em) {{.cwb-briefing .b-main {{grid-template-columns: 1fr;}}}}
"""

_PRINT_CSS = """
@page {size: A4 portrait; margin: 9mm 10mm;}
body {margin: 0;}
@media print {
  .cwb-briefing {max-width: none; font-size: 8pt; line-height: 1.28;}
  .cwb-briefing .b-header {padding: 3mm 5mm; -webkit-print-color-adjust: exact; print-color-adjust: exact;}
  .cwb-briefing .b-header h1 {font-size: 19pt; margin: 0.5mm 0;}
  .cwb-briefing .b-body {padding: 0 1mm;}
  .cwb-briefing h2 {font-size: 10pt; margin: 2.5mm 0 1.2mm;}
  .cwb-briefing h3 {font-size: 8pt;}
  .cwb-briefing .b-value {font-size: 10.5pt;}
  .cwb-briefing .b-gaps li {padding: 0.8mm 0;}
  .cwb-briefing .b-main {gap: 5mm;}
  .cwb-briefing .b-counts {margin-top: 1mm;}
  .cwb-briefing .b-sentences {margin: 1.5mm 0;}
  .cwb-briefing figure svg {max-height: 112mm; width: auto;}
  .cwb-briefing .b-swatch, .cwb-briefing thead th {-webkit-print-color-adjust: exact; print-color-adjust: exact;}
  .cwb-briefing th, .cwb-briefing td {padding: 0.5mm 1.5mm;}
  .cwb-briefing .b-data-table {display: none;}
  .cwb-briefing footer {font-size: 6.3pt; margin-top: 2mm; padding-top: 1mm;}
}
"""

_SWATCH = {
    "shortfall": style.SHORTFALL,
    "overshoot": style.OVERSHOOT,
    "within": style.WITHIN,
    "missing": f"repeating-linear-gradient(180deg, {style.MISSING} 0 2px, #FFFFFF 2px 3px)",
}


def doughnut_svg(briefing: Briefing) -> str:
    """The Doughnut (with its legend and credit) as inline SVG, labelled for screen readers."""
    markup = vl_convert.vegalite_to_svg(briefing.doughnut)
    label = f'<title id="b-doughnut-title">{esc(briefing.doughnut_heading)}</title>'
    label += f'<desc id="b-doughnut-desc">{esc(briefing.text_alternative)}</desc>'
    return re.sub(
        r"<svg\b([^>]*)>",
        lambda m: f'<svg{m.group(1)} role="img" aria-labelledby="b-doughnut-title b-doughnut-desc">{label}',
        markup,
        count=1,
    )


def doughnut_img(briefing: Briefing) -> str:
    """The Doughnut as an ``<img>`` of SVG in a data URI, with the text alternative as ``alt``.

    For hosts that strip inline SVG from HTML they insert (Streamlit's ``st.html``
    sanitises with DOMPurify, which removes it) but keep images.
    """
    markup = vl_convert.vegalite_to_svg(briefing.doughnut)
    data = base64.b64encode(markup.encode("utf-8")).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{esc(briefing.text_alternative)}">'


def _swatch(status: str) -> str:
    return f'<span class="b-swatch" aria-hidden="true" style="background: {_SWATCH[status]}"></span>'


def _figure(figure: KeyFigure) -> str:
    threshold = figure.threshold_text + (" (illustrative)" if figure.illustrative else "")
    england = f" · {esc(figure.england_text)}" if figure.england_text else ""
    return (
        f"<li><h3>{esc(figure.title)}</h3>"
        f'<p class="b-value b-{figure.status}">{esc(figure.value_text)} <span>{esc(figure.period_label)}</span></p>'
        f'<p class="b-detail">{esc(threshold)} · {esc(figure.gap_text)}</p>'
        f'<p class="b-detail">{esc(figure.trend_text)}{england}</p></li>'
    )


def _gaps(title: str, anchor: str, figures: tuple[KeyFigure, ...], none: str) -> str:
    items = "".join(_figure(f) for f in figures)
    body = f'<ol class="b-gaps">{items}</ol>' if figures else f'<p class="b-small">{esc(none)}</p>'
    return f'<h2 id="{anchor}">{esc(title)}</h2>{body}'


def _deprivation_table(area: str, headlines: tuple[DeprivationHeadline, ...]) -> str:
    rows = []
    for h in headlines:
        share = "" if h.population_share_20pct is None else f"{h.population_share_20pct:.0f}%"
        vintage = "2011" if h.edition == 2019 else "2021"
        rows.append(
            f'<tr><th scope="row">IMD {h.edition} (LSOAs {vintage})</th><td class="num">{h.lsoa_count}</td>'
            f'<td class="num">{h.most_deprived_20pct}</td><td class="num">{h.most_deprived_10pct}</td>'
            f'<td class="num">{share or "not published"}</td></tr>'
        )
    return (
        f"<table><caption>Neighbourhoods (LSOAs) of {esc(area)} among England's most deprived</caption>"
        '<thead><tr><th scope="col">Edition</th><th scope="col">LSOAs</th>'
        '<th scope="col">In the most deprived 20%</th><th scope="col">In the most deprived 10%</th>'
        '<th scope="col">Residents in the 20%</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _data_table(briefing: Briefing) -> str:
    table = portrait_table(briefing.portrait).drop(columns=["id"])
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in table.columns)
    body = []
    for record in table.itertuples(index=False):
        cells = [f'<th scope="row">{esc(record[1])}</th>' if i == 1 else f"<td>{esc(v)}</td>"
                 for i, v in enumerate(record)]  # fmt: skip
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<section class="b-data-table" aria-labelledby="b-table"><details>'
        f'<summary id="b-table">The figures behind the Doughnut, as a table ({len(table)} rows)</summary>'
        f"<table><caption>{esc(briefing.doughnut_heading)}: every indicator, "
        f"{esc(briefing.period_text.lower())}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></details></section>"
    )


def _article(briefing: Briefing, *, inline_svg: bool = True) -> str:
    b = briefing
    counts = [
        ("shortfall", f"{b.counts['shortfall']} short of the social foundation"),
        ("overshoot", f"{b.counts['overshoot']} beyond the ecological ceiling"),
        ("within", f"{b.counts['within']} within the safe and just space"),
        ("missing", f"{b.counts['missing_dimensions']} of {len(DIMENSIONS)} dimensions with no data"),
    ]
    count_items = "".join(f"<li>{_swatch(s)}{esc(text)}</li>" for s, text in counts)
    note = f'<p class="b-note" role="note">{esc(b.context_note)}</p>' if b.context_note else ""
    sentences = "".join(f"<li>{esc(s)}</li>" for s in b.sentences)
    deprivation = ""
    if b.deprivation:
        deprivation = _deprivation_table(b.area_name, b.deprivation)
    none_short, none_over = none_text(b.portrait, "shortfall"), none_text(b.portrait, "overshoot")
    footer = "".join(f"<p>{esc(line)}</p>" for line in b.footer)
    return f"""<article class="cwb-briefing" lang="en-GB">
<header class="b-header">
  <div><p class="b-kicker">Councillor briefing · Doughnut data portrait</p>
  <h1>{esc(b.area_name)}</h1>
  <p class="b-context">{esc(b.area_context)} · {esc(b.period_text)}</p></div>
  <p class="b-version"><strong>Data as of {esc(b.date_text)}</strong><br>Data version {esc(b.data_version)}</p>
</header>
<div class="b-body">
{note}
<section aria-labelledby="b-brief">
  <h2 id="b-brief">In brief</h2>
  <ul class="b-counts" aria-label="Indicators of {esc(b.portrait.area_name)} by status">{count_items}</ul>
  <ul class="b-sentences">{sentences}</ul>
</section>
<div class="b-main">
  <section aria-labelledby="b-doughnut">
    <h2 id="b-doughnut">{esc(b.doughnut_heading)}</h2>
    <figure>{doughnut_svg(b) if inline_svg else doughnut_img(b)}
      <figcaption>Shortfalls point inward from the social foundation, overshoots outward from the ecological
      ceiling; the dark green ring between them is the safe and just space. Striped grey wedges have no data
      yet and are never counted as zero. The table below lists every wedge.</figcaption>
    </figure>
  </section>
  <section aria-labelledby="b-shortfalls">
    {_gaps("Largest shortfalls", "b-shortfalls", b.shortfalls, none_short)}
    {_gaps("Largest overshoots", "b-overshoots", b.overshoots, none_over)}
  </section>
</div>
<section aria-labelledby="b-deprivation">
  <h2 id="b-deprivation">Deprivation in {esc(b.area_name)}: English Indices of Deprivation</h2>
  {deprivation}
  <p class="b-small">{esc(b.deprivation_note)}</p>
</section>
{_data_table(b)}
<footer>{footer}</footer>
</div>
</article>"""


def render_html(briefing: Briefing, *, fragment: bool = False) -> str:
    """The briefing as HTML.

    Parameters
    ----------
    briefing : Briefing
        From :func:`~cwb_metrics.briefing.build.build_briefing`.
    fragment : bool
        Return only the ``<article>`` and its scoped styles (for embedding in a page)
        instead of a complete document; the Doughnut is then an ``<img>`` (SVG in a data
        URI, the text alternative as ``alt``), which HTML sanitisers keep.

    Returns
    -------
    str
        A self-contained HTML document (no external resources), or the fragment.
    """
    if fragment:
        return f"<style>{_CSS}</style>\n{_article(briefing, inline_svg=False)}"
    article = _article(briefing)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(briefing.title)}</title>
<meta name="description" content="{esc(briefing.text_alternative)}">
<meta name="generator" content="cwb-metrics (data version {esc(briefing.data_version)})">
<style>{_CSS}{_PRINT_CSS}</style>
</head>
<body>
{article}
</body>
</html>
"""
