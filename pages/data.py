"""Data: where every figure comes from; refresh from the publishers; import a CSV; history and rollback.

Nothing changes until an analyst confirms: an upload is checked (every problem listed by
file, row and column) and previewed (revised values, new periods and areas, rows that would
disappear) first. Every change is a new data version with who made it; earlier versions are
kept and any of them can be made current again.
"""

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the page also runs on its own
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import datetime as dt
import tempfile
from collections.abc import Callable
from typing import Any

import streamlit as st
import yaml

from app_support import cached
from app_support.layout import footer, guarded, header, page_setup, show_damaged, show_error
from cwb_metrics.build import status
from cwb_metrics.errors import CwbError, DataLockedError, DataValidationError
from cwb_metrics.models.indicator import CWB_THEMES, DIMENSIONS
from cwb_metrics.settings import data_dir, mirror_dir
from cwb_metrics.store import REFRESH_HINT, DataStore
from cwb_metrics.views.data_page import (
    CSV_UPLOAD_LIMIT,
    META_UPLOAD_LIMIT,
    plural,
    safe_name,
    size_text,
    too_large,
    without_blanks,
)
from cwb_metrics.views.health import Damage, current_damage, sound_versions

page_setup("Data")
header(
    "Data",
    "Where every figure comes from and which release it is. Refresh from the publishers, or bring in a new "
    "release of an indicator as a CSV: it is checked and previewed before anything changes, and every earlier "
    "version is kept so you can roll back.",
)

TABS = ["Sources and indicators", "Import a CSV", "History and rollback"]
LOCKED = "Another import or refresh is writing; wait a moment and try again."
DETECT, NEW = "__detect__", "__new__"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
NAME_HINT = "Type your name at the top of the page first: it is recorded with the new version."


def flash(kind: str, text: str) -> None:
    """Keep a message to show after the rerun that follows a change."""
    st.session_state["data_flash"] = (kind, text)


def show_flash() -> None:
    kind, text = st.session_state.pop("data_flash", (None, None))
    if kind == "success":
        st.success(text, icon=":material/check_circle:")
    elif kind == "warning":
        st.warning(text, icon=":material/hourglass_top:")


def after_change() -> None:
    """A write made a new version: forget stale previews and draw the page again on the new data.

    The app's caches are keyed on the data version, so every page draws the new version on
    its next run without clearing them.
    """
    for key in ("_plan", "_shown_plan", "_rollback_pending", "form_meta", "form_errors"):
        st.session_state.pop(key, None)
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    st.rerun()


# ----- refresh ------------------------------------------------------------------------------
def refresh_panel(store: DataStore, who: str) -> None:
    mirror = mirror_dir()
    where = (
        f"the mirror folder `{mirror}` (set by `CWB_MIRROR`)"
        if mirror
        else "the publishers' official URLs (set `CWB_MIRROR` to read a folder of downloaded files instead)"
    )
    config = cached.area_config()
    st.markdown(
        f"**Refresh from official sources** reads every file listed in `data/sources.yaml` from {where}, "
        f"rebuilds every indicator, table and map of {config.county_name} ({config.county_code}, the area "
        "configuration `CWB_AREAS` names), and makes them current only when the whole build has succeeded."
    )
    clicked = st.button(
        "Refresh from official sources",
        icon=":material/refresh:",
        disabled=not who,
        key="refresh",
        help=None if who else NAME_HINT,
    )
    if not who:
        st.caption(NAME_HINT)
    if clicked:
        run_refresh(store, mirror, who)


