"""Cached views of the portrait page: charts, headline, context, gaps, sentences, tables and the what-if panel."""

from __future__ import annotations

import streamlit as st

from app_support.cached.base import (
    AREAS,
    CHARTS,
    HASH,
    TABLES,
    VERSIONS,
    DataRef,
    all_indicator_rows,
    area_config,
    resolve,
    version_catalogue,
)
from app_support.cached.base import portrait as portrait_of
from cwb_metrics.portrait.portrait import Portrait
from cwb_metrics.portrait.sentences import portrait_sentences as library_sentences
from cwb_metrics.portrait.what_if import ThresholdChange, what_if_for
from cwb_metrics.views import lens_view
from cwb_metrics.views import portrait as view
from cwb_metrics.views import portrait_summary as summary
from cwb_metrics.views.common import Choices
from cwb_metrics.views.drawing import Chart, PortraitView, portrait_subtitle
from cwb_metrics.views.drawing import portrait_chart as draw_portrait
from cwb_metrics.views.explorer import period_years as years_of
from cwb_metrics.views.lens_view import LensRow
from cwb_metrics.views.portrait import PortraitRow, WhatIf, WhatIfChangeRow, WhatIfRange
from cwb_metrics.views.portrait_summary import ContextRow, DimensionGap, Headline, LargestRow
from cwb_metrics.views.tables import Table

#: What-if portraits kept: one per slider position tried (positions are on the slider's grid).
WHAT_IFS = 32


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def portrait_sentences(ref: DataRef, area: str, period: str = "latest") -> list[str]:
    """3-6 plain-English sentences about the portrait."""
    return library_sentences(portrait_of(ref, area, period))


def _gaps(ref: DataRef, portrait: Portrait, view_name: PortraitView) -> dict[str, str] | None:
    """What would measure each lens without data (the four-lens view only)."""
    return lens_view.lens_gaps_for(portrait, version_catalogue(ref)) if view_name == "lenses" else None


@st.cache_resource(max_entries=CHARTS, show_spinner=False, hash_funcs=HASH)
def portrait_chart(ref: DataRef, area: str, period: str, view_name: PortraitView) -> Chart:
    """The one doughnut, the four lenses or the unrolled bars of a portrait, clickable by wedge."""
    port = portrait_of(ref, area, period)
    return draw_portrait(port, view_name, portrait_subtitle(period, ref.version), gaps=_gaps(ref, port, view_name))


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def view_note(ref: DataRef, area: str, period: str, view_name: PortraitView) -> str:
    """The note under the chart: which lenses it draws, and where the others are."""
    return lens_view.view_note(portrait_of(ref, area, period), view_name)


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def headline(ref: DataRef, area: str, period: str) -> Headline:
    """The portrait's headline counts (every lens; context counted apart)."""
    return Headline.of(portrait_of(ref, area, period))


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def context_table(ref: DataRef, area: str, period: str) -> Table[ContextRow]:
    """The context indicators shown beside the doughnut, with England and why they are not scored."""
    return summary.context_table(portrait_of(ref, area, period), version_catalogue(ref))


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def dimension_gaps(ref: DataRef, area: str, period: str) -> Table[DimensionGap]:
    """The dimensions without a scored indicator with data, and why."""
    return summary.dimensions_without_data(portrait_of(ref, area, period))


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def largest(ref: DataRef, area: str, period: str, status: str) -> Table[LargestRow]:
    """The largest shortfalls or overshoots, largest first."""
    return summary.largest(portrait_of(ref, area, period), status)


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def lens_table(ref: DataRef, area: str, period: str) -> Table[LensRow]:
    """What each lens's doughnut draws, or what would measure it (the four-lens view's data table)."""
    port = portrait_of(ref, area, period)
    return lens_view.lens_table(port, lens_view.lens_gaps_for(port, version_catalogue(ref)))


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def portrait_table(ref: DataRef, area: str, period: str) -> Table[PortraitRow]:
    """The scores behind the doughnut as a readable table (the chart's text alternative)."""
    return view.portrait_table(portrait_of(ref, area, period))


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def indicator_sentence(ref: DataRef, area: str, period: str, indicator_id: str) -> str:
    """One plain-English sentence on one indicator of a portrait (the selected wedge)."""
    return view.indicator_sentence(portrait_of(ref, area, period), indicator_id)


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def portrait_area_choices(ref: DataRef) -> Choices:
    """Areas of the portrait, explorer and briefing pickers: the county, districts, neighbourhoods with data."""
    return view.area_choices(ref.store, area_config(), lambda code: resolve(ref, code))


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def period_years(ref: DataRef) -> list[str]:
    """The years any indicator has data for, newest first (the period picker's options)."""
    return years_of(all_indicator_rows(ref))


# ----- what-if thresholds -----------------------------------------------------------------
@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def what_if_options(ref: DataRef, area: str, period: str) -> Choices:
    """The indicators a what-if threshold can be tried on (id -> label), in drawing order."""
    return view.what_if_options(portrait_of(ref, area, period))


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def what_if_range(ref: DataRef, area: str, period: str, indicator: str) -> WhatIfRange:
    """The what-if slider of one indicator, and the texts around it."""
    return view.what_if_range(portrait_of(ref, area, period), indicator)


@st.cache_resource(max_entries=WHAT_IFS, show_spinner=False, hash_funcs=HASH)
def what_if(ref: DataRef, area: str, period: str, trial: WhatIf) -> tuple[Portrait, list[ThresholdChange]]:
    """``(Portrait, [ThresholdChange])`` with one what-if threshold (keyed on its grid value); nothing is written."""
    return what_if_for(ref.store, area, {trial.indicator: trial.value}, period=period, data=all_indicator_rows(ref))


@st.cache_resource(max_entries=WHAT_IFS, show_spinner=False, hash_funcs=HASH)
def what_if_chart(ref: DataRef, area: str, period: str, view_name: PortraitView, trial: WhatIf) -> Chart:
    """The portrait's chart (any of its three views) redrawn with one what-if threshold."""
    after, _changes = what_if(ref, area, period, trial)
    subtitle = view.what_if_subtitle(after, trial, ref.version)
    return draw_portrait(after, view_name, subtitle, gaps=_gaps(ref, after, view_name))


@st.cache_data(max_entries=WHAT_IFS, show_spinner=False, hash_funcs=HASH)
def what_if_changes(ref: DataRef, area: str, period: str, trial: WhatIf) -> Table[WhatIfChangeRow]:
    """What a what-if threshold changes: the indicator's status and score now and under the what-if."""
    _after, changes = what_if(ref, area, period, trial)
    return view.what_if_changes(portrait_of(ref, area, period), changes, trial.value)
