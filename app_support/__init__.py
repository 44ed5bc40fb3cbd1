"""The Streamlit side of the app: cached data access, URL state and the shared page frame.

``cwb_metrics`` never imports Streamlit; everything Streamlit-specific that pages share
lives here (``cached`` holds every ``st.cache_*`` wrapper).
"""
