"""Builders: functions that derive one indicator's canonical rows from source files.

A builder has the signature ``build(context, meta) -> pandas.DataFrame`` and returns rows
with the columns of :data:`cwb_metrics.models.row.CANONICAL_COLUMNS`, restricted to
``context.area_codes()`` (plus any smaller areas it supports). The catalogue record's
``extract.method`` names the builder; ``extract.params`` are its options.

Builders register themselves with :func:`builder`, declaring a params model (a
:class:`BuilderParams` subclass: unknown keys are errors)::

    class WasteParams(BuilderParams):
        measure: Literal["recycling_rate", "residual_kg_per_household"]
        complement: bool = False

    @builder("defra_waste", params=WasteParams)
    def build_defra_waste(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
        params = WasteParams.of(meta)
        ...

The committed catalogue is checked against these models when it loads
(:func:`check_params`), so a misspelt key is an error naming the file and the key, not a
silent default. Modules that define builders are listed in :data:`BUILDER_MODULES` and
imported on first use.
"""

from __future__ import annotations

import importlib
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import ErrorDetails

from cwb_metrics.errors import CwbError
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.sources.context import BuildContext

Builder = Callable[[BuildContext, IndicatorMeta], pd.DataFrame]

#: Modules whose import registers builders.
BUILDER_MODULES: tuple[str, ...] = (
    "cwb_metrics.indicators.build_els",
    "cwb_metrics.indicators.build_imd",
    "cwb_metrics.indicators.build_workbooks",
    "cwb_metrics.indicators.build_air",
    "cwb_metrics.indicators.build_overflows",
    "cwb_metrics.indicators.build_land",
    "cwb_metrics.indicators.build_health_index",
    "cwb_metrics.indicators.build_renewables",
    "cwb_metrics.indicators.build_census",
    "cwb_metrics.indicators.build_pfa",
    "cwb_metrics.indicators.build_elections",
    "cwb_metrics.indicators.build_subdomains",
)


class BuilderParams(BaseModel):
    """Base of every builder's params model: unknown keys are errors, types are not coerced.

    ``extract.params`` comes from YAML, so numbers, booleans and lists arrive as such; a
    quoted ``"2019"`` where a number is expected is an error rather than a guess.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @classmethod
    def of(cls, meta: IndicatorMeta) -> Self:
        """Return ``meta.extract.params`` validated by this model.

        Raises
        ------
        CwbError
            Naming the indicator and each bad key: ``indicator x: extract.params.key ...``.
        """
        try:
            return cls.model_validate(meta.extract.params)
        except ValidationError as error:
            lines = [_describe(cls, item, meta.extract.method) for item in error.errors()]
            raise CwbError(f"indicator {meta.id}: " + "; ".join(lines)) from None


class NoParams(BuilderParams):
    """The params of a builder without options: ``extract.params`` must be empty."""


class ExtraSourceParams(BuilderParams):
    """Params with ``extra_source``: one source id or a list of them (further files a builder reads)."""

    extra_source: list[str] = []

    @field_validator("extra_source", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


def _describe(model: type[BuilderParams], item: ErrorDetails, method: str) -> str:
    """One problem of ``extract.params`` in words, naming the key."""
    key = ".".join(str(part) for part in item["loc"][:1])
    accepted = sorted(model.model_fields)
    if item["type"] == "extra_forbidden":
        return f"extract.params has unknown keys ['{key}']; builder {method!r} accepts {accepted}"
    if item["type"] == "missing":
        return f"extract.params.{key} is required by builder {method!r}"
    if not key:  # a check across keys (model validator)
        return "extract.params: " + str(item["msg"]).removeprefix("Value error, ")
    if item["type"] == "value_error":  # a field validator's "must be ..."
        return f"extract.params.{key} {str(item['msg']).removeprefix('Value error, ')}, not {item['input']!r}"
    if item["type"] == "literal_error":
        allowed = list(typing.get_args(model.model_fields[key].annotation))
        return f"extract.params.{key} must be one of {allowed}, not {item['input']!r}"
    return f"extract.params.{key} must be {str(item['msg']).removeprefix('Input should be ')}, not {item['input']!r}"


@dataclass(frozen=True)
class _Registered:
    build: Builder
    params: type[BuilderParams]


_BUILDERS: dict[str, _Registered] = {}


def builder(method: str, *, params: type[BuilderParams] = NoParams) -> Callable[[Builder], Builder]:
    """Register a builder under ``method`` (the catalogue's ``extract.method``) with its params model.

    Parameters
    ----------
    method : str
        The name catalogue records give in ``extract.method``.
    params : type of BuilderParams
        The model of ``extract.params`` (default :class:`NoParams`: no options).

    Raises
    ------
    ValueError
        When another function is already registered under ``method``.
    """

    def register(function: Builder) -> Builder:
        known = _BUILDERS.get(method)
        if known is not None and _name(known.build) != _name(function):
            raise ValueError(f"builder {method!r} is registered twice: {_name(known.build)} and {_name(function)}")
        _BUILDERS[method] = _Registered(function, params)
        return function

    return register


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def _load() -> None:
    for module in BUILDER_MODULES:
        importlib.import_module(module)


def get_builder(method: str) -> Builder:
    """Return the builder registered for ``method``.

    Raises
    ------
    KeyError
        When no builder is registered under that name.
    """
    _load()
    return _BUILDERS[method].build


def params_model(method: str) -> type[BuilderParams]:
    """Return the params model of the builder registered for ``method``.

    Raises
    ------
    KeyError
        When no builder is registered under that name.
    """
    _load()
    return _BUILDERS[method].params


def known_methods() -> list[str]:
    """Return every registered builder name."""
    _load()
    return sorted(_BUILDERS)


def check_params(meta: IndicatorMeta) -> BuilderParams:
    """Check a catalogue record's ``extract.method`` and ``extract.params`` against its builder.

    Returns
    -------
    BuilderParams
        The validated params.

    Raises
    ------
    CwbError
        When no builder has that name, or naming each bad key of ``extract.params``.
    """
    try:
        model = params_model(meta.extract.method)
    except KeyError:
        raise CwbError(
            f"indicator {meta.id}: extract.method {meta.extract.method!r} is not a builder "
            f"(known: {', '.join(known_methods())})"
        ) from None
    return model.of(meta)
