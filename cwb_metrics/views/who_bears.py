"""Who bears the shortfall: an LSOA indicator over the county's deprivation deciles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from cwb_metrics.charts.describe import decile_rate_description, decile_shares_description
from cwb_metrics.charts.distribution import rate_by_decile_chart, shortfall_by_decile_chart
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.views.common import Choices
from cwb_metrics.views.drawing import CHART_WIDTH, Chart, legible, natural_size

#: The LSOA indicator the page spreads over the deciles.
INDICATOR = "fuel_poverty"


@dataclass(frozen=True)
class DecileData:
    """An IMD edition's deciles paired with a data year of the indicator (``"2025-2023"`` in the URL)."""

    edition: int
    year: int

    @property
    def key(self) -> str:
        """The picker's (and the URL's) value."""
        return f"{self.edition}-{self.year}"

    @property
    def label(self) -> str:
        """What the picker shows."""
        lsoas = "2021 LSOAs" if self.edition == 2025 else "2011 LSOAs"
        return f"IMD {self.edition} deciles, fuel poverty {self.year} ({lsoas})"

    @classmethod
    def parse(cls, key: str) -> DecileData:
        """From the picker's value, ``"2025-2023"``."""
        edition, _, year = key.partition("-")
        return cls(int(edition), int(year))


def decile_choices(years: Iterable[tuple[int, int]]) -> Choices:
    """The picker of (IMD edition, data year) pairs, in the order given (newest first)."""
    return Choices.of((d.key, d.label) for d in (DecileData(e, y) for e, y in years))


@dataclass(frozen=True)
class DecileCharts:
    """The two charts of who bears a shortfall, and their text alternatives."""

    shares: Chart
    rates: Chart
    shares_text: str
    rates_text: str


def decile_charts(table: pd.DataFrame) -> DecileCharts:
    """Shares of households and of those in fuel poverty by decile, and the rate by decile."""
    return DecileCharts(
        shares=legible(natural_size(shortfall_by_decile_chart(table, width=CHART_WIDTH)), labelLimit=0),
        rates=legible(natural_size(rate_by_decile_chart(table, width=CHART_WIDTH))),
        shares_text=decile_shares_description(table),
        rates_text=decile_rate_description(table),
    )


def indicator_note(meta: IndicatorMeta, county_name: str) -> str:
    """The indicator's definition and caveats, and what deciles in England mean for the county."""
    return (
        f"**{meta.title}.** {meta.definition} {meta.caveats or ''} Deciles rank LSOAs across England "
        f"(1 = most deprived 10%), so {county_name} has few LSOAs in the most deprived deciles."
    )


def table_file_name(data: DecileData, domain: str) -> str:
    """The CSV download's file name."""
    return f"fuel-poverty-{data.year}-by-imd{data.edition}-{domain}-decile.csv"
