"""The frame every page shares: page set-up, header, footer with credits, and message boxes.

Pages call :func:`page_setup` first, so each page file also runs on its own (the smoke
tests run every page alone with ``AppTest.from_file``), and put their body inside
:func:`guarded` so an error a user can cause (no data yet, an unknown area, a bad file)
is one clear message with the command that fixes it, never a traceback.
"""

from __future__ import annotations

import contextlib
import html
import threading
from collections.abc import Callable, Iterator, Mapping

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.errors import StreamlitAPIException

from cwb_metrics.errors import CwbError, DamagedVersionError, NoDataError
from cwb_metrics.settings import data_dir
from cwb_metrics.store import REFRESH_HINT
from cwb_metrics.views.common import STATUS_LABELS
from cwb_metrics.views.health import Damage, damage_of
from cwb_metrics.views.query import Ignored

#: Errors a reader raises on a file it cannot parse (pyarrow, pandas, json: all ValueError or
#: OSError). The store then checks the current version against its manifest
#: (:func:`cwb_metrics.views.health.damage_of`); the page shows the damage it finds, or lets
#: the error through when the data is sound (a bug, not damage).
READ_ERRORS: tuple[type[Exception], ...] = (ValueError, OSError)

APP_TITLE = "Doughnut & Community Wealth Building"
APP_ICON = ":material/donut_large:"

#: Page files, relative to the app's entry point (app.py), with their titles and icons.
PAGES: dict[str, tuple[str, str, str]] = {
    "portrait": ("pages/portrait.py", "Doughnut portrait", ":material/donut_large:"),
    "explorer": ("pages/explorer.py", "Indicator explorer", ":material/query_stats:"),
    "deprivation_map": ("pages/deprivation_map.py", "Deprivation map", ":material/map:"),
    "neighbourhoods": ("pages/neighbourhoods.py", "Neighbourhood portraits", ":material/holiday_village:"),
    "deprivation_change": ("pages/deprivation_change.py", "IMD 2019 → 2025", ":material/compare_arrows:"),
    "who_bears": ("pages/who_bears.py", "Who bears the shortfall", ":material/balance:"),
    "action_plan": ("pages/action_plan.py", "CWB action plan", ":material/checklist:"),
    "councils": ("pages/councils.py", "How councils compare", ":material/leaderboard:"),
    "briefing": ("pages/briefing.py", "Councillor briefing", ":material/description:"),
    "data": ("pages/data.py", "Data", ":material/database:"),
}

OGL = "Open Government Licence v3.0"
OS_CREDIT = "Contains OS data © Crown copyright and database right 2025."
ONS_GEOGRAPHY_CREDIT = "Source: Office for National Statistics licensed under the " + OGL + "."

_CSS = """
<style>
  .block-container {padding-top: 2.2rem; padding-bottom: 2rem; max-width: 1400px;}
  [data-testid="stCaptionContainer"] p {line-height: 1.45;}
  /* Streamlit draws captions in the text colour at 60% opacity (4.0:1 on white, 3.9:1 on the sidebar);
     this grey, opaque, is 6.2:1 on white and 5.5:1 on the sidebar (WCAG 1.4.3 asks 4.5:1). */
  [data-testid="stCaptionContainer"] {color: #55636a; opacity: 1;}
  .cwb-alt {font-size: 0.9rem; color: #3f4d54; line-height: 1.45; margin: 0.2rem 0 0.4rem 0;}
  .cwb-lede {font-size: 1.05rem; color: #33454e; margin-top: -0.4rem; margin-bottom: 0.6rem;}
  .cwb-sentences li {margin-bottom: 0.35rem; line-height: 1.5;}
  .cwb-footer {font-size: 0.82rem; color: #4a5a62; border-top: 1px solid #d5dfe2;
               margin-top: 2rem; padding-top: 0.8rem; line-height: 1.5;}
  .cwb-footer p {margin: 0 0 0.3rem 0;}
  .cwb-chip {display: inline-block; padding: 0.05rem 0.55rem; border-radius: 0.8rem;
             font-size: 0.82rem; font-weight: 600; margin-right: 0.3rem;}
  .cwb-shortfall {background: #fde7dd; color: #8a2d0c;}
  .cwb-overshoot {background: #fbe1e6; color: #86132f;}
  .cwb-within {background: #dff2ea; color: #1b5e43;}
  .cwb-missing {background: #eceff1; color: #3f4d54;}
  .cwb-context {background: #e6edf5; color: #24405e;}
</style>
"""


