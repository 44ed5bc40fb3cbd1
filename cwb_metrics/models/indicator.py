"""The indicator metadata record: one per indicator, kept in ``data/indicators/*.yaml``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

Ring = Literal["social_foundation", "ecological_ceiling"]
Polarity = Literal["higher_is_better", "lower_is_better"]

#: What a threshold rests on (PRODUCT.md, "The Doughnut method"). Every basis but the last two
#: needs a ``source_url`` to the document that sets the number.
ThresholdBasis = Literal[
    "statutory_target",
    "government_ambition",
    "science_based",
    "official_definition",
    "comparator",
    "illustrative",
]
#: Bases that need no URL: a comparator (e.g. the England average) or an illustrative choice.
BASES_WITHOUT_URL: tuple[str, ...] = ("comparator", "illustrative")
#: ``scored`` indicators are placed against their threshold; ``context`` ones (relative shares,
#: tenure, green space) are shown beside the portrait but never scored.
Role = Literal["scored", "context"]


#: Doughnut dimensions, by ring, in drawing order, with the names of Doughnut 3.0 (Fanning &
#: Raworth 2025, "Doughnut of social and planetary boundaries monitors a world out of balance",
#: Nature; code: github.com/a-fanning/doughnut-v3). Doughnut 3.0 renamed six of Raworth's (2017)
#: dimensions; their old ids stay accepted as aliases (:data:`DIMENSION_ALIASES`): indexing with an
#: old id (``DIMENSIONS["networks"]``) gives the renamed dimension; iterating gives the new ids only.
class _Dimensions(dict[str, tuple[Ring, str]]):
    """The dimensions by id; an old (2017) id used as a key finds its Doughnut 3.0 dimension."""

    def __missing__(self, key: str) -> tuple[Ring, str]:
        if key in DIMENSION_ALIASES:
            return self[DIMENSION_ALIASES[key]]
        raise KeyError(key)


DIMENSIONS: dict[str, tuple[Ring, str]] = _Dimensions(
    {
        "food": ("social_foundation", "Food"),
        "health": ("social_foundation", "Health"),
        "education": ("social_foundation", "Education"),
        "income_work": ("social_foundation", "Income & work"),
        "peace_justice": ("social_foundation", "Peace & justice"),
        "political_voice": ("social_foundation", "Political voice"),
        "social_cohesion": ("social_foundation", "Social cohesion"),
        "equality": ("social_foundation", "Equality"),
        "housing": ("social_foundation", "Housing"),
        "connectivity": ("social_foundation", "Connectivity"),
        "energy": ("social_foundation", "Energy"),
        "water": ("social_foundation", "Water"),
        "climate_change": ("ecological_ceiling", "Climate change"),
        "ocean_acidification": ("ecological_ceiling", "Ocean acidification"),
        "chemical_pollution": ("ecological_ceiling", "Chemical pollution"),
        "nutrient_pollution": ("ecological_ceiling", "Nutrient pollution"),
        "freshwater_disruption": ("ecological_ceiling", "Freshwater disruption"),
        "land_conversion": ("ecological_ceiling", "Land conversion"),
        "biodiversity_breakdown": ("ecological_ceiling", "Biodiversity breakdown"),
        "air_pollution": ("ecological_ceiling", "Air pollution"),
        "ozone_depletion": ("ecological_ceiling", "Ozone depletion"),
    }
)

#: Raworth's (2017) dimension ids that Doughnut 3.0 renamed, and their new ids. Records and
#: links may still use the old ids; :func:`canonical_dimension` maps them.
DIMENSION_ALIASES: dict[str, str] = {
    "social_equity": "social_cohesion",
    "gender_equality": "equality",
    "networks": "connectivity",
    "nitrogen_phosphorus": "nutrient_pollution",
    "freshwater_withdrawals": "freshwater_disruption",
    "biodiversity_loss": "biodiversity_breakdown",
}


def canonical_dimension(dimension: str) -> str:
    """Return the Doughnut 3.0 id of a dimension, mapping an old (2017) id to its new one.

    >>> canonical_dimension("networks")
    'connectivity'
    >>> canonical_dimension("food")
    'food'
    """
    return DIMENSION_ALIASES.get(dimension, dimension)


DimensionId = Literal[
    "food",
    "health",
    "education",
    "income_work",
    "peace_justice",
    "political_voice",
    "social_cohesion",
    "equality",
    "housing",
    "connectivity",
    "energy",
    "water",
    "climate_change",
    "ocean_acidification",
    "chemical_pollution",
    "nutrient_pollution",
    "freshwater_disruption",
    "land_conversion",
    "biodiversity_breakdown",
    "air_pollution",
    "ozone_depletion",
]

#: Community-wealth-building themes: the five CLES pillars and the action plan's own themes.
CWB_THEMES: tuple[str, ...] = (
    "Fair employment and just labour markets",
    "Progressive procurement",
    "Socially productive use of land and property",
    "Making financial power work for local places",
    "Plural ownership of the economy",
    "Economic development",
    "Employment and skills",
    "Social economy",
    "Health and wellbeing",
    "Climate and environment",
)
CwbTheme = Literal[
    "Fair employment and just labour markets",
    "Progressive procurement",
    "Socially productive use of land and property",
    "Making financial power work for local places",
    "Plural ownership of the economy",
    "Economic development",
    "Employment and skills",
    "Social economy",
    "Health and wellbeing",
    "Climate and environment",
]


class Strict(BaseModel):
    """Base for every metadata model: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Dimension(Strict):
    """A Doughnut dimension, with the indicators that stand for it (possibly none)."""

    id: DimensionId
    ring: Ring
    label: str


