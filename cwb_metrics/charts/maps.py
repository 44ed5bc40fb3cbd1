"""Choropleth maps drawn from TopoJSON, as pure functions returning Altair charts.

The geometry is sent once, as a named inline TopoJSON dataset in the spec's top-level
``datasets`` (named by a hash of its content, so layers drawing the same object share one
copy; Streamlit keeps TopoJSON datasets in the spec). The values are a small lookup table
joined in the browser on ``properties.code``, cut to the drawn areas. Never pass a
GeoDataFrame to ``alt.Chart`` for Streamlit: it draws nothing and embeds megabytes.

Vega-Lite cannot read two objects of one inline topology (it would define the same data
set twice), so each outline layer gets its own small topology holding only its arcs.

Typical use::

    topology = read_topology(store, "lsoa11")
    chart = choropleth(topology, "lsoa11", imd[["code", "imd_decile", "imd_rank"]],
                       value_field="imd_decile", title="Deprivation, IMD 2019",
                       outlines=[(topology, "district_lines")])
    st.altair_chart(chart, on_select="rerun", key="map")   # app side only
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Collection, Sequence
from typing import Any, ClassVar, Literal

import altair as alt
import pandas as pd

from cwb_metrics.charts import theme
from cwb_metrics.geo.simplify import subset_topology

Scale = Literal["imd_decile", "sequential", "diverging"]
#: An outline layer: (topology, object name), optionally with (stroke colour, width).
Outline = tuple[dict[str, Any], str] | tuple[dict[str, Any], str, str, float]

#: Legend labels of the deciles: "1 most deprived" ... "10 least deprived".
_DECILE_LABELS = "datum.label == '1' ? '1 most deprived' : datum.label == '10' ? '10 least deprived' : datum.label"
#: Field holding the colour class of an area on an IMD decile map.
CLASS_FIELD = "colour_class"


def payload_bytes(chart: alt.TopLevelMixin) -> int:
    """Return the size in bytes of a chart's Vega-Lite JSON, as Streamlit sends it.

    Parameters
    ----------
    chart : altair.Chart or compound chart
        Any top-level Altair chart.

    Returns
    -------
    int
        ``len(json.dumps(chart.to_dict()).encode("utf-8"))``.
    """
    return len(json.dumps(chart.to_dict()).encode("utf-8"))


def topology_codes(topology: dict[str, Any], object_name: str) -> list[str]:
    """Return the ``code`` property of every geometry of one topology object."""
    members = topology["objects"][object_name].get("geometries", [])
    return [str((m.get("properties") or {}).get("code")) for m in members]


def map_height(topology: dict[str, Any], width: int) -> int:
    """Height (px) that fits a topology's bbox at ``width`` in the Mercator projection.

    Parameters
    ----------
    topology : dict
        A topology with a ``bbox`` (``[west, south, east, north]`` in degrees); without
        one, the height is ``width * 3 / 4``.
    width : int
        Chart width in pixels.
    """
    bbox = topology.get("bbox")
    if not bbox or bbox[2] <= bbox[0]:
        return round(width * 3 / 4)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = math.radians(bbox[2] - bbox[0])
    span_y = merc(bbox[3]) - merc(bbox[1])
    return max(100, min(round(width * span_y / span_x), 3 * width))


class _Verbatim:
    """JSON passed through Altair's ``to_dict`` untouched.

    Altair walks every list and number of a plain dict (tens of thousands of arc
    coordinates: ~0.3 s a call, on every Streamlit rerun); an object with ``to_dict``
    and ``_schema`` is returned as it is, and ``copy()`` keeps it by reference.
    """

    _schema: ClassVar[dict[str, str]] = {"type": "object"}

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value

    def to_dict(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Return the wrapped JSON object."""
        return self.value


def topology_dataset_name(topology: dict[str, Any]) -> str:
    """A content-hash name for an inline topology (equal topologies share one name)."""
    digest = hashlib.md5(json.dumps(topology, separators=(",", ":")).encode("utf-8"), usedforsecurity=False)
    return f"topo-{digest.hexdigest()[:16]}"