def run_refresh(store: DataStore, mirror: Path | None, who: str) -> None:
    from cwb_metrics.build.refresh import default_table_producers, refresh
    from cwb_metrics.indicators.catalogue import load_catalogue
    from cwb_metrics.sources.registry import load_sources

    sources = load_sources()
    total = len(sources) + len(load_catalogue()) + len(default_table_producers())
    state: dict[str, Any] = {"step": 0, "fetching": None, "done": set(), "bytes": {}}
    with st.status("Refreshing from official sources ...", expanded=True) as box:
        overall = st.progress(0.0, text="Starting")
        current = st.progress(0.0, text="Waiting for the first file")
        lines = st.container(height=220, border=False)

        def finish(source_id: str | None) -> None:
            if source_id and source_id not in state["done"]:
                state["done"].add(source_id)
                size = size_text(state["bytes"].get(source_id))
                title = sources[source_id].title if source_id in sources else source_id
                lines.markdown(f":material/check: `{source_id}`: {title} ({size})")

        def on_step(text: str) -> None:
            state["step"] += 1
            if text.startswith("Fetching "):
                finish(state["fetching"])
                state["fetching"] = text.removeprefix("Fetching ")
            else:
                finish(state["fetching"])
                state["fetching"] = None
            overall.progress(min(state["step"] / total, 1.0), text=f"{text} (step {state['step']} of {total})")

        def progress(source_id: str, done: int, size: int | None) -> None:
            state["bytes"][source_id] = done
            fraction = min(done / size, 1.0) if size else 0.0
            last = state.get("shown", (None, -1.0))
            if last[0] == source_id and fraction - last[1] < 0.02 and fraction < 1.0:
                return  # a download reports every chunk: redraw the bar every 2%
            state["shown"] = (source_id, fraction)
            of = f" of {size_text(size)}" if size else ""
            current.progress(fraction, text=f"`{source_id}`: {size_text(done)}{of}")
            if size and done >= size:
                finish(source_id)

        try:
            result = refresh(store, cached.area_config(), mirror=mirror, progress=progress, on_step=on_step, who=who)
        except DataLockedError:
            box.update(label="Refresh not started: the data is being written", state="error")
            st.warning(LOCKED, icon=":material/hourglass_top:")
            return
        except CwbError as error:
            box.update(label="Refresh failed; the previous data is still in use, unchanged", state="error")
            show_error(error)
            return
        box.update(label=f"Refreshed: data version {result.version}", state="complete", expanded=False)
    skipped = f" Skipped: {', '.join(result.skipped)}." if result.skipped else ""
    flash(
        "success",
        f"Refreshed from {'the mirror ' + str(mirror) if mirror else 'the official URLs'}: data version "
        f"**{result.version}** ({len(result.indicators)} indicators, {len(result.tables)} tables, "
        f"{len(result.sources)} source files) is now current.{skipped}",
    )
    after_change()


# ----- status tables ----------------------------------------------------------------------------
def status_tab(ref: cached.DataRef, store: DataStore, who: str) -> None:
    refresh_panel(store, who)
    tables = cached.data_status(ref)
    sources, indicators, due = tables.sources, tables.indicators, tables.due
    st.header("Indicators", anchor=False)
    st.caption(
        f"{len(indicators)} indicators in data version {ref.version}; {due} with a newer official release due "
        "(its newest source file's publication date plus the indicator's release frequency has passed, or the "
        "publisher's announced date). Click a column to sort."
    )
    st.dataframe(
        indicators,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(indicators), 460),
        column_order=[
            "id",
            "title",
            "latest_label",
            "latest_period",
            "rows",
            "release",
            "published",
            "changed_in",
            "built_from",
            "imported_file",
            "imported_by",
        ],
        column_config={
            "id": st.column_config.TextColumn("Indicator", pinned=True),
            "title": st.column_config.TextColumn("Title", width="medium"),
            "latest_label": st.column_config.TextColumn("Latest period"),
            "latest_period": st.column_config.TextColumn("Period (ISO)"),
            "rows": st.column_config.NumberColumn("Rows", format="%d"),
            "release": st.column_config.TextColumn(
                "Newer official release", help="Due when the expected date of the next release has passed."
            ),
            "published": st.column_config.DateColumn("Published", format="D MMM YYYY"),
            "changed_in": st.column_config.TextColumn("Figures last changed in", help="The data version."),
            "built_from": st.column_config.TextColumn("Built from / imported from", width="medium"),
            "imported_file": st.column_config.TextColumn("Imported file"),
            "imported_by": st.column_config.TextColumn("Imported by"),
        },
        key="indicator_status",
    )
    st.header("Source files", anchor=False)
    read = tables.read
    st.caption(
        f"{len(read)} official files read for this version, "
        f"{int(read['from_mirror'].sum())} of them from a mirror folder; "
        f"{int(sources['release_due'].sum())} with a newer release due."
    )
    st.dataframe(
        sources,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(sources), 460),
        column_order=[
            "id",
            "title",
            "publisher",
            "date_published",
            "release",
            "read_from",
            "sha256_short",
            "bytes",
            "fetched_at",
            "used_by",
            "status",
            "landing_page",
        ],
        column_config={
            "id": st.column_config.TextColumn("Source", pinned=True),
            "title": st.column_config.TextColumn("Title", width="medium"),
            "publisher": st.column_config.TextColumn("Publisher"),
            "date_published": st.column_config.DateColumn("Published", format="D MMM YYYY"),
            "release": st.column_config.TextColumn(
                "Newer official release", help="The publisher's announced date, else when its indicators expect one."
            ),
            "read_from": st.column_config.TextColumn("Read from (URL or mirror file)", width="medium"),
            "sha256_short": st.column_config.TextColumn("SHA-256 (first 12)", help="Of the file as read."),
            "bytes": st.column_config.NumberColumn("Bytes", format="localized"),
            "fetched_at": st.column_config.TextColumn("Read at (UTC)"),
            "used_by": st.column_config.NumberColumn("Indicators", help="Indicators whose records name this file."),
            "status": st.column_config.TextColumn("Status"),
            "landing_page": st.column_config.LinkColumn("Publisher's page", display_text="open"),
        },
        key="source_status",
    )


