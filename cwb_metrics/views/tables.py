"""Typed tables: each row a frozen dataclass, turned into a DataFrame only to be drawn.

A row class names its display headers in ``LABELS`` (field name -> header); fields
without one keep their name. :class:`WideTable` is for tables whose columns are data
themselves (one column per area).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, ClassVar, Generic, Protocol, TypeVar

import pandas as pd

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    class Row(DataclassInstance, Protocol):
        """A frozen dataclass with display headers."""

        LABELS: ClassVar[dict[str, str]]

else:

    class Row(Protocol):
        """A frozen dataclass with display headers."""


R = TypeVar("R", bound="Row")


@dataclass(frozen=True)
class Table(Generic[R]):
    """Rows of one dataclass, in display order.

    Parameters
    ----------
    row_type : type
        The rows' dataclass (its fields are the columns, in order).
    rows : tuple
        The rows.
    """

    row_type: type[R]
    rows: tuple[R, ...]

    @property
    def columns(self) -> list[str]:
        """The display headers, in order."""
        labels = getattr(self.row_type, "LABELS", {})
        return [labels.get(f.name, f.name) for f in fields(self.row_type)]

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame with the display headers (a new frame on each call)."""
        names = [f.name for f in fields(self.row_type)]
        return pd.DataFrame([[getattr(row, n) for n in names] for row in self.rows], columns=self.columns)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class WideTable:
    """A table of text whose headers are data (e.g. one column per area).

    Parameters
    ----------
    columns : tuple of str
        The headers, in order.
    rows : tuple of tuples of str
        One tuple per row, as long as ``columns``.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"a row has {len(row)} cells for {len(self.columns)} columns")

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame (a new frame on each call)."""
        return pd.DataFrame(list(self.rows), columns=list(self.columns))

    def column(self, header: str) -> list[str]:
        """The cells of one column, top to bottom."""
        index = self.columns.index(header)
        return [row[index] for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)
