"""The schema of the CWB action plan: ``data/actions/*.yaml`` (pydantic, unknown keys are errors)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: The statuses an action can have, optionally followed by a note in brackets, exactly as the
#: plan writes them: "Complete (outreach in progress)" is status "Complete" with a note.
STATUSES: tuple[str, ...] = ("Not yet started", "In progress", "Complete", "Paused", "Withdrawn")
_STATUS = re.compile(r"^(?P<base>" + "|".join(map(re.escape, STATUSES)) + r")(?: \((?P<note>[^()]+)\))?$")
#: An action number as the plan writes it: "1.1.2", "1.10.1".
NUMBER_PATTERN = r"^\d+\.\d+\.\d+$"


def status_category(status: str) -> str:
    """Return the status an action's status text belongs to ("Complete (outreach in progress)" -> "Complete").

    Raises
    ------
    ValueError
        When the text is not one of :data:`STATUSES`, optionally followed by a note in brackets.

    Examples
    --------
    >>> status_category("Complete (showcase event planned for October)")
    'Complete'
    """
    match = _STATUS.match(str(status).strip())
    if match is None:
        allowed = ", ".join(repr(s) for s in STATUSES)
        raise ValueError(f"{status!r} is not a status: use one of {allowed}, optionally followed by a note in brackets")
    return match["base"]


class Strict(BaseModel):
    """Base of the action models: unknown keys are errors; records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Action(Strict):
    """One action of the plan, with the indicators it is meant to move."""

    number: str = Field(pattern=NUMBER_PATTERN, description="As the plan numbers it, e.g. '1.4.2'.")
    section: Literal["Council actions", "OIEP/Partnership actions"]
    theme: str = Field(min_length=3, description="The plan's theme, as written.")
    text: str = Field(min_length=10)
    transcription_note: str | None = Field(default=None, description="Where the copy transcribed was unclear.")
    intended_impact: str = Field(min_length=5)
    resources: str = Field(min_length=5)
    status: str = Field(description="As written in the plan or set by a status update.")
    indicators: list[str] = Field(description="Catalogue indicator ids the action is meant to move (may be empty).")
    rationale: str = Field(min_length=10, description="One line: why these indicators, or why none is available.")

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        status_category(value)
        return value

    @field_validator("indicators")
    @classmethod
    def _unique_ids(cls, value: list[str]) -> list[str]:
        repeated = sorted({i for i in value if value.count(i) > 1})
        if repeated:
            raise ValueError(f"indicators listed twice: {repeated}")
        return value

    @property
    def status_category(self) -> str:
        """The status without its note: one of :data:`STATUSES`."""
        return status_category(self.status)


class ActionPlan(Strict):
    """The whole action plan: the only schema of ``data/actions/*.yaml``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    publisher: str
    period: str
    source: str = Field(min_length=10)
    actions: list[Action] = Field(min_length=1)

    @model_validator(mode="after")
    def _numbers_once(self) -> ActionPlan:
        numbers = [a.number for a in self.actions]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise ValueError(f"action numbers listed twice: {repeated}")
        return self

    def action(self, number: str) -> Action:
        """Return the action numbered ``number``; raise ``KeyError`` if there is none."""
        for action in self.actions:
            if action.number == number:
                return action
        raise KeyError(number)

    @property
    def themes(self) -> list[str]:
        """The plan's themes, in the order they first appear."""
        return list(dict.fromkeys(a.theme for a in self.actions))