# ----- import -----------------------------------------------------------------------------------
def metadata_panel(catalogue: dict[str, Any]) -> Any:
    """Ask for a new local indicator's metadata record; return it when valid, else ``None``."""
    from cwb_metrics.build.local_meta import parse_meta_yaml

    st.markdown("**The new indicator's metadata record**: upload its YAML, or fill in the form.")
    how = st.segmented_control(
        "Metadata from", ["yaml", "form"], format_func={"yaml": "A YAML file", "form": "The form"}.get,
        default="yaml", key="meta_how", required=True, label_visibility="collapsed",
    )  # fmt: skip
    meta = None
    if how == "yaml":
        upload = st.file_uploader(
            "Metadata record (YAML)",
            type=["yaml", "yml"],
            key=f"meta_upload_{st.session_state.get('upload_round', 0)}",
            help="The shape of data/indicators/*.yaml; the schema is cwb_metrics.models.IndicatorMeta.",
        )
        refused = too_large(upload.name, upload.size, META_UPLOAD_LIMIT, "a metadata record") if upload else None
        if refused:
            st.error(refused, icon=":material/error:")
        elif upload is not None:
            try:
                meta = parse_meta_yaml(upload.getvalue().decode("utf-8", errors="replace"), upload.name)
            except DataValidationError as error:
                field_problems(error)
                return None
    else:
        meta = metadata_form()
    if meta is not None and meta.id in catalogue:
        st.error(
            f"An indicator with id `{meta.id}` already exists ({catalogue[meta.id].title}). To import its data, "
            "choose it under Indicator; to add a new indicator, give it another id.",
            icon=":material/error:",
        )
        return None
    if meta is not None:
        st.caption(f":material/check: Metadata record for `{meta.id}` ({meta.title}) is valid.")
    return meta


def field_problems(error: DataValidationError) -> None:
    st.error(f"The metadata record has {plural(len(error.problems), 'problem')}:", icon=":material/error:")
    st.dataframe(
        [{"Field": p.column or "(the record)", "Problem": p.message} for p in error.problems],
        hide_index=True,
        width="stretch",
    )


