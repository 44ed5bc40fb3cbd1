"""Page state kept in the URL, so that a copied link reproduces the view; every value is checked first.

Each piece of state (area, period, view, indicator, edition, domain, lsoa, ...) is a query
parameter. A page calls :func:`url_value` *before* drawing the widget: the URL seeds the
widget's session state the first time, and again whenever the URL changes from outside
(a link from another page, a pasted address). After drawing the widget the page calls
:func:`set_url_value` so the URL follows the widget.

A link can carry anything. Every value is read through :func:`query_value`, which ignores a
parameter given twice, an overlong one or one with control characters; a value that is not
one of the widget's options is ignored too. Each ignored parameter is removed from the URL
and named in a notice under the page's title (:func:`app_support.layout.notice`), never
passed to a widget.

The widgets are drawn with ``key=`` only (no ``index``/``default``): their value lives in
``st.session_state[key]``, which these helpers set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from app_support.layout import notice
from cwb_metrics.views.query import Ignored, one_of, single, some_of

_SEEN = "_cwb_url_seen"


def _seen() -> dict[str, str | None]:
    if _SEEN not in st.session_state:
        st.session_state[_SEEN] = {}
    seen: dict[str, str | None] = st.session_state[_SEEN]
    return seen


def ignore(ignored: Ignored) -> None:
    """Drop an invalid query parameter from the URL and say so under the page's title."""
    if ignored.param in st.query_params:
        del st.query_params[ignored.param]
    _seen()[ignored.param] = None
    notice(ignored)


def query_value(param: str) -> str | None:
    """The URL's one value of ``param`` (``None`` when absent); repeated, overlong or garbled values are ignored."""
    value = single(param, st.query_params.get_all(param))
    if isinstance(value, Ignored):
        ignore(value)
        return None
    return value


def _from_url(param: str) -> str | None:
    """The URL's value when it is new to this session (a link followed, an address pasted), else ``None``."""
    value = query_value(param)
    return value if value is not None and value != _seen().get(param) else None


def url_value(
    param: str,
    options: Sequence[str],
    default: str | None,
    *,
    key: str | None = None,
    what: str = "choices",
    resolve: Callable[[str], str | None] | None = None,
) -> str | None:
    """Seed widget ``key`` from query parameter ``param`` and return the value to show.

    Parameters
    ----------
    param : str
        The query parameter, e.g. ``"area"``.
    options : sequence of str
        The values the widget offers; a URL value outside them is ignored with a notice.
    default : str or None
        The value when neither the URL nor the session has a valid one.
    key : str, optional
        The widget key (default: ``param``).
    what : str
        What the options are, for the notice ("areas", "periods" ...).
    resolve : callable, optional
        Maps a URL value that is not an option (a name, "Blackbird Leys" or "oxford") to the
        option it means, or ``None``; so a link written by hand (``?area=Oxford``) works.

    Returns
    -------
    str or None
        The value now in ``st.session_state[key]``.
    """
    key = key or param
    options = list(options)
    from_url = _from_url(param)
    current = st.session_state.get(key)
    if from_url is not None and from_url not in options and resolve is not None:
        from_url = resolve(from_url) or from_url
    if from_url is not None:
        checked = one_of(param, from_url, options, what)
        if isinstance(checked, Ignored):
            ignore(checked)
        else:
            current = checked
    elif key not in st.session_state and (value := query_value(param)) in options:
        current = value
    if current not in options:
        current = default if default in options or default is None else (options[0] if options else None)
    st.session_state[key] = current
    return current


def url_values(
    param: str, options: Sequence[str], default: Sequence[str], *, key: str | None = None, what: str = "choices"
) -> list[str]:
    """Like :func:`url_value` for a multiselect; the URL holds a comma-separated list (unknown items are ignored)."""
    key = key or param
    options = list(options)
    from_url = _from_url(param)
    current = st.session_state.get(key)
    if from_url is not None:
        current, ignored = some_of(param, from_url, options, what)
        if ignored is not None:
            notice(ignored)
    elif key not in st.session_state:
        current = list(default)
    current = [v for v in (current or []) if v in options]
    st.session_state[key] = current
    return current


def set_url_value(param: str, value: str | Sequence[str] | None) -> None:
    """Write ``value`` to query parameter ``param`` (remove it when ``None``)."""
    text = None if value is None else (value if isinstance(value, str) else ",".join(value))
    if text is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get_all(param) != [text]:
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
    from outside since this session last wrote it. The caller checks the value itself and
    calls :func:`ignore` when it is not one it can show.
    """
    value = query_value(param)
    if value is None:
        return None
    if key not in st.session_state or value != _seen().get(param):
        return value
    return None
