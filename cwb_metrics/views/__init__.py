"""Views: what a page of the app shows, computed without Streamlit, as typed frozen dataclasses.

Views may import every stage of the library; no stage imports views.
"""