def metadata_form() -> Any:
    """The metadata record as a form; validated by ``IndicatorMeta`` when submitted."""
    from cwb_metrics.build.local_meta import parse_meta_yaml

    dims = list(DIMENSIONS)
    with st.form("meta_form"):
        a, b, c = st.columns(3)
        record: dict[str, Any] = {
            "id": a.text_input("Id", placeholder="local_sme_spend", help="Lower case, digits and _."),
            "title": b.text_input("Title"),
            "short_title": c.text_input("Short title", help="2 to 32 characters, for chart labels."),
        }
        record["definition"] = st.text_area("Definition", help="At least 20 characters: what is measured, how.")
        a, b, c, d = st.columns(4)
        record["unit"] = a.text_input("Unit", placeholder="% of third-party spend")
        record["unit_short"] = b.text_input("Short unit", placeholder="%")
        record["decimals"] = int(c.number_input("Decimals", min_value=0, max_value=4, value=1))
        record["release_frequency_months"] = int(
            d.number_input("Released every (months)", min_value=1, max_value=120, value=12)
        )
        a, b, c, d = st.columns(4)
        record["ring"] = a.selectbox("Ring", ["social_foundation", "ecological_ceiling"])
        record["dimension"] = b.selectbox("Doughnut dimension", dims, format_func=lambda d: DIMENSIONS[d][1])
        record["polarity"] = c.selectbox("Polarity", ["higher_is_better", "lower_is_better"])
        record["lens"] = d.selectbox("Lens", ["local_social", "local_ecological", "global_social", "global_ecological"])
        a, b = st.columns(2)
        record["cwb_theme"] = a.selectbox("CWB theme", [None, *CWB_THEMES], format_func=lambda t: t or "None")
        record["geographies"] = b.multiselect(
            "Geographies", ["country", "county", "district", "ward", "neighbourhood", "lsoa"], default=["county"]
        )
        record["why_this_proxy"] = st.text_input("Why this proxy", help="Why it stands for the dimension.")
        st.markdown("**Threshold**")
        a, b, c, d = st.columns([1, 1, 1.4, 1])
        threshold = {
            "kind": a.selectbox("Kind", ["target", "zero_deprivation", "ceiling"]),
            "value": float(b.number_input("Value", value=0.0, format="%g")),
            "source": c.text_input("Set by", placeholder="Illustrative"),
            "illustrative": d.checkbox("Illustrative", value=True, help="No authority sets this threshold."),
        }
        a, b = st.columns([2, 1])
        threshold["rationale"] = a.text_input("Rationale", help="One line: why this threshold.")
        threshold["source_url"] = b.text_input("Source URL (optional)")
        record["threshold"] = threshold
        st.markdown("**Origin**")
        a, b, c = st.columns(3)
        origin = {
            "producer": a.text_input("Producer", placeholder=f"{cached.area_config().county_name} council"),
            "title": b.text_input("Dataset title"),
            "url_main": c.text_input("URL", placeholder="https://www.yourcouncil.gov.uk/"),
        }
        a, b, c = st.columns(3)
        origin["licence"] = a.text_input("Licence", value="Open Government Licence v3.0")
        origin["licence_url"] = b.text_input("Licence URL", value=OGL_URL)
        origin["date_published"] = c.date_input("Date published", value=dt.date.today(), format="YYYY-MM-DD")
        origin["citation"] = st.text_input("Citation")
        record["origin"] = origin
        record["caveats"] = st.text_input("Caveats (optional)")
        submitted = st.form_submit_button("Check the metadata", icon=":material/fact_check:")
    if submitted:
        record["extract"] = {"method": "local", "source": "local"}
        cleaned = without_blanks(record)
        try:
            st.session_state["form_meta"] = parse_meta_yaml(yaml.safe_dump(cleaned, sort_keys=False), "the form")
            st.session_state.pop("form_errors", None)
        except DataValidationError as error:
            st.session_state.pop("form_meta", None)
            st.session_state["form_errors"] = error
    if "form_errors" in st.session_state:
        field_problems(st.session_state["form_errors"])
    return st.session_state.get("form_meta")


def planned(ref: cached.DataRef, store: DataStore, upload: Any, choice: str, mode: str, meta: Any) -> Any:
    """Check an upload (once per file, indicator, mode, record and data version); return the plan."""
    from cwb_metrics.build.importer import plan_import

    key = (upload.file_id, choice, mode, meta.model_dump_json() if meta else "", ref.version)
    kept = st.session_state.get("_plan")
    if kept is not None and kept[0] == key:
        return kept[1], key
    with st.spinner(f"Checking {upload.name} ..."), tempfile.TemporaryDirectory(prefix="cwb-upload-") as folder:
        path = Path(folder) / safe_name(upload.name)
        path.write_bytes(upload.getvalue())
        plan = plan_import(
            store,
            path,
            cached.area_config(),
            indicator_id=None if choice in (DETECT, NEW) else choice,
            new_meta=meta,
            known_areas=cached.known_areas(ref),
            display_name=upload.name,
            mode=mode,
        )
    st.session_state["_plan"] = (key, plan)
    return plan, key