def _leave_pages_directory_mode() -> None:
    """Make Streamlit route through ``app.py`` even when a page's URL is opened first.

    Streamlit treats a ``pages/`` folder beside the entry point as an old-style
    multipage app, and runs a requested page file directly (with file-name titles in the
    sidebar), until some session has run ``st.navigation``. If a page's URL is the very
    first request a server gets, ``app.py`` has not run yet: switch the flag off and rerun,
    so ``app.py`` routes this run (and every later one).
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the old mode
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_setup(title: str, icon: str = APP_ICON) -> None:
    """Configure the page (wide layout, title, icon) and add the shared styles.

    Safe to call from ``app.py`` and again from each page: Streamlit accepts repeated
    ``st.set_page_config`` calls and the last one wins.
    """
    _leave_pages_directory_mode()
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", page_icon=icon, layout="wide")
    st.html(_CSS)


_run = threading.local()


def header(title: str, lede: str | None = None) -> None:
    """Draw the page title, a one-line plain-English description under it, and a place for notices."""
    st.title(title, anchor=False)
    if lede:
        st.html(f'<p class="cwb-lede">{lede}</p>')
    _run.notices = st.container(key="cwb_notices")


def notice(ignored: Ignored) -> None:
    """Say, under the page's title, that a query parameter of the link was ignored and why."""
    box: DeltaGenerator | None = getattr(_run, "notices", None)
    (box or st).info(ignored.notice, icon=":material/link_off:")


def footer(credits: list[str] | None = None, data_version: str | None = None) -> None:
    """Draw the footer: source credits, the data version, and the licence."""
    lines = [c for c in (credits or []) if c]
    if data_version:
        lines.append(f"Data version <code>{data_version}</code>; the Data page shows how and from what it was built.")
    lines.append(
        f"Statistics are published under the {OGL}. Built with open-source software for community wealth building."
    )
    body = "".join(f"<p>{line}</p>" for line in lines)
    # A <footer> inside the main content: not a page-level "contentinfo" landmark (Streamlit's
    # <main> holds every page), which screen readers expect only once, at the top level.
    st.html(f'<footer class="cwb-footer">{body}</footer>')


def sentence_list(sentences: list[str]) -> None:
    """Draw plain-English sentences as a bulleted list (text is escaped, never read as Markdown)."""
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
    st.html(f'<ul class="cwb-sentences">{items}</ul>')


def chart_description(text: str) -> None:
    """Draw a chart's text alternative under it: what the chart shows, in words (escaped, never Markdown)."""
    st.html(f'<p class="cwb-alt"><strong>In words:</strong> {html.escape(text, quote=False)}</p>')


def chart_downloads(
    key: str,
    png: Callable[[], bytes],
    svg: Callable[[], bytes],
    file_stem: str,
    *,
    what: str = "this chart",
) -> None:
    """PNG and SVG download buttons for one chart, side by side.

    Parameters
    ----------
    key : str
        Unique on the page; the buttons' keys are ``download_png_<key>`` and ``download_svg_<key>``.
    png, svg : callable
        Return the file's bytes; called only when the button is clicked (nothing is drawn before).
    file_stem : str
        The file name without its suffix.
    what : str
        Names the chart in the buttons' labels ("Download the map (PNG)"), so each button
        says what it downloads when several charts share a page.
    """
    with st.container(horizontal=True, gap="small", key=f"downloads_{key}"):
        for fmt, data, mime, icon in (
            ("png", png, "image/png", ":material/image:"),
            ("svg", svg, "image/svg+xml", ":material/download:"),
        ):
            st.download_button(
                f"Download {what} ({fmt.upper()})",
                data=data,
                file_name=f"{file_stem}.{fmt}",
                mime=mime,
                icon=icon,
                key=f"download_{fmt}_{key}",
                on_click="ignore",
                help="With its title, area, period and source credit. "
                + ("PNG: an image for slides and documents." if fmt == "png" else "SVG: vector, text stays text."),
            )