def _needs_url(basis: str, source_url: object, what: str) -> None:
    if basis not in BASES_WITHOUT_URL and source_url is None:
        raise ValueError(f"{what} with basis {basis!r} needs a source_url to the document that sets it")


def _drop_legacy_illustrative(data: object) -> object:
    """Accept the retired ``illustrative`` key only where it agrees with ``basis`` (it is derived now)."""
    if not isinstance(data, dict) or "illustrative" not in data:
        return data
    data = dict(data)
    said = data.pop("illustrative")
    basis = data.get("basis")
    if basis is not None and bool(said) != (basis in BASES_WITHOUT_URL):
        raise ValueError(
            f"'illustrative: {str(bool(said)).lower()}' contradicts basis {basis!r}: 'illustrative' is now derived "
            "from 'basis' (true for comparator and illustrative); delete the key and set 'basis'"
        )
    return data


class Threshold(Strict):
    """A social foundation or an ecological ceiling, with where it comes from.

    ``kind`` selects the scoring rule (see ``cwb_metrics.portrait.scoring`` and docs/METHOD.md):

    - ``zero_deprivation``: a "% of people deprived" foundation of 0%; shortfall = value/100.
    - ``target``: a social target T; higher is better: shortfall = (T - v)/T; lower is
      better: shortfall = 1 - T/v (both 0 to 1).
    - ``ceiling``: an ecological ceiling T; overshoot = v/T - 1 (for a stock measured from a
      pre-industrial ``baseline`` b, as Doughnut 3.0 does: (v - b)/(T - b) - 1).

    ``basis`` is the one source of truth for whether an authority sets the number:
    :attr:`illustrative` is derived from it (the old ``illustrative`` key is accepted only
    where it agrees, and is not kept). ``by`` dates the threshold (a target year), which the
    pace of change (:mod:`cwb_metrics.portrait.pace`) uses.
    """

    kind: Literal["zero_deprivation", "target", "ceiling"]
    value: float
    basis: ThresholdBasis = Field(description="What the threshold rests on (a URL unless comparator or illustrative).")
    source: str = Field(min_length=3, description="Who sets the threshold, or 'Illustrative'.")
    source_url: HttpUrl | None = None
    rationale: str = Field(min_length=10, description="One line: why this threshold.")
    by: int | None = Field(default=None, ge=2000, le=2100, description="Year by which it should be reached.")
    baseline: float | None = Field(
        default=None, description="Pre-industrial level of a stock indicator (ceilings only; Doughnut 3.0)."
    )

    @model_validator(mode="before")
    @classmethod
    def _legacy_illustrative(cls, data: object) -> object:
        return _drop_legacy_illustrative(data)

    @model_validator(mode="after")
    def _basis_has_url(self) -> Threshold:
        _needs_url(self.basis, self.source_url, "a threshold")
        if self.baseline is not None:
            if self.kind != "ceiling":
                raise ValueError("a baseline applies only to an ecological ceiling (a stock indicator)")
            if self.baseline >= self.value:
                raise ValueError("a stock's baseline must be below its ceiling")
        return self

    @property
    def illustrative(self) -> bool:
        """True where no authority sets this number: the basis is ``comparator`` or ``illustrative``."""
        return self.basis in BASES_WITHOUT_URL