def import_tab(ref: cached.DataRef, store: DataStore, who: str) -> None:
    catalogue = cached.version_catalogue(ref)
    round_ = st.session_state.get("upload_round", 0)
    left, right = st.columns([1.2, 1], gap="large")
    with left:
        upload = st.file_uploader(
            "Indicator CSV",
            type=["csv"],
            key=f"upload_{round_}",
            help="The canonical tidy format (areacd, areanm, geography, indicator, period, value, unit, lci_95, "
            "uci_95, status, notes) for any indicator, or an ONS Explore Local Statistics file for an indicator "
            "built from one.",
        )
        st.caption(
            "Nothing changes until you confirm: the file is checked row by row and you see what it would change."
        )
    with right:
        options = [DETECT, *catalogue, NEW]
        labels = {DETECT: "Detect from the file (canonical format)", NEW: "A new local indicator ..."}
        choice = st.selectbox(
            "Indicator",
            options,
            format_func=lambda i: labels.get(i) or f"{catalogue[i].title} ({i})",
            key="import_indicator",
            help="Required for an ONS Explore Local Statistics file; a canonical file names its indicator.",
        )
        mode = st.segmented_control(
            "Mode",
            ["replace", "merge"],
            format_func={"replace": "Replace the indicator's rows", "merge": "Merge: add and revise rows"}.get,
            default="replace",
            required=True,
            key="import_mode",
            help="Replace: rows not in your file disappear (the preview lists them). Merge: they stay.",
        )
    meta = metadata_panel(catalogue) if choice == NEW else None
    if upload is None:
        st.info("Choose a CSV file to check it.", icon=":material/upload_file:")
        return
    refused = too_large(upload.name, upload.size, CSV_UPLOAD_LIMIT, "an indicator CSV")
    if refused:
        st.error(refused, icon=":material/error:")
        return
    if choice == NEW and meta is None:
        st.info("Add the new indicator's metadata record to check the file.", icon=":material/description:")
        return
    try:
        plan, key = planned(ref, store, upload, choice, mode or "replace", meta)
    except CwbError as error:
        show_error(error)
        return
    if plan.problems:
        st.error(
            f"**{plural(len(plan.problems), 'problem')} in {plan.file_name}: nothing has changed.** "
            "Fix them and upload the file again.",
            icon=":material/error:",
        )
        st.dataframe(
            status.problems_table(plan.problems, app=True),
            hide_index=True,
            width="stretch",
            column_config={
                "file": st.column_config.TextColumn("File"),
                "row": st.column_config.NumberColumn("Row", format="%d", help="Line in the file; the header is 1."),
                "column": st.column_config.TextColumn("Column"),
                "message": st.column_config.TextColumn("Problem", width="large"),
            },
            key="problems",
        )
        st.session_state["_shown_plan"] = key
        return
    preview(plan, catalogue)
    confirm(plan, key, store, who)


def preview(plan: Any, catalogue: dict[str, Any]) -> None:
    diff = plan.diff
    meta = plan.new_meta or catalogue.get(plan.indicator_id)
    title = meta.title if meta else plan.indicator_id
    fmt = "ONS Explore Local Statistics" if plan.file_format == "els" else "canonical"
    st.success(
        f"**{plan.file_name} is valid**: {len(plan.rows)} rows for **{title}** (`{plan.indicator_id}`) "
        f"from a {fmt} file, {plan.mode} mode. Check what it would change:",
        icon=":material/task_alt:",
    )
    cols = st.columns(4)
    cols[0].metric("New rows", diff.added_rows)
    cols[1].metric("Revised values", len(diff.revised))
    cols[2].metric("Rows that would disappear", len(diff.removed))
    cols[3].metric("Unchanged rows", diff.unchanged_rows)
    with st.expander("Summary, as `python -m cwb_metrics import --dry-run` prints it"):
        st.code("\n".join(diff.summary_lines()), language=None, wrap_lines=True)
    if len(diff.revised):
        st.markdown(f"**Revised values** ({len(diff.revised)})")
        st.dataframe(
            status.revised_table(diff.revised),
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(diff.revised), 320),
            column_config={
                "areanm": st.column_config.TextColumn("Area"),
                "areacd": st.column_config.TextColumn("Code"),
                "period": st.column_config.TextColumn("Period"),
                "old": st.column_config.NumberColumn("Old value", format="%g"),
                "new": st.column_config.NumberColumn("New value", format="%g"),
                "change": st.column_config.NumberColumn("Change", format="%+g"),
            },
            key="revised",
        )
    if diff.new_periods or diff.new_areas:
        a, b = st.columns(2)
        a.markdown("**New periods**  \n" + (", ".join(f"`{p}`" for p in diff.new_periods) or "none"))
        b.markdown("**New areas**  \n" + (", ".join(f"`{c}`" for c in diff.new_areas) or "none"))
    if len(diff.removed):
        st.warning(
            f"**{len(diff.removed)} row(s) would disappear**: they are in the current data but not in your file. "
            "Choose *Merge* to keep them.",
            icon=":material/warning:",
        )
        st.dataframe(
            diff.removed,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(diff.removed), 320),
            column_config={
                "areanm": st.column_config.TextColumn("Area"),
                "areacd": st.column_config.TextColumn("Code"),
                "period": st.column_config.TextColumn("Period"),
                "value": st.column_config.NumberColumn("Value", format="%g"),
            },
            key="removed",
        )