def _topo_data(name: str, topology: dict[str, Any], feature: str) -> alt.NamedData:
    """A reference to the named inline topology ``name``, drawing object ``feature``.

    The topology itself goes once into the top-level ``datasets`` (see :func:`choropleth`),
    which keeps Altair from deep-copying it through every chained method.
    """
    if feature not in topology.get("objects", {}):
        raise KeyError(f"topology has no object {feature!r}; it has {sorted(topology.get('objects', {}))}")
    return alt.NamedData(name=name, format=alt.TopoDataFormat(type="topojson", feature=feature))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records: NaN -> null, numpy scalars -> Python, dates -> ISO strings."""
    return json.loads(frame.to_json(orient="records", date_format="iso", double_precision=6))


def _tooltips(
    tooltip: Sequence[str | tuple[str, str] | alt.Tooltip] | None,
    table: pd.DataFrame,
    value_field: str,
    value_title: str,
    value_format: str | None,
) -> list[alt.Tooltip]:
    """Tooltip channels: numbers as quantitative (so ``value_format`` applies), else nominal."""
    if tooltip is None:
        chosen: list[Any] = [("name", "Area"), ("code", "Code"), (value_field, value_title)]
        chosen += [c for c in table.columns if c not in (value_field, "name", "code")]
    else:
        chosen = list(tooltip)
    out = []
    for item in chosen:
        if isinstance(item, alt.Tooltip):
            out.append(item)
            continue
        field, title = item if isinstance(item, tuple) else (item, None)
        if ":" in field:
            out.append(alt.Tooltip(field, title=title) if title else alt.Tooltip(field))
            continue
        numeric = field in table.columns and pd.api.types.is_numeric_dtype(table[field])
        kwargs: dict[str, Any] = {"type": "quantitative" if numeric else "nominal"}
        if title:
            kwargs["title"] = title
        if field == value_field and value_format and numeric:
            kwargs["format"] = value_format
        out.append(alt.Tooltip(field, **kwargs))
    return out


def _datum(field: str) -> str:
    return f"datum[{json.dumps(field)}]"


def choropleth(
    topology: dict[str, Any],
    object_name: str,
    values: pd.DataFrame,
    *,
    value_field: str,
    title: str = "",
    legend_title: str | None = None,
    scale: Scale = "imd_decile",
    outlines: Sequence[Outline] = (),
    highlight_codes: Collection[str] = (),
    selection_name: str | None = "area",
    tooltip: Sequence[str | tuple[str, str] | alt.Tooltip] | None = None,
    credits: Sequence[str] = (theme.OS_ONS_CREDIT,),
    width: int = 700,
    height: int | None = None,
    reverse: bool = False,
    domain_mid: float | None = None,
    value_format: str | None = None,
    legend_orient: Literal["right", "bottom"] = "right",
) -> alt.LayerChart:
    """Draw a choropleth of one topology object, coloured by a value joined on ``code``.

    Parameters
    ----------
    topology : dict
        A TopoJSON topology whose geometries have a ``code`` property (and ``name``),
        e.g. from :func:`cwb_metrics.geo.tables.read_topology`.
    object_name : str
        The object to draw, e.g. ``"lsoa11"``.
    values : pandas.DataFrame
        One row per area: a ``code`` column, ``value_field`` and any tooltip fields;
        only the rows of areas in the topology object are sent.
        Areas without a row (or with a null value) are drawn in light grey, labelled
        "No data". Area names come from the topology (a ``name`` column is ignored).
    value_field : str
        The column that colours the map (an IMD decile 1-10 for ``scale="imd_decile"``).
    title : str
        Chart title.
    legend_title : str, optional
        Legend title; default "IMD decile (1 = most deprived 10%)" for deciles, else
        ``value_field``.
    scale : {"imd_decile", "sequential", "diverging"}
        ``imd_decile``: ten fixed colours, 1 (most deprived) darkest. ``sequential``:
        light to dark blues. ``diverging``: blue-orange around ``domain_mid``.
    outlines : sequence of tuple
        Line layers drawn on top: ``(topology, object_name)`` or
        ``(topology, object_name, stroke, width)``; e.g. ``(topology, "district_lines")``
        costs nothing extra as it shares the choropleth's topology.
    highlight_codes : collection of str
        Areas outlined in black on a white halo (e.g. a neighbourhood's LSOAs).
    selection_name : str or None
        Name of a click-to-select point selection on the field ``code``; with
        ``st.altair_chart(chart, on_select="rerun")`` the clicked area's code comes back
        under this name. ``None`` for no selection.
    tooltip : sequence, optional
        Tooltip fields (``"field"``, ``("field", "Title")`` or ``alt.Tooltip``);
        default: area name, code, the value and every other column of ``values``.
    credits : sequence of str
        Credit lines, in small grey type under the title (or below the map when there is
        no title); the ONS boundaries credit by default; add
        :data:`~cwb_metrics.charts.theme.IMD_CREDIT` for IMD maps.
    width, height : int
        Size of the map in pixels; the height defaults to the topology's aspect ratio.
    reverse : bool
        Reverse a sequential or diverging scheme (dark = low).
    domain_mid : float, optional
        The middle of a diverging scale (e.g. 0, or England's value).
    value_format : str, optional
        d3 number format of the value in tooltips and the legend, e.g. ``".1%"``.
    legend_orient : {"right", "bottom"}
        Where the legend goes: beside the map, or under it (for a narrow column).

    Returns
    -------
    altair.LayerChart
        Layers: the areas (with the lookup, colour, tooltip and selection), the outlines
        and the highlight; the title block holds the title and the credits.

    Raises
    ------
    KeyError
        When ``values`` lacks ``code`` or ``value_field``, or the topology lacks an object.
    """
    if object_name not in topology.get("objects", {}):
        raise KeyError(f"topology has no object {object_name!r}; it has {sorted(topology.get('objects', {}))}")
    if "code" not in values.columns and values.index.name == "code":
        values = values.reset_index()
    for column in ("code", value_field):
        if column not in values.columns:
            raise KeyError(f"values has no {column!r} column; it has {list(values.columns)}")
    if scale not in ("imd_decile", "sequential", "diverging"):
        raise ValueError(f"scale must be 'imd_decile', 'sequential' or 'diverging', not {scale!r}")
    if legend_title is None:
        legend_title = theme.IMD_DECILE_LEGEND_TITLE if scale == "imd_decile" else value_field
    height = height or map_height(topology, width)

    # Names come from the topology, so areas without a value still show theirs.
    lookup_fields = [c for c in values.columns if c not in ("code", "name")]
    # Only the drawn areas' rows are sent (the values may cover all of England).
    drawn = topology_codes(topology, object_name)
    table = values.loc[values["code"].astype(str).isin(set(drawn)), ["code", *lookup_fields]]
    table = table.drop_duplicates("code")
    with_value = set(table.loc[table[value_field].notna(), "code"].astype(str))
    any_missing = any(code not in with_value for code in drawn)

    main = topology_dataset_name(topology)
    datasets: dict[str, Any] = {main: topology}
    base = (
        alt.Chart(_topo_data(main, topology, object_name))
        .transform_calculate(code="datum.properties.code", name="datum.properties.name")
        .transform_lookup(
            lookup="code",
            from_=alt.LookupData(data=alt.InlineData(values=_records(table)), key="code", fields=lookup_fields),
        )
    )

    legend = alt.Legend(title=legend_title, orient=legend_orient, titleLimit=400)
    if value_format:
        legend = alt.Legend(title=legend_title, orient=legend_orient, titleLimit=400, format=value_format)
    if scale == "imd_decile":
        domain: list[Any] = list(theme.IMD_DECILES)
        colours = list(theme.IMD_DECILE_COLOURS)
        if any_missing:
            domain.append(theme.NO_DATA_LABEL)
            colours.append(theme.MISSING_FILL)
        base = base.transform_calculate(
            **{CLASS_FIELD: f"isValid({_datum(value_field)}) ? {_datum(value_field)} : '{theme.NO_DATA_LABEL}'"}
        )
        legend = alt.Legend(
            title=legend_title,
            orient=legend_orient,
            titleLimit=400,
            symbolType="square",
            labelExpr=_DECILE_LABELS,
        )
        colour: Any = alt.Color(f"{CLASS_FIELD}:O", scale=alt.Scale(domain=domain, range=colours), legend=legend)
    else:
        scale_kwargs: dict[str, Any] = {
            "scheme": theme.SEQUENTIAL_SCHEME if scale == "sequential" else theme.DIVERGING_SCHEME,
            "reverse": reverse,
        }
        if scale == "diverging" and domain_mid is not None:
            scale_kwargs["domainMid"] = domain_mid
        colour = (
            alt.when(f"isValid({_datum(value_field)})")
            .then(alt.Color(f"{value_field}:Q", scale=alt.Scale(**scale_kwargs), legend=legend))
            .otherwise(alt.value(theme.MISSING_FILL))
        )

    tips = _tooltips(tooltip, table, value_field, legend_title, value_format)
    encoding: dict[str, Any] = {"color": colour, "tooltip": tips}
    areas = base.mark_geoshape(stroke=theme.AREA_STROKE, strokeWidth=theme.AREA_STROKE_WIDTH)
    if selection_name:
        selection = alt.selection_point(fields=["code"], name=selection_name, on="click", clear="dblclick")
        encoding["opacity"] = alt.when(selection).then(alt.value(1.0)).otherwise(alt.value(theme.UNSELECTED_OPACITY))
        areas = areas.add_params(selection)
    layers: list[alt.Chart] = [areas.encode(**encoding)]

    for outline in outlines:
        topo, feature = outline[0], outline[1]
        stroke, stroke_width = (
            (outline[2], outline[3]) if len(outline) == 4 else (theme.OUTLINE_STROKE, theme.OUTLINE_STROKE_WIDTH)
        )
        # Its own small topology: one inline topology cannot feed two objects in Vega-Lite.
        lines = subset_topology(topo, feature)
        name = topology_dataset_name(lines)
        datasets[name] = lines
        layers.append(
            alt.Chart(_topo_data(name, lines, feature)).mark_geoshape(
                filled=False, fill=None, stroke=stroke, strokeWidth=stroke_width, strokeJoin="round", aria=False
            )
        )

    if highlight_codes:
        codes = sorted({str(c) for c in highlight_codes})
        chosen = alt.Chart(_topo_data(main, topology, object_name)).transform_filter(
            alt.FieldOneOfPredicate(field="properties.code", oneOf=codes)
        )
        layers.append(
            chosen.mark_geoshape(
                filled=False, fill=None, stroke=theme.HIGHLIGHT_HALO, strokeWidth=theme.HIGHLIGHT_HALO_WIDTH, aria=False
            )
        )
        layers.append(
            chosen.mark_geoshape(
                filled=False,
                fill=None,
                stroke=theme.HIGHLIGHT_STROKE,
                strokeWidth=theme.HIGHLIGHT_STROKE_WIDTH,
                aria=False,
            )
        )

    # Outlines and the highlight are decorative lines (``aria=False``: hidden from screen readers,
    # which read each area's own label); the map's text alternative is given beside it.
    # Credits (and the "no data" key of continuous scales) go in the chart's title block:
    # titles are laid out by Vega, so they stay visible however Streamlit sizes the chart
    # (a text mark below the view is cut off by Streamlit's autosize "fit").
    credit = theme.credit_lines(list(credits))
    if scale != "imd_decile" and any_missing:
        credit = [f"Grey: {theme.NO_DATA_LABEL.lower()}.", *credit]

    chart = (
        alt.LayerChart(layer=layers)
        .properties(width=width, height=height, view=alt.ViewBackground(stroke=None))
        .project(type="mercator")
    )
    # Set directly: ``.properties(datasets=...)`` would validate the whole topology (slow).
    chart.datasets = {name: _Verbatim(value) for name, value in datasets.items()}
    small: dict[str, Any] = {"font": theme.FONT, "anchor": "start", "color": theme.INK}
    if title:
        heading = alt.Title(
            title,
            subtitle=credit or alt.Undefined,
            subtitleFontSize=theme.CREDIT_FONT_SIZE,
            subtitleColor=theme.MUTED_INK,
            subtitleFont=theme.FONT,
            subtitlePadding=4,
            **small,
        )
        chart = chart.properties(title=heading)
    elif credit:
        footer = alt.Title(
            credit,
            orient="bottom",
            fontSize=theme.CREDIT_FONT_SIZE,
            fontWeight="normal",
            **{**small, "color": theme.MUTED_INK},
        )
        chart = chart.properties(title=footer)
    return chart
