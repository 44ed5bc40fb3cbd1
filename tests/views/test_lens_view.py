"""The portrait's lenses on the page: what the one doughnut draws, the lens table, texts and gaps.

Expected values are written out by hand from the hand-made entries below.
"""

from __future__ import annotations

from cwb_metrics.models.lens import LensEntry
from cwb_metrics.views import drawing, export
from cwb_metrics.views import lens_view as lv
from tests.views.viewhelpers import GHG, MISSING, make_entry, northdale

#: Oxford-like: GDHI (local social, shortfall 0.115), GHG against the UK budget (local ecological,
#: 4.6 against 2.8: overshoot 0.642857), the same GHG against a 1.5 °C fair share (global ecological,
#: 4.6 against 0.61: ratio 7.540984, overshoot 6.540984), renewables per household (global
#: ecological, energy's only indicator: 0.05 against 1, shortfall 0.95), a tenure share (context).
LOCAL_SOCIAL = make_entry(lens="local_social", threshold_basis="comparator")
LOCAL_GHG = make_entry(**GHG, lens="local_ecological")
FAIR_SHARE = make_entry(
    **{**GHG, "id": "ghg_fair", "short_title": "GHG vs 1.5 °C fair share", "threshold": 0.61, "score": 6.540984,
       "ratio": 7.540984}, lens="global_ecological",
)  # fmt: skip
RENEWABLES = make_entry(
    id="renew", short_title="Renewables vs household use", dimension="energy", dimension_label="Energy",
    unit_short="×", decimals=2, value=0.05, threshold=1.0, score=0.95, lens="global_ecological",
)  # fmt: skip
TENURE = make_entry(
    id="tenure", short_title="Private renting", dimension="housing", dimension_label="Housing", status="context",
    score=None, role="context", lens="local_social",
)  # fmt: skip


def oxford():
    return northdale(LOCAL_SOCIAL, TENURE, RENEWABLES, LOCAL_GHG, FAIR_SHARE, make_entry(**MISSING))


def test_the_one_doughnut_keeps_the_local_lenses_and_says_where_a_global_only_dimension_went() -> None:
    local = lv.local_portrait(oxford())
    ids = [e.id for e in local.entries]
    assert ids == ["gdhi_per_head", "tenure", None, "ghg_emissions_per_capita", None]
    energy = local.entries[2]
    assert (energy.dimension, energy.status, energy.value, energy.score) == ("energy", "missing", None, None)
    assert energy.note == "Measured only through a global lens here: see the four-lens view."
    assert local.entries[4].dimension == "ocean_acidification"  # the dimension without data stays
    assert [e.id for e in lv.global_entries(oxford())] == ["renew", "ghg_fair"]
    assert (local.area_name, local.period) == ("Northdale", "latest")
    assert len(oxford().entries) == 6  # the portrait itself is unchanged


def test_the_scope_note_names_the_global_indicators_and_the_double_counted_emissions() -> None:
    note = lv.scope_note(oxford())
    assert note.startswith("The one doughnut and the unrolled bars draw the two local lenses")
    # 0.95 -> "95% short"; ratio 7.540984 -> "7.5 × the ceiling".
    assert (
        "Drawn only in the four-lens view (global ecological lens), and counted in the headline: "
        "Renewables vs household use, 95% short (shortfall); GHG vs 1.5 °C fair share, 7.5 × the ceiling "
        "(overshoot)."
    ) in note
    assert "the same emissions against a fair share of the 1.5 °C global budget" in note
    without_local_climate = northdale(LOCAL_SOCIAL, FAIR_SHARE)
    assert "same emissions" not in lv.scope_note(without_local_climate)
    assert lv.scope_note(northdale(LOCAL_SOCIAL)).endswith("No indicator looking through a global lens has data here.")
    assert lv.view_note(oxford(), "lenses") == lv.LENSES_NOTE


def test_the_lens_table_counts_each_lens_and_says_what_would_measure_an_empty_one() -> None:
    table = lv.lens_table(oxford(), {"global_social": "Procurement spend with accredited suppliers."})
    rows = {row.lens: row for row in table.rows}
    assert list(rows) == ["Local social", "Local ecological", "Global social", "Global ecological"]
    social = rows["Local social"]
    assert (social.shortfall, social.overshoot, social.within, social.no_data, social.context) == (1, 0, 0, 0, 1)
    assert (rows["Local ecological"].overshoot, rows["Global ecological"].shortfall) == (1, 1)
    assert rows["Global ecological"].overshoot == 1
    assert rows["Global social"].what_would_measure == "Procurement spend with accredited suppliers."
    assert table.columns[-1] == "What would measure it (where no indicator has data)"


