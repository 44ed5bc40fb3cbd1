"""The four lenses of a data portrait of place (Doughnut Economics Action Lab), and the lens file's schema.

DEAL's "data portrait of place" looks at a place through four lenses, each asking one
question. Every indicator record names its lens (``IndicatorMeta.lens``);
``data/indicators/lenses.yaml`` says, for each lens, what would measure it where the
catalogue has nothing yet.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

LensId = Literal["local_social", "local_ecological", "global_social", "global_ecological"]

#: Lens id -> (label, the lens's question), in DEAL's order.
LENSES: dict[str, tuple[str, str]] = {
    "local_social": ("Local social", "What would it mean for the people of the place to thrive?"),
    "local_ecological": (
        "Local ecological",
        "What would it mean for the place to thrive within its natural habitat?",
    ),
    "global_social": (
        "Global social",
        "What would it mean for the place to respect the wellbeing of people worldwide?",
    ),
    "global_ecological": (
        "Global ecological",
        "What would it mean for the place to respect the health of the whole planet?",
    ),
}


class LensEntry(BaseModel):
    """One lens in ``lenses.yaml``: its label and question, and what would measure it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: LensId
    label: str
    question: str
    what_would_measure: str = Field(
        min_length=20, description="Official data that would measure this lens locally, with where to find it."
    )

    @model_validator(mode="after")
    def _matches_the_model(self) -> LensEntry:
        label, question = LENSES[self.id]
        if (self.label, self.question) != (label, question):
            raise ValueError(f"lens {self.id!r} is {label!r} asking {question!r}; the file says {self.label!r}")
        return self


class LensesFile(BaseModel):
    """The whole ``lenses.yaml``: every lens once, in DEAL's order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lenses: list[LensEntry]

    @model_validator(mode="after")
    def _all_lenses_once(self) -> LensesFile:
        ids = [lens.id for lens in self.lenses]
        if ids != list(LENSES):
            raise ValueError(f"list the four lenses once, in the order {list(LENSES)} (found {ids})")
        return self