def confirm(plan: Any, key: tuple, store: DataStore, who: str) -> None:
    from cwb_metrics.build.importer import apply_import

    changes = plan.diff.changes_anything or plan.new_meta is not None
    if not changes:
        st.info("This file matches the current data: importing it would change nothing.", icon=":material/info:")
    clicked = st.button(
        "Confirm import",
        type="primary",
        icon=":material/upload:",
        disabled=not (changes and who),
        key="confirm_import",
    )
    if changes and not who:
        st.caption(NAME_HINT)
    shown = st.session_state.get("_shown_plan")
    st.session_state["_shown_plan"] = key
    if not clicked:
        return
    if shown != key:
        st.warning(
            "The data or your choices changed since the preview was drawn: the preview above is up to date "
            "now. Check it and confirm again.",
            icon=":material/refresh:",
        )
        return
    base = store.current_version()
    try:
        version = apply_import(store, plan, who=who)
    except DataLockedError:
        st.warning(LOCKED, icon=":material/hourglass_top:")
        return
    except CwbError as error:
        show_error(error)
        return
    flash(
        "success",
        f"Imported {plan.file_name} into `{plan.indicator_id}` as data version **{version}**. "
        f"The previous version {base} is kept: you can roll back to it under *History and rollback*.",
    )
    after_change()


# ----- history and rollback ---------------------------------------------------------------------
def history_tab(ref: cached.DataRef, store: DataStore, who: str) -> None:
    past = cached.version_history(ref)
    versions, imports = past.versions, past.imports
    st.header("Data versions", anchor=False)
    st.caption("Newest first. Every refresh, import and rollback is a new version; none is ever deleted.")
    st.dataframe(
        versions,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(versions), 360),
        column_config={
            "version": st.column_config.TextColumn("Version", pinned=True),
            "kind": st.column_config.TextColumn("Kind"),
            "created": st.column_config.TextColumn("Created (UTC)"),
            "who": st.column_config.TextColumn("Who"),
            "note": st.column_config.TextColumn("Note", width="medium"),
            "based_on": st.column_config.TextColumn("Copy of", help="For a rollback: the version made current."),
            "changed": st.column_config.TextColumn("Changed", help="Indicators whose figures differ from the parent."),
            "current": st.column_config.CheckboxColumn("Current"),
        },
        key="versions",
    )
    st.header("Imports", anchor=False)
    if imports.empty:
        st.caption("No CSV has been imported into these versions yet.")
    else:
        st.dataframe(
            imports,
            hide_index=True,
            width="stretch",
            column_order=["version", "indicator", "file", "who", "time", "rows", "mode", "format", "summary", "sha256"],
            column_config={
                "version": st.column_config.TextColumn("Version"),
                "indicator": st.column_config.TextColumn("Indicator"),
                "file": st.column_config.TextColumn("File"),
                "sha256": st.column_config.TextColumn("SHA-256 of the file"),
                "format": st.column_config.TextColumn("Format"),
                "mode": st.column_config.TextColumn("Mode"),
                "rows": st.column_config.NumberColumn("Rows", format="%d"),
                "who": st.column_config.TextColumn("Who"),
                "time": st.column_config.TextColumn("When (UTC)"),
                "summary": st.column_config.TextColumn("What changed", width="medium"),
            },
            key="imports",
        )
    st.header("Roll back", anchor=False)
    labels = past.rollback_choices()
    if not labels:
        st.caption("There is only one version: nothing to roll back to.")
        return
    rollback_panel(store, labels.keys, labels.label, ref.version, who)