def test_the_lens_text_alternative() -> None:
    text = lv.lens_text(oxford(), {"global_social": "x" * 30})
    assert text == (
        "Four small doughnuts of Northdale (latest available figures), one per lens of a data portrait of place; "
        "each draws only the indicators that look through its lens. "
        "Local social: one scored (one short); largest shortfall: disposable income, 12% short. "
        "Local ecological: one scored (one overshoot); largest overshoot: GHG per person, 1.6 × the ceiling. "
        "Global social: no scored indicator with data yet. "
        "Global ecological: 2 scored (one short and one overshoot); largest shortfall: renewables vs household "
        "use, 95% short; largest overshoot: GHG vs 1.5 °C fair share, 7.5 × the ceiling. "
        "The data table says what would measure each lens without data."
    )


def test_gaps_are_the_lenses_without_a_scored_indicator_with_data() -> None:
    from cwb_metrics.indicators.catalogue import load_catalogue

    catalogue = load_catalogue()
    lenses = {
        lens: LensEntry(id=lens, label=label, question=question, what_would_measure=f"Official data for {lens}.")
        for lens, (label, question) in __import__("cwb_metrics.models.lens", fromlist=["LENSES"]).LENSES.items()
    }
    income = make_entry(id="income_deprivation_rate", lens="local_social")
    context = make_entry(id="census_private_rented", status="context", score=None, lens="local_social")
    fair = make_entry(id="ghg_per_capita_fair_share", status="missing", value=None, lens="global_ecological")
    gaps = lv.lens_gaps_for(northdale(income, context, fair), catalogue, lenses)
    assert gaps == {
        "local_ecological": "Official data for local_ecological.",
        "global_social": "Official data for global_social.",
        "global_ecological": "Official data for global_ecological.",
    }
    only_context = lv.lens_gaps_for(northdale(context), catalogue, lenses)
    assert "local_social" in only_context  # context indicators are not drawn, so they do not fill a lens


def test_the_charts_draw_local_lenses_in_one_doughnut_and_every_lens_in_four() -> None:
    def drawn_ids(spec: dict) -> set[str]:
        return {row["id"] for rows in spec["datasets"].values() for row in rows if row.get("id")}

    one = drawing.portrait_chart(oxford(), "doughnut", "sub").to_dict()
    assert drawn_ids(one) == {"gdhi_per_head", "ghg_emissions_per_capita"}
    bars = drawing.portrait_chart(oxford(), "bars", "sub").to_dict()
    assert drawn_ids(bars) == {"gdhi_per_head", "ghg_emissions_per_capita"}
    four = drawing.portrait_chart(oxford(), "lenses", "sub", gaps={"global_social": "y" * 30}).to_dict()
    assert drawn_ids(four) == {"gdhi_per_head", "ghg_emissions_per_capita", "ghg_fair", "renew"}
    assert [p["name"] for p in four["params"]] == ["wedge_local_social", "wedge_local_ecological",
                                                   "wedge_global_ecological"]  # fmt: skip
    assert four["title"]["text"] == "Northdale: the Doughnut through four lenses"
    assert drawing.portrait_view("lenses") == "lenses"
    assert list(drawing.VIEWS.values()) == ["One doughnut", "Four lenses", "Unrolled bars"]


def test_exports_and_text_alternatives_of_each_view() -> None:
    framed = export.frame_portrait(oxford(), "lenses", "latest", "v1", {})
    assert framed.title == "The Doughnut through four lenses" and "title" not in framed.spec
    assert "vconcat" in framed.spec
    assert export.frame_portrait(oxford(), "doughnut", "latest", "v1", {}).title == "The Doughnut (local lenses)"
    assert export.portrait_text(oxford(), "lenses", {}).startswith("Four small doughnuts of Northdale")
    one = export.portrait_text(oxford(), "doughnut")
    assert "Of 2 indicators with data" in one  # GDHI and the local GHG: the global pair is not in this chart
    assert "fair share" not in one
