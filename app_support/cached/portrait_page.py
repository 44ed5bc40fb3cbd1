"""Cached views of the portrait page: charts, sentences, the score table and the what-if panel."""

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
)
from app_support.cached.base import portrait as portrait_of
from cwb_metrics.portrait.portrait import Portrait
from cwb_metrics.portrait.sentences import portrait_sentences as library_sentences
from cwb_metrics.portrait.what_if import ThresholdChange, what_if_for
from cwb_metrics.views import portrait as view
from cwb_metrics.views.common import Choices
from cwb_metrics.views.drawing import Chart, PortraitView, portrait_subtitle
from cwb_metrics.views.drawing import portrait_chart as draw_portrait
from cwb_metrics.views.explorer import period_years as years_of
from cwb_metrics.views.portrait import PortraitRow, WhatIf, WhatIfChangeRow, WhatIfRange
from cwb_metrics.views.tables import Table

#: What-if portraits kept: one per slider position tried (positions are on the slider's grid).
WHAT_IFS = 32


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def portrait_sentences(ref: DataRef, area: str, period: str = "latest") -> list[str]:
    """3-6 plain-English sentences about the portrait."""
    return library_sentences(portrait_of(ref, area, period))


@st.cache_resource(max_entries=CHARTS, show_spinner=False, hash_funcs=HASH)
def portrait_chart(ref: DataRef, area: str, period: str, view_name: PortraitView) -> Chart:
    """The doughnut (``"doughnut"``) or unrolled bars (``"bars"``) of a portrait, clickable by wedge."""
    return draw_portrait(portrait_of(ref, area, period), view_name, portrait_subtitle(period, ref.version))


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
    """The portrait's doughnut or bars redrawn with one what-if threshold."""
    after, _changes = what_if(ref, area, period, trial)
    return draw_portrait(after, view_name, view.what_if_subtitle(after, trial, ref.version))


@st.cache_data(max_entries=WHAT_IFS, show_spinner=False, hash_funcs=HASH)
def what_if_changes(ref: DataRef, area: str, period: str, trial: WhatIf) -> Table[WhatIfChangeRow]:
    """What a what-if threshold changes: the indicator's status and score now and under the what-if."""
    _after, changes = what_if(ref, area, period, trial)
    return view.what_if_changes(portrait_of(ref, area, period), changes, trial.value)
