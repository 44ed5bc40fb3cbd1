"""CWB action plan: progress by theme, each action and the indicators it should move, and status updates.

Statuses change only through the validated, versioned import (``plan_status_update`` then
``apply_status_update``): edit them in the table or upload a CSV, check the changes (every
problem named by row and column), preview them, then save with your name. Each save is a new
data version; the previous statuses stay in the previous version.
"""

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the page also runs on its own
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import html
import tempfile
from urllib.parse import urlencode

import streamlit as st

from app_support import cached
from app_support.layout import chart_description, chart_downloads, file_stem, footer, guarded, header, page_setup
from app_support.state import set_url_value, url_value
from cwb_metrics.actions.load import NoActionPlanError, StatusUpdatePlan, apply_status_update
from cwb_metrics.actions.models import STATUSES
from cwb_metrics.errors import DataLockedError, DataValidationError
from cwb_metrics.store import DataStore
from cwb_metrics.views import action_plan as view
from cwb_metrics.views.data_page import too_large
from cwb_metrics.views.export import ProgressChart

page_setup("CWB action plan")
header(
    "CWB action plan",
    "The council's own Community Wealth Building action plan: how far each theme has got, what each action "
    "is meant to change, and which indicators should show it.",
)

ALL = "__all__"
EDIT, UPLOAD = "edit", "upload"
CHIP = {"Complete": "within", "In progress": "shortfall", "Not yet started": "missing"}


def explorer_link(indicator: str, title: str) -> str:
    """A Markdown link to the indicator explorer, opened on one indicator."""
    return f"[{title}](/explorer?{urlencode({'indicator': indicator})})"


def status_html(status: str, category: str) -> str:
    style = CHIP.get(category, "missing")
    return f'<span class="cwb-chip cwb-{style}">{html.escape(status)}</span>'


def show_action(action, catalogue) -> None:
    """One action: number, theme and status, its text, intended impact, resources and indicators."""
    with st.container(border=True, key=f"action_{action.number.replace('.', '_')}"):
        st.html(
            f"<p><strong>{action.number}</strong> · {html.escape(action.theme)} · "
            f"{status_html(action.status, action.status_category)}</p>"
        )
        first, *points = action.text.split(" - ")  # the plan lists sub-actions after " - "
        st.markdown("\n".join([first, "", *(f"- {p}" for p in points)]) if points else first)
        st.markdown(f"**Intended impact.** {action.intended_impact}  \n**Resources.** {action.resources}")
        if action.indicators:
            links = " · ".join(
                explorer_link(i, catalogue[i].short_title if i in catalogue else i) for i in action.indicators
            )
            st.markdown(f"**Indicators it should move:** {links}")
        else:
            st.markdown(f"**No indicator yet.** {action.rationale}")


def check(store: DataStore, path: Path, name: str, source: str, version: str, what: object) -> None:
    """Check a status file; keep the result (problems or changes) while ``what`` was checked stays the same."""
    plan = view.check_status_file(store, path, name, cached.action_plan(cached.data_ref()))
    st.session_state["_status_check"] = {"plan": plan, "source": source, "version": version, "what": what}


def save(store: DataStore, plan: StatusUpdatePlan, who: str) -> None:
    try:
        version = apply_status_update(store, plan, who=who)
    except DataLockedError:
        st.warning(
            "Another import or refresh is writing; wait a moment and try again.", icon=":material/hourglass_top:"
        )
        return
    except DataValidationError as error:
        st.error(str(error), icon=":material/error:")
        return
    st.session_state["_status_saved"] = (
        f"Saved: {len(plan.changes)} action status(es) changed, in the new data version **{version}** "
        f"(by {who}). The previous statuses stay in the previous version."
    )
    for key in ("_status_check", "status_editor"):
        st.session_state.pop(key, None)
    st.session_state["status_round"] = st.session_state.get("status_round", 0) + 1
    st.rerun()


