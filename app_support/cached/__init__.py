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
``explorer_page``        explorer table and its CSV, indicator panel, similar areas, trends and their CSV
``map_pages``            deprivation map and IMD 2019 -> 2025: maps, profiles, tables
``neighbourhoods_page``  small doughnuts and comparisons
``who_bears_page``       shortfall by decile
``action_plan_page``     the action plan
``data_page``            status tables and history
``briefing_page``        the councillor briefing and its files
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
    from app_support.cached.data_page import data_status, version_history
    from app_support.cached.explorer_page import (
        build_league,
        explorer_table,
        indicator_csv,
        indicator_panel,
        league_ready,
        similar_areas_panel,
        similar_areas_reason,
        table_csv,
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
        census_note,
        doughnuts_table,
        neighbourhood_choices,
        neighbourhood_comparison,
        shared_legend,
        small_doughnut,
    )
    from app_support.cached.portrait_page import (
        context_table,
        dimension_gaps,
        headline,
        indicator_sentence,
        largest,
        lens_table,
        period_years,
        portrait_area_choices,
        portrait_chart,
        portrait_sentences,
        portrait_table,
        view_note,
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
    "data_status": "data_page",
    "version_history": "data_page",
    "build_league": "explorer_page",
    "explorer_table": "explorer_page",
    "indicator_panel": "explorer_page",
    "league_ready": "explorer_page",
    "similar_areas_panel": "explorer_page",
    "similar_areas_reason": "explorer_page",
    "table_csv": "explorer_page",
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
    "census_note": "neighbourhoods_page",
    "doughnuts_table": "neighbourhoods_page",
    "neighbourhood_choices": "neighbourhoods_page",
    "neighbourhood_comparison": "neighbourhoods_page",
    "shared_legend": "neighbourhoods_page",
    "small_doughnut": "neighbourhoods_page",
    "context_table": "portrait_page",
    "dimension_gaps": "portrait_page",
    "headline": "portrait_page",
    "largest": "portrait_page",
    "lens_table": "portrait_page",
    "view_note": "portrait_page",
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
    "build_league",
    "catalogue",
    "census_note",
    "change_map_table",
    "chart_description",
    "chart_file",
    "chart_files",
    "context_table",
    "data_ref",
    "data_status",
    "decile_charts",
    "decile_choices",
    "dimension_gaps",
    "domain_table",
    "doughnuts_table",
    "explorer_table",
    "framed",
    "headline",
    "imd_map_table",
    "imd_table",
    "indicator_csv",
    "indicator_panel",
    "indicator_rows",
    "indicator_sentence",
    "known_areas",
    "largest",
    "last_status_update",
    "league_ready",
    "lens_table",
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
    "resolve",
    "shared_legend",
    "shortfall_by_decile",
    "similar_areas_panel",
    "similar_areas_reason",
    "small_doughnut",
    "table_csv",
    "topology",
    "trend_area_choices",
    "trend_points",
    "trend_spec",
    "trend_table",
    "trend_text",
    "version_catalogue",
    "version_history",
    "view_note",
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
