"""Views: what each page of the app shows, computed without Streamlit.

One module per page (``portrait``, ``explorer``, ``deprivation_map``, ``neighbourhoods``, ``councils``,
``deprivation_change``, ``who_bears``, ``action_plan``, ``briefing``, ``data_page``), plus
what pages share: typed tables (``tables``), labels and choices (``common``), chart
finishing (``drawing``), chart exports (``export``), query parameters (``query``) and the
health of a data version (``health``). Each returns typed results (frozen dataclasses),
never a bare ``dict``.

Views may import every stage of the library; no stage imports views. The app's cache
(``app_support.cached``) calls views with the data it has already read and keeps their
results; pages draw them.
"""
