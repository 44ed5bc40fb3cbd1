"""Area configuration: the council, its districts, wards and LSOAs, and named neighbourhoods, kept as data.

``python -m cwb_metrics init-area --code CODE`` writes one for any English county (with
its districts), unitary authority, metropolitan district or London borough, filled from the
ONS lookups (see :mod:`cwb_metrics.areas.init_area`); the user adds the neighbourhoods.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cwb_metrics.models.row import GSS_CODE_PATTERN

#: What the configured area is. ``country`` is the whole of England with every council as a
#: district (the league of councils); the others are the kinds of English council.
AreaKind = Literal["county", "unitary", "metropolitan_district", "london_borough", "district", "country"]
#: Kinds whose council is a single tier: the area is its own (only) district.
SINGLE_TIER: frozenset[str] = frozenset({"unitary", "metropolitan_district", "london_borough"})
#: How the wards of an LSOA vintage were found (see :class:`WardLookup`).
WardMethod = Literal["official_lookup", "representative_point", "best_fit_via_lsoa2011"]


class Strict(BaseModel):
    """Base of the area models: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class District(Strict):
    """A lower-tier local authority district (or a unitary council as its own district).

    ``predecessors`` lists the 2019 districts it replaced (councils formed since 2019, e.g.
    North Yorkshire E06000065 from Craven, Hambleton, ...): IoD2019 was published for those,
    so the tool computes this district's IMD 2019 figures from their LSOAs (2011).
    """

    code: str = Field(pattern=GSS_CODE_PATTERN)
    name: str
    predecessors: list[str] = Field(default_factory=list)


class Comparator(Strict):
    """A further area kept in indicator CSVs to compare with, e.g. the county of a district.

    ``districts`` lists its districts, so indicators built from LSOAs (IMD shares) can be
    computed for it too.
    """

    code: str = Field(pattern=GSS_CODE_PATTERN)
    name: str
    geography: Literal["county", "region"] = "county"
    districts: list[str] = Field(default_factory=list)


class WardMembers(Strict):
    """One ward and the LSOAs (of one vintage) that lie in it."""

    code: str = Field(pattern=GSS_CODE_PATTERN)
    name: str
    district: str = Field(pattern=GSS_CODE_PATTERN)
    lsoas: list[str] = Field(min_length=1)


class WardLookup(Strict):
    """The LSOAs of one vintage grouped into wards, as written by ``init-area``.

    Attributes
    ----------
    lsoa_vintage : {2011, 2021}
        2011 for IoD2019, 2021 for IoD2025.
    ward_vintage : str
        Which wards, e.g. ``"May 2019"`` or ``"May 2025"``.
    method : str
        ``official_lookup`` (an ONS best-fit lookup), ``representative_point`` (each LSOA
        placed in the ward holding its representative point, from ONS ward boundaries:
        approximate) or ``best_fit_via_lsoa2011`` (no current-ward lookup or boundaries
        were available: each LSOA 2021 is placed in the May 2019 ward of its best-fit
        LSOA 2011, so the wards are 2019 wards).
    source : str
        The files used, in words.
    wards : list of WardMembers
        Every ward with its LSOAs; each LSOA of the area is in exactly one ward.
    """

    lsoa_vintage: Literal[2011, 2021]
    ward_vintage: str
    method: WardMethod
    source: str
    wards: list[WardMembers]

    def lsoas(self, district: str | None = None) -> list[str]:
        """Return the LSOA codes, of one district or of all, in ward order."""
        return [c for w in self.wards if district is None or w.district == district for c in w.lsoas]


class AreaGeography(Strict):
    """The area's LSOAs and wards of both vintages (``init-area`` fills it from the ONS lookups)."""

    note: str = ""
    lsoa11: WardLookup
    lsoa21: WardLookup

    def for_vintage(self, vintage: int) -> WardLookup:
        """Return the lookup of LSOA vintage 2011 or 2021."""
        if vintage not in (2011, 2021):
            raise ValueError(f"LSOA vintage must be 2011 or 2021, not {vintage!r}")
        return self.lsoa11 if vintage == 2011 else self.lsoa21


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
    """Which council the tool is set up for; ``data/areas/<id>.yaml`` or any file (``CWB_AREAS``).

    ``county_code``/``county_name`` name the whole configured area: a county, or a unitary
    council, metropolitan district, London borough or district that is its own only
    district. ``geography`` (optional) lists its wards and LSOAs; without it they are found
    from the lookups by district code at each refresh.
    """

    id: str
    county_code: str = Field(pattern=GSS_CODE_PATTERN)
    county_name: str
    country_code: str = Field(default="E92000001", pattern=GSS_CODE_PATTERN)
    country_name: str = "England"
    geography_kind: AreaKind = "county"
    districts: list[District]
    comparators: list[Comparator] = Field(default_factory=list)
    neighbourhoods: list[Neighbourhood] = Field(default_factory=list)
    featured_neighbourhoods: list[str] = Field(default_factory=list)
    police_force_area: PoliceForceArea | None = Field(
        default=None,
        description="The police force area the county (or district) lies in; its rate is shown for every district.",
    )
    geography: AreaGeography | None = None
    action_plan: str | None = Field(
        default=None,
        description="The council's own CWB action plan (a YAML file of cwb_metrics.actions.models.ActionPlan): "
        "a path, absolute or relative to this configuration file's folder. Without one, the app says the council "
        "has no action plan.",
    )

    @property
    def single_tier(self) -> bool:
        """True when the whole area is one of its districts (unitary, metropolitan, London, district)."""
        return self.county_code in {d.code for d in self.districts}

    @property
    def has_county_row(self) -> bool:
        """True when indicator CSVs carry a row for the whole area besides its districts (a two-tier county)."""
        return self.top_geography == "county"

    @property
    def top_geography(self) -> str:
        """The ``geography`` written for the whole area in indicator CSVs."""
        if self.county_code == self.country_code:
            return "country"
        return "district" if self.single_tier else "county"

    def area_list(self) -> list[tuple[str, str, str]]:
        """Return ``(code, name, geography)`` of every area kept in indicator CSVs, each code once.

        England first, then the whole area (unless it is England or one of its districts),
        the districts and the comparators.
        """
        entries = [(self.country_code, self.country_name, "country")]
        if self.top_geography == "county":
            entries.append((self.county_code, self.county_name, "county"))
        entries += [(d.code, d.name, "district") for d in self.districts]
        entries += [(c.code, c.name, c.geography) for c in self.comparators]
        seen: set[str] = set()
        unique = []
        for entry in entries:
            if entry[0] not in seen:
                seen.add(entry[0])
                unique.append(entry)
        return unique

    def area_codes(self) -> set[str]:
        """Every code kept in indicator CSVs (see :meth:`area_list`)."""
        return {code for code, _name, _geography in self.area_list()}
