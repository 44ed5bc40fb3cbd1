"""Union of adjoining areas (LSOAs into wards or districts)."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry


def coverage_union(geometries: np.ndarray) -> BaseGeometry:
    """Return the union of polygons that tile an area without overlapping.

    Uses GEOS's fast coverage union; where the polygons are not perfectly noded (adjoining
    edges that do not share vertices, as in some generalised boundaries), falls back to an
    exact union on a fine grid, so the result never depends on how the file was noded.

    Parameters
    ----------
    geometries : numpy.ndarray
        The polygons (shapely geometries) to join.

    Returns
    -------
    shapely.geometry.base.BaseGeometry
        Their union.
    """
    valid = shapely.make_valid(geometries)
    try:
        return shapely.coverage_union_all(valid)
    except shapely.errors.GEOSException:
        return shapely.union_all(valid, grid_size=1e-6)