class DatedTarget(Strict):
    """A further dated target of an indicator (e.g. net zero by 2050), for the pace of change.

    The threshold itself may carry a date (``threshold.by``); a dated target is another
    level the indicator should reach by a year, with its own basis and source.
    """

    label: str = Field(min_length=3, description="Short name, e.g. 'Net zero'.")
    value: float
    by: int = Field(ge=2000, le=2100)
    basis: ThresholdBasis
    source: str = Field(min_length=3)
    source_url: HttpUrl | None = None

    @model_validator(mode="after")
    def _basis_has_url(self) -> DatedTarget:
        _needs_url(self.basis, self.source_url, "a dated target")
        return self


class Origin(Strict):
    """Where the data comes from (after owid/etl's ``origin``)."""

    producer: str
    title: str
    url_main: HttpUrl
    url_download: HttpUrl | None = None
    licence: str
    licence_url: HttpUrl
    date_published: dt.date
    citation: str


class Extract(Strict):
    """How the refresh derives the indicator from a source file.

    ``method`` names a builder in ``cwb_metrics.indicators.builders``; ``source`` names a
    source in ``data/sources.yaml``; ``params`` are the builder's own options.
    """

    method: str
    source: str
    params: dict[str, str | int | float | bool | list[str]] = Field(default_factory=dict)


class IndicatorMeta(Strict):
    """The metadata record of one indicator; the only schema for ``data/indicators/*.yaml``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    title: str = Field(min_length=3)
    short_title: str = Field(min_length=2, max_length=32)
    definition: str = Field(min_length=20)
    unit: str
    unit_short: str = ""
    decimals: int = Field(default=1, ge=0, le=4)
    polarity: Polarity
    ring: Ring
    dimension: DimensionId = Field(description="A Doughnut 3.0 dimension id (old 2017 ids are accepted as aliases).")
    cwb_theme: CwbTheme | None = None
    lens: Literal["local_social", "local_ecological", "global_social", "global_ecological"]
    role: Role = "scored"
    why_this_proxy: str = Field(min_length=10)
    threshold: Threshold
    dated_targets: list[DatedTarget] = Field(default_factory=list)
    series_breaks: list[str] = Field(
        default_factory=list,
        description="Periods (as in the data) that start a series not comparable with earlier periods.",
    )
    comparable_over_time: bool = Field(
        default=True,
        description="False where the publisher advises against comparing periods (no trend is then claimed).",
    )
    origin: Origin
    extract: Extract
    geographies: list[Literal["country", "county", "district", "ward", "neighbourhood", "lsoa"]]
    caveats: str = ""
    release_frequency_months: int | None = Field(default=12, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _dimension_alias(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("dimension"), str):
            data = {**data, "dimension": canonical_dimension(data["dimension"])}
        return data

    @model_validator(mode="after")
    def _ring_matches_dimension_and_threshold(self) -> IndicatorMeta:
        ring_of_dimension = DIMENSIONS[self.dimension][0]
        if ring_of_dimension != self.ring:
            raise ValueError(f"dimension {self.dimension!r} is on the {ring_of_dimension} ring, not {self.ring}")
        if self.ring == "ecological_ceiling" and self.threshold.kind != "ceiling":
            raise ValueError("an ecological-ceiling indicator needs a threshold of kind 'ceiling'")
        if self.ring == "social_foundation" and self.threshold.kind == "ceiling":
            raise ValueError("a social-foundation indicator cannot have a 'ceiling' threshold")
        if self.threshold.kind == "zero_deprivation" and self.polarity != "lower_is_better":
            raise ValueError("a zero-deprivation threshold implies polarity 'lower_is_better'")
        if self.threshold.kind == "ceiling" and self.polarity != "lower_is_better":
            raise ValueError("an ecological ceiling implies polarity 'lower_is_better'")
        if self.threshold.kind != "zero_deprivation" and self.threshold.value <= 0:
            raise ValueError("a target or ceiling must be above zero")
        return self

    @property
    def dimension_label(self) -> str:
        """The dimension's display label, e.g. 'Income & work'."""
        return DIMENSIONS[self.dimension][1]
