"""One row of a canonical indicator CSV (the ONS Explore Local Statistics tidy format).

:class:`IndicatorRow` is the one strict schema of a data row. Every row that enters a data
version (built by a refresh, or imported) is validated by it, from text or from a
DataFrame's cells, through the parsers of :mod:`cwb_metrics.models.cells`:

- text fields lose surrounding whitespace, and are refused when they hold a control or
  invisible character or start like a spreadsheet formula;
- numbers are plain decimals only (``1_000``, ``١٢``, ``1,000``, ``nan``, ``inf``, ``0x10``,
  ``1e400`` are refused, never read as an empty value);
- the period is stored in its canonical ISO-8601 form (``2023-01-01/P1Y`` becomes ``2023``),
  so the same period cannot be stored twice under two spellings.

Fields are declared in the order they are checked: a rule that involves two fields (an
interval and its value) is checked on the later one, and reports the column it is about.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from cwb_metrics.models.cells import clean_text, formula_message, looks_like_formula, parse_decimal
from cwb_metrics.periods import PeriodError, canonical_period

#: Column order of every canonical indicator CSV written by the project.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "areacd",
    "areanm",
    "geography",
    "indicator",
    "period",
    "value",
    "unit",
    "lci_95",
    "uci_95",
    "status",
    "notes",
)
#: Columns a canonical file must have; the others may be left out (read as empty).
REQUIRED_COLUMNS: tuple[str, ...] = ("areacd", "areanm", "geography", "indicator", "period", "value", "unit")
#: The geography levels of a canonical row.
GEOGRAPHIES: tuple[str, ...] = ("country", "county", "district", "ward", "neighbourhood", "lsoa")
#: Units whose values are percentages (0 to 100).
PERCENT_UNITS = frozenset({"%", "percent", "Percentage"})
#: The longest text accepted in each text field.
MAX_LENGTH: dict[str, int] = {
    "areacd": 9,
    "areanm": 200,
    "geography": 20,
    "indicator": 64,
    "period": 30,
    "unit": 100,
    "status": 100,
    "notes": 2000,
}

#: GSS code: a letter and 8 digits (E10000025, E07000178, E01028541, K04000001 ...).
GSS_CODE_PATTERN = r"^[EKNSW][0-9]{8}$"
_GSS = re.compile(r"[EKNSW][0-9]{8}", re.ASCII)
_INDICATOR = re.compile(r"[a-z0-9][a-z0-9_]*", re.ASCII)


def _rule(column: str, message: str) -> PydanticCustomError:
    """A row rule's error, naming the column it is about (which may not be the field checked)."""
    return PydanticCustomError("row_rule", "{message}", {"message": message, "column": column})


class IndicatorRow(BaseModel):
    """A validated observation: one indicator, one area, one period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    areacd: str
    areanm: str
    geography: str
    indicator: str
    period: str
    unit: str
    status: str = ""
    notes: str = ""
    lci_95: float | None = None
    uci_95: float | None = None
    value: float | None

    @field_validator("areacd", "areanm", "geography", "indicator", "period", "unit", "status", "notes", mode="before")
    @classmethod
    def _text(cls, value: Any, info: ValidationInfo) -> str:
        text = clean_text(value, max_length=MAX_LENGTH[str(info.field_name)])
        if looks_like_formula(text):
            raise ValueError(formula_message(text))
        return text

    @field_validator("areacd")
    @classmethod
    def _area_code(cls, code: str) -> str:
        if not _GSS.fullmatch(code):
            raise ValueError(f"{code!r} is not a GSS area code (a letter and 8 digits, e.g. E07000178)")
        if not code.startswith(("E", "K")):
            raise ValueError(f"{code!r} is outside England")
        return code

    @field_validator("areanm")
    @classmethod
    def _area_name(cls, name: str) -> str:
        if not name:
            raise ValueError("area name is empty")
        return name

    @field_validator("geography")
    @classmethod
    def _geography(cls, geography: str) -> str:
        if geography not in GEOGRAPHIES:
            raise ValueError(f"geography {geography!r} is not one of {', '.join(GEOGRAPHIES)}")
        return geography

    @field_validator("indicator")
    @classmethod
    def _indicator(cls, indicator: str) -> str:
        if not _INDICATOR.fullmatch(indicator):
            raise ValueError(f"{indicator!r} is not an indicator id (lower-case letters, digits and _)")
        return indicator

    @field_validator("period")
    @classmethod
    def _period(cls, period: str) -> str:
        try:
            return canonical_period(period)
        except PeriodError as error:
            raise ValueError(str(error)) from None

    @field_validator("lci_95", "uci_95", "value", mode="before")
    @classmethod
    def _number(cls, value: Any) -> float | None:
        return parse_decimal(value)

    @field_validator("uci_95")
    @classmethod
    def _interval(cls, uci: float | None, info: ValidationInfo) -> float | None:
        lci = info.data.get("lci_95")
        if lci is not None and uci is not None and lci > uci:
            raise _rule("lci_95", f"lower bound {lci:g} is above upper bound {uci:g}")
        return uci

    @field_validator("value")
    @classmethod
    def _value(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is None:
            if "status" in info.data and not info.data["status"]:
                raise ValueError(
                    "value is empty; give a value, or a status saying why it is missing (e.g. 'suppressed')"
                )
            return None
        if info.data.get("unit") in PERCENT_UNITS and not 0 <= value <= 100:
            raise ValueError(f"{value:g} is not a possible percentage (0 to 100)")
        lci, uci = info.data.get("lci_95"), info.data.get("uci_95")
        if lci is not None and uci is not None and lci <= uci and not lci <= value <= uci:
            raise ValueError(f"value {value:g} lies outside its interval [{lci:g}, {uci:g}]")
        return value

    def as_record(self) -> dict[str, object]:
        """The row as a dict in :data:`CANONICAL_COLUMNS` order."""
        return {column: getattr(self, column) for column in CANONICAL_COLUMNS}


def row_errors(error: ValidationError) -> list[tuple[str | None, str]]:
    """The ``(column, message)`` of each error in a row's :class:`~pydantic.ValidationError`.

    Messages are the validators' own words (without pydantic's ``Value error,`` prefix).
    """
    found: list[tuple[str | None, str]] = []
    for item in error.errors():
        context = item.get("ctx") or {}
        column = context.get("column") or (str(item["loc"][0]) if item["loc"] else None)
        if item["type"] == "value_error" and "error" in context:
            message = str(context["error"])
        elif item["type"] == "missing":
            message = "is missing"
        elif item["type"] == "extra_forbidden":
            message = "is not a canonical column"
        else:
            message = item["msg"]
        found.append((column, message))
    return found
