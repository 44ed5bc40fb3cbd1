"""Cached views of the CWB action plan page: the plan with its statuses, progress, gaps and the status editor."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_support.cached.base import HASH, VERSIONS, DataRef, area_config, version_catalogue
from cwb_metrics.actions.load import configured_plan, load_actions
from cwb_metrics.actions.models import ActionPlan
from cwb_metrics.actions.tracker import actions_without_measures, indicators_without_actions, progress_by_theme
from cwb_metrics.views import action_plan as view
from cwb_metrics.views.action_plan import ActionStatusRow, Progress, StatusUpdate
from cwb_metrics.views.tables import Table


@st.cache_resource(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def _action_plan(ref: DataRef, path: str) -> ActionPlan:
    return load_actions(ref.store, path)


def action_plan(ref: DataRef) -> ActionPlan:
    """The configured council's CWB action plan with the data version's statuses (shared, immutable).

    Raises
    ------
    NoActionPlanError
        When the area configuration names no action plan (the page says so).
    """
    return _action_plan(ref, str(configured_plan(area_config())))


@st.cache_resource(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def action_progress(ref: DataRef) -> Progress:
    """Actions by status in each theme and an ``All themes`` row, with its chart and text alternative."""
    return view.progress(progress_by_theme(action_plan(ref)))


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def action_gaps(ref: DataRef) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(actions with no measure, indicators no action is meant to move)``."""
    plan = action_plan(ref)
    return actions_without_measures(plan), indicators_without_actions(plan, version_catalogue(ref))


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def last_status_update(ref: DataRef) -> StatusUpdate:
    """Where the current statuses come from: the last status update, or the committed plan."""
    return view.last_status_update(ref.store, ref.version)


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def action_status_table(ref: DataRef) -> Table[ActionStatusRow]:
    """Every action's status for the editor: number, theme, action (shortened), status and note."""
    return view.action_status_table(action_plan(ref))
