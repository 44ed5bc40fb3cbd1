"""How councils compare: every English council ranked and mapped on a Doughnut dimension or indicator."""

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the page also runs on its own
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
import streamlit as st

from app_support import cached, cached_councils
from app_support.layout import footer, guarded, header, page_setup, sentence_list
from app_support.state import set_url_value, url_value
from cwb_metrics.charts.councils_map import SIMILAR_AREAS_CREDIT
from cwb_metrics.charts.theme import OS_ONS_CREDIT

page_setup("How councils compare")
header(
    "How councils compare",
    "Every English district and unitary authority (and each county among the upper-tier councils), ranked on "
    "one Doughnut dimension or indicator from the same national files. Your council and its ONS similar areas "
    "are outlined. A rank is an order, not a test of difference.",
)

with guarded():
    ref = cached.data_ref()
    config = cached.area_config()
    league = cached_councils.league(ref.root, ref.version)
    choices = cached_councils.measures(ref.root, ref.version)
    councils = {a.code: f"{a.name} ({a.code})" for a in sorted(league.areas, key=lambda a: a.name)}
    default = config.county_code if config.county_code in councils else next(iter(councils))

    top = st.columns([2, 2], vertical_alignment="bottom")
    url_value("measure", list(choices), next(iter(choices)))
    measure_key = top[0].selectbox("Rank on", list(choices), key="measure", format_func=lambda k: choices[k].label)
    url_value("council", list(councils), default)
    selected = top[1].selectbox("Council", list(councils), key="council", format_func=councils.get)
    set_url_value("measure", measure_key)
    set_url_value("council", selected)

    shown = cached_councils.view(ref.root, ref.version, measure_key, selected)
    area = league.area(selected)
    sentence_list(list(shown.sentences))
    tiles = st.columns(5)
    for column, (label, key) in zip(
        tiles,
        (("Shortfall", "shortfall"), ("Overshoot", "overshoot"), ("Within", "within"), ("No data", "missing")),
        strict=False,
    ):
        column.metric(label, area.counts.get(key, 0))
    tiles[4].metric("Indicators with data", f"{area.share_with_data:.0%}")

    map_col, table_col = st.columns([1, 1.15], gap="large")
    with map_col:
        st.altair_chart(
            cached_councils.map_chart(ref.root, ref.version, measure_key, selected),
            width="content",
            alt=f"Map of England's districts shaded by {shown.measure.label.lower()}; "
            f"{area.name} and its similar areas are outlined.",
        )
        if shown.england_text:
            st.caption(shown.england_text)
    with table_col:
        roles = {"selected": "chosen", "neighbour": "similar area", "": ""}

        def table(rows: tuple) -> pd.DataFrame:
            return pd.DataFrame(
                {
                    "Rank": [r.rank for r in rows],
                    "Council": [r.name for r in rows],
                    "Value": [r.value_text for r in rows],
                    "Period": [r.period_label for r in rows],
                    "Marked": [roles[r.role] for r in rows],
                }
            )

        best = "smallest gap" if shown.measure.kind == "dimension" else "best"
        st.markdown(f"**{area.name} and its ONS similar areas** (rank 1 = {best})")
        st.dataframe(table(tuple(r for r in shown.rows if r.role)), hide_index=True, width="stretch", key="near")
        tier = "Upper-tier councils" if shown.tier == "upper" else "Districts and unitary authorities"
        st.markdown(f"**All {tier.lower()}, ranked**")
        st.dataframe(table(shown.rows), hide_index=True, width="stretch", height=420, key="all")

    footer(
        [
            OS_ONS_CREDIT,
            SIMILAR_AREAS_CREDIT,
            f"League built from data version {league.version}'s national files in {league.seconds:.0f} s; "
            "indicators the council imported itself are not in it.",
        ],
        data_version=ref.version,
    )