def file_stem(*parts: object) -> str:
    """A file name from parts, lower-case with hyphens: ``file_stem("Doughnut", "Blackbird Leys")``."""
    import re

    text = "-".join(str(p) for p in parts if p not in (None, ""))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def show_damaged(damage: Damage, *, link: bool = True) -> None:
    """The one message every page shows when the current data version is damaged.

    ``link``: end with a link to the Data page, where it can be rolled back (the Data page
    itself offers the rollback below the message instead).
    """
    if not damage.rollback_command:
        where = "No earlier version is intact: rebuild the data from the official sources" + (
            " on the **Data** page, or on the command line:" if link else " below, or on the command line:"
        )
    elif link:
        where = (
            "Roll back on the **Data** page (*History and rollback*) to make a sound earlier version current "
            "again, or on the command line:"
        )
    else:
        where = "Roll back below to make a sound earlier version current again, or on the command line:"
    st.error(
        f"**The current data is damaged{': this page cannot be drawn' if link else ''}.**\n\n"
        f"{damage.message}\n\nEvery earlier data version is kept. {where}",
        icon=":material/broken_image:",
    )
    st.code(damage.command, language="bash")
    if link:
        page_link("data", "Open the Data page to roll back")


def show_error(error: Exception) -> None:
    """Show an error a user can meet as a clear message; no traceback."""
    if isinstance(error, DamagedVersionError | NoDataError):
        damage = damage_of(error, data_dir())  # NoDataError too: "nothing built" may be damage
        if damage is not None:
            show_damaged(damage)
            return
    if isinstance(error, NoDataError):
        st.info(
            "**No data has been built yet, or the data folder has changed.**\n\n"
            f"{error}\n\nRun this in the project folder, then reload the page:",
            icon=":material/database:",
        )
        st.code(REFRESH_HINT, language="bash")
    else:
        st.error(str(error), icon=":material/error:")


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Run a page body; turn any :class:`CwbError`, or a read error of damaged data, into a message box."""
    try:
        yield
    except CwbError as error:
        show_error(error)
    except READ_ERRORS as error:
        damage = damage_of(error, data_dir())
        if damage is None:
            raise  # the data is sound: a bug, shown as Streamlit shows errors
        show_damaged(damage)


def page_link(page: str, label: str, *, query_params: Mapping[str, str] | None = None, icon: str | None = None) -> None:
    """Link to another page of the app, carrying query parameters.

    When a page runs on its own (tests run each page file alone) the other pages are
    not registered; the link is then written as a plain relative URL instead.
    """
    path, _title, page_icon = PAGES[page]
    try:
        st.page_link(path, label=label, icon=icon or page_icon, query_params=dict(query_params or {}))
    except StreamlitAPIException:
        from urllib.parse import urlencode

        query = urlencode(dict(query_params or {}))
        st.markdown(f"[{label}](/{page}{'?' + query if query else ''})")


def status_chip(status: str, count: int | None = None) -> str:
    """Return an HTML chip for a portrait status, e.g. ``Shortfall`` or ``10 shortfall``."""
    word = STATUS_LABELS.get(status, status)
    text = word if count is None else f"{count} {word.lower()}"
    return f'<span class="cwb-chip cwb-{status}">{html.escape(text)}</span>'
