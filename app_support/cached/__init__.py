"""Every ``st.cache_data`` / ``st.cache_resource`` wrapper of the app, and nothing else.

The library (``cwb_metrics``) never imports Streamlit; the views (``cwb_metrics.views``) say
what each page shows; these thin wrappers keep what has been read or computed, keyed on the
data folder and version (:class:`DataRef`), area codes and other plain values, never on
DataFrames. Every cache is bounded (``max_entries``, and ``ttl`` where the same key can come
to hold other data). Large read-only objects (tables, topologies, charts) are kept with
``st.cache_resource`` (one shared copy, no pickling on every hit); small results with
``st.cache_data``. One module per page, as the views:

``base``                 the data version, metadata, indicator rows, portraits, areas, IMD tables, boundaries
``portrait_page``        portrait charts, sentences, score table, what-if panel
``explorer_page``        explorer table, trends and their CSV
``map_pages``            deprivation map and IMD 2019 -> 2025: maps, profiles, tables
``neighbourhoods_page``  small doughnuts and comparisons
``who_bears_page``       shortfall by decile
``action_plan_page``     the action plan
``data_page``            status tables and history
``briefing_page``        the councillor briefing and its files
``councils_page``        how councils compare: the league, the district map, rankings
``exports``              chart files and text alternatives

Each module is imported when a page first uses one of its names (PEP 562), so a page loads only
what it draws: the geometry libraries of the maps are not imported for the portrait.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app_support.cached.action_plan_page import (
        action_gaps,
        action_plan,
        action_progress,
        action_status_table,
        last_status_update,
    )
    from app_support.cached.base import (
        DataRef,
        all_indicator_rows,
        area_config,
        areas,
        catalogue,
        data_ref,
        imd_table,
        indicator_rows,
        known_areas,
        portrait,
        resolve,
        version_catalogue,
    )
    from app_support.cached.briefing_page import briefing, briefing_file
    from app_support.cached.councils_page import (
        council_choices,
        council_tiles,
        councils_map,
        councils_view,
        default_council,
        lad_topology,
        league,
        measure_choices,
        ranking_table,
        similar_areas,
        similar_table,
    )
    from app_support.cached.data_page import data_status, version_history
    from app_support.cached.explorer_page import (
        explorer_table,
        indicator_csv,
        trend_area_choices,
        trend_points,
        trend_spec,
        trend_table,
        trend_text,
    )
    from app_support.cached.exports import chart_description, chart_file, chart_files, framed
    from app_support.cached.map_pages import (
        area_change,
        boundary_changes,
        change_map_table,
        domain_table,
        imd_map_table,
        lsoa_change,
        lsoa_change_note,
        lsoa_change_table,
        lsoa_choices,
        lsoa_map,
        lsoa_table,
        map_area_name,
        map_places,
        map_text,
        match_summary,
        most_moved,
        moved_wards,
        profile,
        profile_sentences,
        topology,
    )
    from app_support.cached.neighbourhoods_page import (
        doughnuts_table,
        neighbourhood_choices,
        neighbourhood_comparison,
        small_doughnut,
    )
    from app_support.cached.portrait_page import (
        indicator_sentence,
        period_years,
        portrait_area_choices,
        portrait_chart,
        portrait_sentences,
        portrait_table,
        what_if,
        what_if_changes,
        what_if_chart,
        what_if_options,
        what_if_range,
    )
    from app_support.cached.who_bears_page import decile_charts, decile_choices, shortfall_by_decile

#: Where each name lives.
_MODULES: dict[str, str] = {
    "action_gaps": "action_plan_page",
    "action_plan": "action_plan_page",
    "action_progress": "action_plan_page",
    "action_status_table": "action_plan_page",
    "last_status_update": "action_plan_page",
    "DataRef": "base",
    "all_indicator_rows": "base",
    "area_config": "base",
    "areas": "base",
    "catalogue": "base",
    "data_ref": "base",
    "imd_table": "base",
    "indicator_rows": "base",
    "known_areas": "base",
    "portrait": "base",
    "resolve": "base",
    "version_catalogue": "base",
    "briefing": "briefing_page",
    "briefing_file": "briefing_page",
    "council_choices": "councils_page",
    "council_tiles": "councils_page",
    "councils_map": "councils_page",
    "councils_view": "councils_page",
    "default_council": "councils_page",
    "lad_topology": "councils_page",
    "league": "councils_page",
    "measure_choices": "councils_page",
    "ranking_table": "councils_page",
    "similar_areas": "councils_page",
    "similar_table": "councils_page",
    "data_status": "data_page",
    "version_history": "data_page",
    "explorer_table": "explorer_page",
    "indicator_csv": "explorer_page",
    "trend_area_choices": "explorer_page",
    "trend_points": "explorer_page",
    "trend_spec": "explorer_page",
    "trend_table": "explorer_page",
    "trend_text": "explorer_page",
    "chart_description": "exports",
    "chart_file": "exports",
    "chart_files": "exports",
    "framed": "exports",
    "area_change": "map_pages",
    "boundary_changes": "map_pages",
    "change_map_table": "map_pages",
    "domain_table": "map_pages",
    "imd_map_table": "map_pages",
    "lsoa_change_note": "map_pages",
    "lsoa_change_table": "map_pages",
    "lsoa_change": "map_pages",
    "lsoa_choices": "map_pages",
    "lsoa_map": "map_pages",
    "lsoa_table": "map_pages",
    "map_area_name": "map_pages",
    "map_places": "map_pages",
    "map_text": "map_pages",
    "match_summary": "map_pages",
    "most_moved": "map_pages",
    "moved_wards": "map_pages",
    "profile": "map_pages",
    "profile_sentences": "map_pages",
    "topology": "map_pages",
    "doughnuts_table": "neighbourhoods_page",
    "neighbourhood_choices": "neighbourhoods_page",
    "neighbourhood_comparison": "neighbourhoods_page",
    "small_doughnut": "neighbourhoods_page",
    "indicator_sentence": "portrait_page",
    "period_years": "portrait_page",
    "portrait_area_choices": "portrait_page",
    "portrait_chart": "portrait_page",
    "portrait_sentences": "portrait_page",
    "portrait_table": "portrait_page",
    "what_if": "portrait_page",
    "what_if_changes": "portrait_page",
    "what_if_chart": "portrait_page",
    "what_if_options": "portrait_page",
    "what_if_range": "portrait_page",
    "decile_charts": "who_bears_page",
    "decile_choices": "who_bears_page",
    "shortfall_by_decile": "who_bears_page",
}
__all__ = [
    "DataRef",
    "action_gaps",
    "action_plan",
    "action_progress",
    "action_status_table",
    "all_indicator_rows",
    "area_change",
    "area_config",
    "areas",
    "boundary_changes",
    "briefing",
    "briefing_file",
    "catalogue",
    "change_map_table",
    "chart_description",
    "chart_file",
    "chart_files",
    "council_choices",
    "council_tiles",
    "councils_map",
    "councils_view",
    "data_ref",
    "data_status",
    "decile_charts",
    "decile_choices",
    "default_council",
    "domain_table",
    "doughnuts_table",
    "explorer_table",
    "framed",
    "imd_map_table",
    "imd_table",
    "indicator_csv",
    "indicator_rows",
    "indicator_sentence",
    "known_areas",
    "lad_topology",
    "last_status_update",
    "league",
    "lsoa_change",
    "lsoa_change_note",
    "lsoa_change_table",
    "lsoa_choices",
    "lsoa_map",
    "lsoa_table",
    "map_area_name",
    "map_places",
    "map_text",
    "match_summary",
    "measure_choices",
    "most_moved",
    "moved_wards",
    "neighbourhood_choices",
    "neighbourhood_comparison",
    "period_years",
    "portrait",
    "portrait_area_choices",
    "portrait_chart",
    "portrait_sentences",
    "portrait_table",
    "profile",
    "profile_sentences",
    "ranking_table",
    "resolve",
    "shortfall_by_decile",
    "similar_areas",
    "similar_table",
    "small_doughnut",
    "topology",
    "trend_area_choices",
    "trend_points",
    "trend_spec",
    "trend_table",
    "trend_text",
    "version_catalogue",
    "version_history",
    "what_if",
    "what_if_changes",
    "what_if_chart",
    "what_if_options",
    "what_if_range",
]


def __getattr__(name: str) -> object:
    """Import the module that holds ``name`` on first use, and keep the name here."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
