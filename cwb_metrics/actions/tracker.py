"""Track the CWB action plan: progress by theme, and the gaps between actions and measures.

Every function takes an :class:`~cwb_metrics.actions.models.ActionPlan` (from
:func:`~cwb_metrics.actions.load.load_actions`, so with the data version's statuses) and,
where indicators matter, the catalogue; none reads or writes files.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cwb_metrics.actions.models import STATUSES, ActionPlan
from cwb_metrics.models.indicator import IndicatorMeta


def progress_by_theme(plan: ActionPlan) -> pd.DataFrame:
    """Count actions by status within each theme.

    Parameters
    ----------
    plan : ActionPlan
        The plan, with current statuses.

    Returns
    -------
    pandas.DataFrame
        One row per theme, in the plan's order, then a ``All themes`` row: ``theme``,
        ``actions``, one column per status of :data:`~cwb_metrics.actions.models.STATUSES`
        (counted by status without its bracketed note), and ``complete_pct`` (% complete).
    """
    records = []
    for theme in [*plan.themes, None]:
        actions = [a for a in plan.actions if theme is None or a.theme == theme]
        counts = {status: sum(a.status_category == status for a in actions) for status in STATUSES}
        records.append(
            {
                "theme": theme or "All themes",
                "actions": len(actions),
                **counts,
                "complete_pct": 100 * counts["Complete"] / len(actions) if actions else 0.0,
            }
        )
    return pd.DataFrame.from_records(records, columns=["theme", "actions", *STATUSES, "complete_pct"])


def actions_table(plan: ActionPlan, catalogue: Mapping[str, IndicatorMeta] | None = None) -> pd.DataFrame:
    """One row per action: ``number, section, theme, text, status, status_category, indicators, rationale``.

    ``indicators`` joins the linked indicators' short titles (or ids without a catalogue).
    """
    records = []
    for action in plan.actions:
        names = [catalogue[i].short_title if catalogue and i in catalogue else i for i in action.indicators]
        records.append(
            {
                "number": action.number,
                "section": action.section,
                "theme": action.theme,
                "text": action.text,
                "status": action.status,
                "status_category": action.status_category,
                "indicators": ", ".join(names),
                "rationale": action.rationale,
            }
        )
    return pd.DataFrame.from_records(records)


def actions_without_measures(plan: ActionPlan) -> pd.DataFrame:
    """The actions no catalogue indicator measures, with why (their ``rationale``).

    Returns
    -------
    pandas.DataFrame
        ``number, theme, text, status, rationale``, in plan order.
    """
    rows = [
        {"number": a.number, "theme": a.theme, "text": a.text, "status": a.status, "rationale": a.rationale}
        for a in plan.actions
        if not a.indicators
    ]
    return pd.DataFrame.from_records(rows, columns=["number", "theme", "text", "status", "rationale"])


def indicators_without_actions(plan: ActionPlan, catalogue: Mapping[str, IndicatorMeta]) -> pd.DataFrame:
    """The catalogue indicators no action is meant to move.

    Returns
    -------
    pandas.DataFrame
        ``id, title, dimension_label, cwb_theme``, in catalogue order.
    """
    linked = {i for a in plan.actions for i in a.indicators}
    rows = [
        {"id": m.id, "title": m.title, "dimension_label": m.dimension_label, "cwb_theme": m.cwb_theme}
        for m in catalogue.values()
        if m.id not in linked
    ]
    return pd.DataFrame.from_records(rows, columns=["id", "title", "dimension_label", "cwb_theme"])


def action_links(plan: ActionPlan, catalogue: Mapping[str, IndicatorMeta] | None = None) -> pd.DataFrame:
    """Every (action, indicator) link: ``number, theme, status_category, indicator, short_title``.

    Actions without an indicator are left out (see :func:`actions_without_measures`).
    """
    rows = [
        {
            "number": a.number,
            "theme": a.theme,
            "status_category": a.status_category,
            "indicator": i,
            "short_title": catalogue[i].short_title if catalogue and i in catalogue else i,
        }
        for a in plan.actions
        for i in a.indicators
    ]
    return pd.DataFrame.from_records(rows, columns=["number", "theme", "status_category", "indicator", "short_title"])


def actions_for_indicator(plan: ActionPlan, indicator_id: str) -> list[str]:
    """The numbers of the actions meant to move one indicator (for a wedge's card)."""
    return [a.number for a in plan.actions if indicator_id in a.indicators]
