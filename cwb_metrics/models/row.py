"""One row of a canonical indicator CSV (the ONS Explore Local Statistics tidy format)."""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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

#: GSS code: a letter and 8 digits (E10000025, E07000178, E01028541, K04000001 ...).
GSS_CODE_PATTERN = r"^[EKNSW]\d{8}$"


class IndicatorRow(BaseModel):
    """A validated observation: one indicator, one area, one period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    areacd: str = Field(pattern=GSS_CODE_PATTERN)
    areanm: str = Field(min_length=1)
    geography: str = Field(min_length=1)
    indicator: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    period: str = Field(min_length=4)
    value: float | None
    unit: str
    lci_95: float | None = None
    uci_95: float | None = None
    status: str = ""
    notes: str = ""

    @field_validator("value", "lci_95", "uci_95")
    @classmethod
    def _finite(cls, number: float | None) -> float | None:
        if number is not None and not math.isfinite(number):
            raise ValueError("must be a finite number")
        return number

    @model_validator(mode="after")
    def _interval_contains_value(self) -> IndicatorRow:
        if self.lci_95 is not None and self.uci_95 is not None and self.lci_95 > self.uci_95:
            raise ValueError("lci_95 is above uci_95")
        return self
