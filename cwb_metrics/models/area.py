"""Area configuration: the county, its districts and named neighbourhoods, kept as data."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cwb_metrics.models.row import GSS_CODE_PATTERN


class Strict(BaseModel):
    """Base of the area models: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class District(Strict):
    """A lower-tier local authority district."""

    code: str = Field(pattern=GSS_CODE_PATTERN)
    name: str


class PoliceForceArea(Strict):
    """The police force area covering the configured area (statistics such as homicide exist only for it)."""

    code: str = Field(pattern=r"^[EW]23\d{6}$")
    name: str


class Neighbourhood(Strict):
    """A named neighbourhood defined as a set of wards (by name or code) or of LSOAs."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    district: str = Field(pattern=GSS_CODE_PATTERN)
    description: str
    wards: list[str] = Field(default_factory=list, description="Ward names as in the lookups.")
    lsoas: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_members(self) -> Neighbourhood:
        if not self.wards and not self.lsoas:
            raise ValueError(f"neighbourhood {self.name!r} lists neither wards nor LSOAs")
        return self


class AreaConfig(Strict):
    """Which county (or district) the tool is set up for; ``data/areas/<id>.yaml``."""

    id: str
    county_code: str = Field(pattern=GSS_CODE_PATTERN)
    county_name: str
    country_code: str = Field(default="E92000001", pattern=GSS_CODE_PATTERN)
    country_name: str = "England"
    geography_kind: Literal["county", "unitary", "district"] = "county"
    districts: list[District]
    neighbourhoods: list[Neighbourhood] = Field(default_factory=list)
    featured_neighbourhoods: list[str] = Field(default_factory=list)
    police_force_area: PoliceForceArea | None = Field(
        default=None,
        description="The police force area the county (or district) lies in; its rate is shown for every district.",
    )
