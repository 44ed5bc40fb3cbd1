"""The dashboard's entry point: ``streamlit run app.py``.

It only routes. Each page under ``pages/`` sets itself up (``app_support.layout.page_setup``)
so it also runs on its own, as the smoke tests run it.
"""

import streamlit as st

from app_support import cached
from app_support.layout import APP_TITLE, PAGES, page_setup

page_setup(APP_TITLE)

pages = [
    st.Page(path, title=title, icon=icon, default=(name == "portrait"), url_path=name)
    for name, (path, title, icon) in PAGES.items()
]
with st.sidebar:
    st.caption(f"{cached.area_config().county_name} · Community Wealth Building")
current = st.navigation(pages, position="sidebar")
current.run()