def rollback_panel(
    store: DataStore, versions: list[str], label: Callable[[str], str], current: str | None, who: str
) -> None:
    """Pick an earlier version, confirm, and make a copy of it current (a new version)."""
    from cwb_metrics.build.importer import rollback

    target = st.selectbox("Version to make current again", versions, format_func=label, key="rollback_target")
    if st.button("Roll back to this version", icon=":material/undo:", disabled=not who, key="rollback"):
        st.session_state["_rollback_pending"] = target
    if not who:
        st.caption(NAME_HINT)
    pending = st.session_state.get("_rollback_pending")
    if pending != target:
        st.session_state.pop("_rollback_pending", None)
        return
    with st.container(border=True, key="rollback_confirmation"):
        st.warning(
            f"**Make {pending} current again?** A new version, a copy of {pending}, becomes current and every "
            f"page draws it. The current version {current or '(damaged)'} is kept, so you can undo this the same way.",
            icon=":material/undo:",
        )
        buttons = st.container(horizontal=True)
        confirmed = buttons.button("Yes, roll back", type="primary", key="rollback_confirm", disabled=not who)
        if buttons.button("Cancel", key="rollback_cancel"):
            st.session_state.pop("_rollback_pending", None)
            st.rerun()
        if confirmed:
            try:
                version = rollback(store, pending, who=who)
            except DataLockedError:
                st.warning(LOCKED, icon=":material/hourglass_top:")
                return
            except CwbError as error:
                show_error(error)
                return
            flash("success", f"Rolled back: data version **{version}**, a copy of {pending}, is now current.")
            after_change()


# ----- a damaged current version -------------------------------------------------------------------
def damaged_panel(store: DataStore, damage: Damage, who: str) -> None:
    """The current version is damaged: say so, and offer a rollback to a sound version, or a refresh."""
    show_damaged(damage, link=False)
    st.header("Roll back to a sound version", anchor=False)
    sound = sound_versions(store, damage.version)
    if not sound:
        st.caption("No earlier version is sound: rebuild the data from the official sources instead.")
    else:
        st.caption(
            f"{plural(len(sound), 'earlier version')} "
            + ("matches the checksums its manifest" if len(sound) == 1 else "match the checksums their manifests")
            + " recorded. Rolling back makes a copy of one current; the damaged version is left as it is."
        )
        labels = {v.version: v.label for v in sound}
        rollback_panel(store, list(labels), lambda v: labels.get(v, v), damage.version, who)
    st.header("Or rebuild from the official sources", anchor=False)
    refresh_panel(store, who)


# ----- the page ---------------------------------------------------------------------------------
with guarded():
    store = DataStore(data_dir())
    top_left, top_right = st.columns([2, 1], vertical_alignment="bottom")
    who = top_right.text_input(
        "Your name",
        key="who",
        placeholder="e.g. Sam Analyst",
        help="Recorded as who made each change on this page (refresh, import, rollback).",
    ).strip()
    damage = current_damage(store)
    if damage is not None:
        damaged_panel(store, damage, who)
    elif store.current_version() is None:
        top_left.info(
            f"No data has been built in `{store.root}` yet. Build it with the button below, or on the command line:",
            icon=":material/database:",
        )
        top_left.code(REFRESH_HINT, language="bash")
        refresh_panel(store, who)
    else:
        ref = cached.data_ref()
        top_left.markdown(f"The pages draw data version **{status.version_label(store, ref.version)}**.")
        show_flash()
        tabs = st.tabs(TABS, key="tab", bind="query-params")
        for tab, draw in zip(tabs, (status_tab, import_tab, history_tab), strict=True):
            if tab.open:
                with tab:
                    draw(ref, store, who)
        footer(
            ["Each source file's publisher, licence and release date are listed under Sources and indicators."],
            data_version=ref.version,
        )
