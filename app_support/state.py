"""Page state kept in the URL, so that a copied link reproduces the view.

Each piece of state (area, period, view, indicator, edition, domain, lsoa, ...) is a query
parameter. A page calls :func:`url_value` *before* drawing the widget: the URL seeds the
widget's session state the first time, and again whenever the URL changes from outside
(a link from another page, a pasted address). After drawing the widget the page calls
:func:`set_url_value` so the URL follows the widget.

The widgets are drawn with ``key=`` only (no ``index``/``default``): their value lives in
``st.session_state[key]``, which these helpers set.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

_SEEN = "_cwb_url_seen"


def _seen() -> dict[str, str | None]:
    if _SEEN not in st.session_state:
        st.session_state[_SEEN] = {}
    return st.session_state[_SEEN]


def url_value(param: str, options: Sequence[str], default: str | None, *, key: str | None = None) -> str | None:
    """Seed widget ``key`` from query parameter ``param`` and return the value to show.

    Parameters
    ----------
    param : str
        The query parameter, e.g. ``"area"``.
    options : sequence of str
        The values the widget offers; a URL value outside them is ignored.
    default : str or None
        The value when neither the URL nor the session has a valid one.
    key : str, optional
        The widget key (default: ``param``).

    Returns
    -------
    str or None
        The value now in ``st.session_state[key]``.
    """
    key = key or param
    options = list(options)
    from_url = st.query_params.get(param)
    seen = _seen()
    url_changed = from_url is not None and from_url != seen.get(param)
    current = st.session_state.get(key)
    if (key not in st.session_state or url_changed) and from_url in options:
        current = from_url
    elif current not in options:
        current = default if default in options or default is None else (options[0] if options else None)
    st.session_state[key] = current
    return current


def url_values(param: str, options: Sequence[str], default: Sequence[str], *, key: str | None = None) -> list[str]:
    """Like :func:`url_value` for a multiselect; the URL holds a comma-separated list."""
    key = key or param
    options = list(options)
    raw = st.query_params.get(param)
    seen = _seen()
    url_changed = raw is not None and raw != seen.get(param)
    current = st.session_state.get(key)
    if key not in st.session_state or url_changed:
        current = [v for v in raw.split(",") if v in options] if raw is not None else list(default)
    current = [v for v in (current or []) if v in options]
    st.session_state[key] = current
    return current


def set_url_value(param: str, value: str | Sequence[str] | None) -> None:
    """Write ``value`` to query parameter ``param`` (remove it when ``None``)."""
    text = None if value is None else (value if isinstance(value, str) else ",".join(value))
    if text is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != text:
        st.query_params[param] = text
    _seen()[param] = text


def clear_url_values(*params: str) -> None:
    """Remove query parameters that do not apply to the current view."""
    for param in params:
        set_url_value(param, None)


def url_update(param: str, key: str) -> str | None:
    """Return the URL's ``param`` when it should seed widget ``key``, else ``None``.

    For state spread over several widgets (the map's area sets both the district and the
    place pickers): the URL applies on the first run of the page and whenever it changed
    from outside since this session last wrote it.
    """
    from_url = st.query_params.get(param)
    if from_url is None:
        return None
    if key not in st.session_state or from_url != _seen().get(param):
        return from_url
    return None
