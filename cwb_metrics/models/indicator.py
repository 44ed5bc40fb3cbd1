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

#: Doughnut dimensions (Raworth 2017; Fanning & Raworth 2025), by ring, in drawing order.
DIMENSIONS: dict[str, tuple[Ring, str]] = {
    "food": ("social_foundation", "Food"),
    "health": ("social_foundation", "Health"),
    "education": ("social_foundation", "Education"),
    "income_work": ("social_foundation", "Income & work"),
    "peace_justice": ("social_foundation", "Peace & justice"),
    "political_voice": ("social_foundation", "Political voice"),
    "social_equity": ("social_foundation", "Social equity"),
    "gender_equality": ("social_foundation", "Gender equality"),
    "housing": ("social_foundation", "Housing"),
    "networks": ("social_foundation", "Networks"),
    "energy": ("social_foundation", "Energy"),
    "water": ("social_foundation", "Water"),
    "climate_change": ("ecological_ceiling", "Climate change"),
    "ocean_acidification": ("ecological_ceiling", "Ocean acidification"),
    "chemical_pollution": ("ecological_ceiling", "Chemical pollution"),
    "nitrogen_phosphorus": ("ecological_ceiling", "Nitrogen & phosphorus loading"),
    "freshwater_withdrawals": ("ecological_ceiling", "Freshwater withdrawals"),
    "land_conversion": ("ecological_ceiling", "Land conversion"),
    "biodiversity_loss": ("ecological_ceiling", "Biodiversity loss"),
    "air_pollution": ("ecological_ceiling", "Air pollution"),
    "ozone_depletion": ("ecological_ceiling", "Ozone layer depletion"),
}

DimensionId = Literal[
    "food",
    "health",
    "education",
    "income_work",
    "peace_justice",
    "political_voice",
    "social_equity",
    "gender_equality",
    "housing",
    "networks",
    "energy",
    "water",
    "climate_change",
    "ocean_acidification",
    "chemical_pollution",
    "nitrogen_phosphorus",
    "freshwater_withdrawals",
    "land_conversion",
    "biodiversity_loss",
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


class Threshold(Strict):
    """A social foundation or an ecological ceiling, with where it comes from.

    ``kind`` selects the scoring rule (see ``cwb_metrics.portrait.scoring``):

    - ``zero_deprivation``: a "% of people deprived" foundation of 0%; shortfall = value/100.
    - ``target``: a social target T; shortfall is the relative gap to T.
    - ``ceiling``: an ecological ceiling T; overshoot = value/T - 1.
    """

    kind: Literal["zero_deprivation", "target", "ceiling"]
    value: float
    basis: ThresholdBasis = Field(description="What the threshold rests on (a URL unless comparator or illustrative).")
    source: str = Field(min_length=3, description="Who sets the threshold, or 'Illustrative'.")
    source_url: HttpUrl | None = None
    rationale: str = Field(min_length=10, description="One line: why this threshold.")
    illustrative: bool = Field(description="True where no authority sets this threshold.")

    @model_validator(mode="after")
    def _basis_has_url(self) -> Threshold:
        if self.basis not in BASES_WITHOUT_URL and self.source_url is None:
            raise ValueError(f"a threshold with basis {self.basis!r} needs a source_url to the document that sets it")
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
    dimension: DimensionId
    cwb_theme: CwbTheme | None = None
    lens: Literal["local_social", "local_ecological", "global_social", "global_ecological"]
    role: Role = "scored"
    why_this_proxy: str = Field(min_length=10)
    threshold: Threshold
    origin: Origin
    extract: Extract
    geographies: list[Literal["country", "county", "district", "ward", "neighbourhood", "lsoa"]]
    caveats: str = ""
    release_frequency_months: int | None = Field(default=12, ge=1)

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
