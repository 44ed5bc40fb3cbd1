"""Shared map colours, line styles and credit lines.

The IMD decile palette is the 10-class *viridis* ramp (Smith & van der Walt), which stays
ordered in lightness for the common colour-vision deficiencies and in greyscale. Decile 1
(the most deprived 10% of LSOAs in England) is the darkest, decile 10 the lightest, as
on MHCLG's own maps. Missing values are a light grey that is not on the ramp, and always
labelled ("No data") in the legend or caption.
"""

from __future__ import annotations

import textwrap

#: IMD decile 1 (most deprived 10%) ... decile 10 (least deprived): viridis, dark to light.
IMD_DECILE_COLOURS: tuple[str, ...] = (
    "#440154",
    "#482878",
    "#3E4989",
    "#31688E",
    "#26828E",
    "#1F9E89",
    "#35B779",
    "#6ECE58",
    "#B5DE2B",
    "#FDE725",
)
#: The deciles, in legend order.
IMD_DECILES: tuple[int, ...] = tuple(range(1, 11))
IMD_DECILE_LEGEND_TITLE = "IMD decile (1 = most deprived 10%)"

#: Vega colour schemes for other values: single-hue blues (sequential) and a
#: blue-orange diverging scheme, both safe for colour-vision deficiencies.
SEQUENTIAL_SCHEME = "blues"
DIVERGING_SCHEME = "blueorange"

#: Fill of an area with no value, and its legend label.
MISSING_FILL = "#D4D4D4"
NO_DATA_LABEL = "No data"

#: Thin lines between small areas (LSOAs, wards).
AREA_STROKE = "#FFFFFF"
AREA_STROKE_WIDTH = 0.3
#: District boundaries (and the county edge) drawn over a choropleth.
OUTLINE_STROKE = "#1F1F1F"
OUTLINE_STROKE_WIDTH = 1.1
#: Ward boundaries, when drawn as a second outline.
WARD_STROKE = "#5A5A5A"
WARD_STROKE_WIDTH = 0.6
#: A selected or highlighted area: a dark line on a white halo, visible on every decile.
HIGHLIGHT_STROKE = "#000000"
HIGHLIGHT_STROKE_WIDTH = 2.2
HIGHLIGHT_HALO = "#FFFFFF"
HIGHLIGHT_HALO_WIDTH = 4.5
#: Opacity of areas that are not selected while another area is selected.
UNSELECTED_OPACITY = 0.45

#: Text.
INK = "#1F1F1F"
MUTED_INK = "#4D4D4D"
FONT = "Helvetica, Arial, sans-serif"
CREDIT_FONT_SIZE = 9

#: Credit required on every map drawn from ONS boundaries (OGL v3.0 attribution).
OS_ONS_CREDIT = (
    "Contains OS data © Crown copyright and database right 2025. "
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0."
)
#: Credit for maps of the English Indices of Deprivation.
IMD_CREDIT = "MHCLG English Indices of Deprivation 2019/2025, OGL v3.0"


def imd_credit(year: int | None = None) -> str:
    """Return the IMD credit line, naming one release when ``year`` is given.

    Parameters
    ----------
    year : int, optional
        2019 or 2025; ``None`` for the combined line :data:`IMD_CREDIT`.

    Examples
    --------
    >>> imd_credit(2019)
    'MHCLG English Indices of Deprivation 2019, OGL v3.0'
    """
    if year is None:
        return IMD_CREDIT
    return f"MHCLG English Indices of Deprivation {year}, OGL v3.0"


def credit_lines(credits: list[str] | tuple[str, ...], width: int = 115) -> list[str]:
    """Wrap credit strings into lines of at most ``width`` characters, one credit per block.

    Parameters
    ----------
    credits : sequence of str
        Credit strings, e.g. ``[OS_ONS_CREDIT, IMD_CREDIT]``.
    width : int
        Characters per line (about 520 px at 9 px Helvetica for 115).

    Returns
    -------
    list of str
        The lines; joining them with spaces gives back each credit.
    """
    lines: list[str] = []
    for credit in credits:
        lines.extend(textwrap.wrap(credit, width=width, break_long_words=False) or [""])
    return lines
