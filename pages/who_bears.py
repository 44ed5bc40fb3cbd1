"""Who bears the shortfall: fuel poverty across the county's deprivation deciles."""

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the page also runs on its own
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from app_support import cached
from app_support.layout import (
    chart_description,
    chart_downloads,
    file_stem,
    footer,
    guarded,
    header,
    page_setup,
    sentence_list,
)
from app_support.state import set_url_value, url_value
from cwb_metrics.deprivation.distribution import distribution_sentences
from cwb_metrics.errors import CwbError
from cwb_metrics.sources.imd import INDICES
from cwb_metrics.views.common import measure_label
from cwb_metrics.views.export import DecileChart
from cwb_metrics.views.who_bears import INDICATOR, DecileData, indicator_note, table_file_name

page_setup("Who bears the shortfall")
header(
    "Who bears the shortfall",
    "A county average can hide who falls short. Here the county's households are grouped by how deprived "
    "their neighbourhood (LSOA) is in England, and each group's share of households is set against its share "
    "of the households in fuel poverty.",
)

with guarded():
    ref = cached.data_ref()
    config = cached.area_config()
    choices = cached.decile_choices(ref, INDICATOR)
    if not choices:
        raise CwbError("No fuel poverty estimates by LSOA in this data version: run a refresh that includes DESNZ.")

    picks = st.columns([2, 1.6, 1.4], vertical_alignment="bottom")
    url_value("data", choices.keys, choices.keys[0], what="pairs of IMD edition and data year")
    chosen = picks[0].selectbox(
        "Deciles and data",
        choices.keys,
        key="data",
        format_func=choices.label,
        help="Each IMD edition is on its own LSOAs: IMD 2025 pairs with the 2021 and 2023 fuel poverty estimates "
        "(2021 LSOAs), IMD 2019 with the 2020 estimates (2011 LSOAs).",
    )
    url_value("domain", list(INDICES), "imd", what="measures")
    domain = picks[1].selectbox(
        "Deprivation measure",
        list(INDICES),
        key="domain",
        format_func=measure_label,
        help="Whose deciles group the LSOAs: overall deprivation, or one domain such as income.",
    )
    set_url_value("data", chosen)
    set_url_value("domain", domain)
    data = DecileData.parse(chosen)

    table = cached.shortfall_by_decile(ref, INDICATOR, data, domain)
    charts = cached.decile_charts(ref, INDICATOR, data, domain)

    chart_col, text_col = st.columns([1.5, 1], gap="large")
    with chart_col:
        for chart, which in ((charts.shares, "shares"), (charts.rates, "rates")):
            shown = DecileChart(INDICATOR, data, domain, which)
            description = cached.chart_description(ref, shown)
            st.altair_chart(chart, width="content", key=f"{which}_chart", alt=description)
            chart_description(description)
            chart_downloads(
                which,
                *cached.chart_files(ref, shown),
                file_stem(INDICATOR, which, f"imd{data.edition}", domain, data.year),
                what="this chart",
            )
    with text_col:
        st.header("In brief", anchor=False)
        sentence_list(distribution_sentences(table, area_name=config.county_name))
        meta = cached.version_catalogue(ref)[INDICATOR]
        st.caption(indicator_note(meta, config.county_name))

    st.header("The table behind the charts", anchor=False)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "decile": st.column_config.NumberColumn("Decile", help="1 = England's most deprived 10% of LSOAs"),
            "lsoas": st.column_config.NumberColumn("LSOAs"),
            "base": st.column_config.NumberColumn("Households", format="localized"),
            "count": st.column_config.NumberColumn("Households in fuel poverty", format="localized"),
            "share_of_base": st.column_config.NumberColumn("% of the county's households", format="%.1f"),
            "share_of_count": st.column_config.NumberColumn("% of those in fuel poverty", format="%.1f"),
            "rate": st.column_config.NumberColumn("% in fuel poverty", format="%.1f"),
            "county_rate": st.column_config.NumberColumn("County %", format="%.1f"),
            "rate_ratio": st.column_config.NumberColumn("Times the county rate", format="%.2f"),
        },
    )
    st.download_button(
        "Download the table (CSV)",
        table.to_csv(index=False, lineterminator="\n").encode("utf-8"),
        file_name=table_file_name(data, domain),
        mime="text/csv",
        icon=":material/download:",
        key="download_table",
    )

    footer(
        [
            meta.origin.citation or f"{meta.origin.producer}, {meta.origin.title}, {meta.origin.licence}.",
            "Ministry of Housing, Communities and Local Government, English Indices of Deprivation 2019 and 2025, "
            "Open Government Licence v3.0.",
        ],
        data_version=ref.version,
    )