with guarded():
    ref = cached.data_ref()
    store = ref.store
    try:
        plan = cached.action_plan(ref)
    except NoActionPlanError as error:
        st.info(f"**{error.area_name} has no action plan here yet.**\n\n{error}", icon=":material/checklist:")
        footer([], data_version=ref.version)
        st.stop()
    catalogue = cached.version_catalogue(ref)
    progress = cached.action_progress(ref)

    st.markdown(f"Statuses in data version **{ref.version}**, {cached.last_status_update(ref).since}.")

    overall = progress.overall
    tiles = st.columns(len(STATUSES) + 1)
    tiles[0].metric("Actions", overall["actions"])
    for tile, status in zip(tiles[1:], STATUSES, strict=True):
        tile.metric(status, overall[status])

    chart_col, table_col = st.columns([1.3, 1], gap="large")
    with chart_col:
        description = cached.chart_description(ref, ProgressChart())
        st.altair_chart(progress.chart, width="content", key="progress_chart", alt=description)
        chart_description(description)
        chart_downloads(
            "progress", *cached.chart_files(ref, ProgressChart()), file_stem("cwb-action-plan-progress", ref.version)
        )
    with table_col:
        used = progress.used
        st.dataframe(
            progress.table,
            hide_index=True,
            width="stretch",
            column_order=["theme", "actions", *used, "complete_pct"],
            column_config={
                "theme": st.column_config.TextColumn("Theme", width="medium"),
                "actions": "Actions",
                "complete_pct": st.column_config.ProgressColumn(
                    "Complete", format="%.0f%%", min_value=0, max_value=100
                ),
            },
        )
        st.caption(
            "Statuses are counted without their notes in brackets"
            + (f"; no action is {' or '.join(s.lower() for s in STATUSES if s not in used)}." if len(used) < 5 else ".")
        )

    st.header("The actions", anchor=False)
    themes = {ALL: "All themes", **{t: t for t in plan.themes}}
    filters = st.columns([1.5, 1.5, 2], vertical_alignment="bottom")
    url_value("theme", list(themes), ALL, what="themes")
    theme = filters[0].selectbox("Theme", list(themes), format_func=themes.get, key="theme")
    statuses = {ALL: "Any status", **{s: s for s in STATUSES}}
    url_value("status", list(statuses), ALL, what="statuses")
    status = filters[1].selectbox("Status", list(statuses), format_func=statuses.get, key="status")
    set_url_value("theme", None if theme == ALL else theme)
    set_url_value("status", None if status == ALL else status)
    chosen = [
        a for a in plan.actions if (theme == ALL or a.theme == theme) and (status == ALL or a.status_category == status)
    ]
    filters[2].caption(
        f"{len(chosen)} of {len(plan.actions)} actions, by theme: open a theme to see its actions. "
        "Indicator names open the indicator explorer."
    )
    open_all = theme != ALL or status != ALL
    for name in plan.themes:
        mine = [a for a in chosen if a.theme == name]
        if not mine:
            continue
        done = sum(a.status_category == "Complete" for a in mine)
        with st.expander(f"**{name}**: {len(mine)} action(s), {done} complete", expanded=open_all):
            for action in mine:
                show_action(action, catalogue)

    st.header("Gaps between actions and measures", anchor=False)
    no_measure, no_action = cached.action_gaps(ref)
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown(f"**Actions with no measure** ({len(no_measure)})")
        st.caption("No official statistic in the catalogue shows these actions' effect; why, for each.")
        st.dataframe(
            no_measure,
            hide_index=True,
            width="stretch",
            column_order=["number", "theme", "status", "rationale"],
            column_config={
                "number": "Action",
                "theme": "Theme",
                "status": "Status",
                "rationale": st.column_config.TextColumn("Why there is no measure", width="large"),
            },
        )
    with right:
        st.markdown(f"**Measures with no action** ({len(no_action)})")
        st.caption("Indicators in the portrait that no action of the plan is meant to move.")
        st.dataframe(
            no_action.assign(link=lambda f: "/explorer?indicator=" + f["id"]),
            hide_index=True,
            width="stretch",
            column_order=["title", "dimension_label", "cwb_theme", "link"],
            column_config={
                "title": st.column_config.TextColumn("Indicator", width="medium"),
                "dimension_label": "Dimension",
                "cwb_theme": "CWB theme",
                "link": st.column_config.LinkColumn("Explorer", display_text="Open"),
            },
        )

    st.header("Update statuses", anchor=False)
    if saved := st.session_state.pop("_status_saved", None):
        st.success(saved, icon=":material/check_circle:")
    st.caption(
        "Edit the statuses in the table or upload a CSV with columns `number,status` (a status is one of "
        f"{', '.join(STATUSES)}, optionally followed by a note in brackets). Nothing changes until you check the "
        "changes, look at the preview and save with your name; each save is a new data version, so earlier "
        "statuses can be restored from the Data page."
    )
    round_ = st.session_state.get("status_round", 0)
    table = cached.action_status_table(ref).frame()
    how = st.segmented_control(
        "How",
        [EDIT, UPLOAD],
        format_func={EDIT: "Edit in the table", UPLOAD: "Upload a CSV"}.get,
        key="status_how",
        default=EDIT,
        required=True,
    )
    if how == UPLOAD:
        upload = st.file_uploader("Status CSV", type=["csv"], key=f"status_upload_{round_}")
        template = table.assign(
            status=lambda f: [a.status for a in plan.actions],
        )[["number", "status"]]
        st.download_button(
            "Download the current statuses as a CSV to edit",
            template.to_csv(index=False, lineterminator="\n").encode("utf-8"),
            file_name="action-statuses.csv",
            mime="text/csv",
            icon=":material/download:",
            key="status_template",
        )
        refused = too_large(upload.name, upload.size, view.STATUS_UPLOAD_LIMIT, "a status file") if upload else None
        if refused:
            st.error(refused, icon=":material/error:")
        elif upload is not None and st.button("Check changes", key="check_upload", icon=":material/rule:"):
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "status-upload.csv"
                path.write_bytes(upload.getvalue())
                check(store, path, upload.name, UPLOAD, ref.version, upload.file_id)
    else:
        edited = st.data_editor(
            table,
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            key="status_editor",
            disabled=["number", "theme", "action"],
            column_config={
                "number": st.column_config.TextColumn("Action", width="small"),
                "theme": st.column_config.TextColumn("Theme"),
                "action": st.column_config.TextColumn("Action text", width="large"),
                "status": st.column_config.SelectboxColumn("Status", options=list(STATUSES), required=True),
                "note": st.column_config.TextColumn(
                    "Note in brackets", help="Optional, e.g. 'outreach in progress'; no brackets inside."
                ),
            },
        )
        rows = view.edited_statuses(edited.to_dict("records"))
        if st.button("Check changes", key="check_edits", icon=":material/rule:"):
            with tempfile.TemporaryDirectory() as folder:
                path = view.write_status_csv(rows, Path(folder) / "status-edits.csv")
                check(store, path, "status edits in the app", EDIT, ref.version, rows)

    now = (upload.file_id if upload is not None else None) if how == UPLOAD else rows
    checked = st.session_state.get("_status_check")
    if checked and checked["source"] == how and checked["what"] != now:
        st.caption("Changed since the last check: check the changes again.")
    elif checked and checked["source"] == how:
        result = checked["plan"]
        if not result.ok:
            st.error(
                f"**{result.file_name}: {len(result.problems)} problem(s); nothing has changed.** "
                "Fix them and check again.",
                icon=":material/error:",
            )
            numbers = list(table["number"]) if checked["source"] == EDIT else []
            problems = view.problems_table(result.problems, numbers).frame()
            shown = (
                ["Action", "Column", "Problem"] if checked["source"] == EDIT else ["File", "Row", "Column", "Problem"]
            )
            st.dataframe(problems[shown], hide_index=True, width="stretch")
        elif result.changes.empty:
            st.info(f"{result.file_name}: valid, but no status would change.", icon=":material/info:")
        else:
            st.markdown(f"**Preview: {result.summary_lines()[0]}**")
            st.dataframe(
                result.changes,
                hide_index=True,
                width="stretch",
                column_config={
                    "number": "Action",
                    "theme": "Theme",
                    "old_status": "Status now",
                    "new_status": "New status",
                },
            )
            with st.form(key="save_statuses", border=True):
                who = st.text_input("Your name", key="status_who", help="Recorded with the new data version.")
                submitted = st.form_submit_button("Save", icon=":material/save:", type="primary")
            if submitted:
                if not who.strip():
                    st.warning("Type your name: it is recorded with the new data version.", icon=":material/person:")
                elif checked["version"] != cached.data_ref().version:
                    st.warning(
                        "The data changed since these changes were checked: check them again.",
                        icon=":material/refresh:",
                    )
                else:
                    save(store, result, who.strip())

    footer(
        [
            f"Source: {plan.source}",
            "Indicator links open the indicator explorer; each indicator's source is given there.",
        ],
        data_version=ref.version,
    )
