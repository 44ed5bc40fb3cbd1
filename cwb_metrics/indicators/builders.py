"""Builders: functions that derive one indicator's canonical rows from source files.

A builder has the signature ``build(context, meta) -> pandas.DataFrame`` and returns rows
with the columns of :data:`cwb_metrics.models.row.CANONICAL_COLUMNS`, restricted to
``context.area_codes()`` (plus any smaller areas it supports). The catalogue record's
``extract.method`` names the builder; ``extract.params`` are its options.

Builders register themselves with :func:`builder`; modules that define builders are
listed in :data:`BUILDER_MODULES` and imported on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pandas as pd

from cwb_metrics.indicators.context import BuildContext
from cwb_metrics.models.indicator import IndicatorMeta

Builder = Callable[[BuildContext, IndicatorMeta], pd.DataFrame]

#: Modules whose import registers builders.
BUILDER_MODULES: tuple[str, ...] = (
    "cwb_metrics.indicators.build_els",
    "cwb_metrics.indicators.build_imd",
    "cwb_metrics.indicators.build_workbooks",
    "cwb_metrics.indicators.build_census",
    "cwb_metrics.indicators.build_pfa",
    "cwb_metrics.indicators.build_elections",
    "cwb_metrics.indicators.build_subdomains",
)

_BUILDERS: dict[str, Builder] = {}


def builder(method: str) -> Callable[[Builder], Builder]:
    """Register a builder under ``method`` (the catalogue's ``extract.method``)."""

    def register(function: Builder) -> Builder:
        _BUILDERS[method] = function
        return function

    return register


def get_builder(method: str) -> Builder:
    """Return the builder registered for ``method``.

    Raises
    ------
    KeyError
        When no builder is registered under that name.
    """
    for module in BUILDER_MODULES:
        importlib.import_module(module)
    return _BUILDERS[method]


def known_methods() -> list[str]:
    """Return every registered builder name."""
    for module in BUILDER_MODULES:
        importlib.import_module(module)
    return sorted(_BUILDERS)
