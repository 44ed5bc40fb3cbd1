"""The four lenses: every record has one, lenses.yaml is valid, and lenses without data say what would measure them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.catalogue import LENSES_FILE, load_catalogue
from cwb_metrics.indicators.lenses import catalogue_by_lens, lens_gaps, load_lenses
from cwb_metrics.models.lens import LENSES
from cwb_metrics.settings import CATALOGUE_DIR

CATALOGUE = load_catalogue()


def test_lenses_file_lists_the_four_lenses_in_deal_order() -> None:
    lenses = load_lenses()
    assert list(lenses) == ["local_social", "local_ecological", "global_social", "global_ecological"]
    for lens, entry in lenses.items():
        assert (entry.label, entry.question) == LENSES[lens]
        assert len(entry.what_would_measure) > 40


def test_every_record_has_a_known_lens_and_three_lenses_have_data() -> None:
    grouped = catalogue_by_lens(CATALOGUE)
    assert sum(len(v) for v in grouped.values()) == len(CATALOGUE)
    assert all(meta.lens in LENSES for meta in CATALOGUE.values())
    covered = {lens for lens, metas in grouped.items() if metas}
    assert covered >= {"local_social", "local_ecological", "global_ecological"}
    assert "ghg_per_capita_fair_share" in {m.id for m in grouped["global_ecological"]}


def test_gaps_name_the_lenses_without_indicators() -> None:
    lenses = load_lenses()
    gaps = lens_gaps(CATALOGUE, lenses=lenses)
    assert gaps == {"global_social": lenses["global_social"].what_would_measure}
    # For one area: only the indicators with a value count.
    only_social = lens_gaps(CATALOGUE, with_data=["fuel_poverty", "not_an_indicator"], lenses=lenses)
    assert list(only_social) == ["local_ecological", "global_social", "global_ecological"]
    assert lens_gaps(CATALOGUE, with_data=list(CATALOGUE), lenses=lenses) == gaps


def _write(folder: Path, record: object) -> None:
    (folder / LENSES_FILE).write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")


def test_a_lens_file_out_of_order_or_relabelled_is_refused(tmp_path: Path) -> None:
    entries = yaml.safe_load((CATALOGUE_DIR / LENSES_FILE).read_text(encoding="utf-8"))["lenses"]
    _write(tmp_path, {"lenses": entries[::-1]})
    with pytest.raises(CwbError, match="in the order"):
        load_lenses(tmp_path)
    _write(tmp_path, {"lenses": [{**entries[0], "label": "Local people"}, *entries[1:]]})
    with pytest.raises(CwbError, match="lens 'local_social' is 'Local social'"):
        load_lenses(tmp_path)
    _write(tmp_path, {"lenses": [{**entries[0], "what_would_measure": "data"}, *entries[1:]]})
    with pytest.raises(CwbError, match="what_would_measure"):
        load_lenses(tmp_path)


def test_a_missing_lens_file_says_what_it_is_for(tmp_path: Path) -> None:
    with pytest.raises(CwbError, match="what would measure each of the four lenses"):
        load_lenses(tmp_path)
