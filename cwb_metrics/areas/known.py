"""Area codes the project knows, for validating imported files."""

from __future__ import annotations

from cwb_metrics.store import DataStore


def known_area_codes(store: DataStore) -> set[str]:
    """Every area code in the current data: indicator areas, wards and LSOAs of the LSOA tables.

    Parameters
    ----------
    store : DataStore
        A data folder with built data.

    Returns
    -------
    set of str
    """
    from cwb_metrics.areas.config import load_area_config

    config = load_area_config()
    codes = {config.country_code, config.county_code, *(d.code for d in config.districts)}
    codes |= set(store.read_all_indicators()["areacd"].astype(str))
    folder = store.version_dir() / "lsoa"
    for path in folder.glob("*.parquet") if folder.is_dir() else []:
        frame = store.read_table(f"lsoa/{path.name}")
        for column in frame.columns:
            if column.endswith("code") or column.endswith("cd") or column.endswith("_code"):
                codes |= {str(c) for c in frame[column].dropna().unique() if str(c)[:1] in "EK"}
    return codes
