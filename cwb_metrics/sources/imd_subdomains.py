"""IoD2025 sub-domains by LSOA 2021: scores, ranks and deciles of the six sub-domains.

Read from MHCLG's IoD2025 File 7 (headers such as ``Indoors Sub-domain Score``,
``Indoors Sub-domain Rank (where 1 is most deprived)``, ``Indoors Sub-domain Decile (where
1 is most deprived 10% of LSOAs)``, LSOA code column ``LSOA code (2021)``) or from the
renamed extract of the mirror (``lsoa21_code``, ``indoors_score``, ``indoors_rank``,
``indoors_decile`` ...). Other columns are ignored.

The sub-domains are relative measures: a score ranks LSOAs against each other, and decile 1
is England's most deprived 10% of LSOAs by construction. The catalogue shows them as
context (the share of residents living in LSOAs in England's most deprived 20%), never as a
shortfall.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cwb_metrics.sources.rawtable import (
    ProblemList,
    check_codes,
    check_floats,
    check_integers,
    check_unique,
    normalise_header,
    read_raw_table,
    text_column,
)

#: The six IoD2025 sub-domains: key -> MHCLG's name (without "Sub-domain").
SUBDOMAINS: dict[str, str] = {
    "children_and_young_people": "Children and Young People",
    "adult_skills": "Adult Skills",
    "geographical_barriers": "Geographical Barriers",
    "wider_barriers": "Wider Barriers",
    "indoors": "Indoors",
    "outdoors": "Outdoors",
}
#: Deciles 1..this count as "among England's most deprived": 2 is the most deprived 20%.
SUBDOMAIN_CUTOFF_DECILE = 2
#: Catalogue indicators built from a sub-domain, by id.
SUBDOMAIN_INDICATORS: dict[str, str] = {
    "iod_indoors_most_deprived_20pct": "indoors",
    "iod_outdoors_most_deprived_20pct": "outdoors",
    "iod_wider_barriers_most_deprived_20pct": "wider_barriers",
}
_MEASURES = ("score", "rank", "decile")
_LSOA_HEADERS = ("lsoa code (2021)", "lsoa21 code", "lsoa21cd", "lsoa code")
_MAX_RANK = 40_000


def _matcher(key: str, measure: str) -> re.Pattern[str]:
    label = re.escape(SUBDOMAINS[key].casefold())
    return re.compile(rf"^{label}(?: sub-domain| sub domain| subdomain)? {measure}\b")


def read_iod_subdomains(path: Path) -> pd.DataFrame:
    """Read the IoD2025 sub-domain columns of File 7 (official or renamed).

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code``, then ``<key>_score`` (``Float64``), ``<key>_rank`` and
        ``<key>_decile`` (``Int64``) for each sub-domain of :data:`SUBDOMAINS`; one row
        per LSOA 2021.

    Raises
    ------
    DataValidationError
        When the LSOA code or a sub-domain column is missing, a code is not an English
        LSOA code or is repeated, a decile is outside 1-10, or a rank or score is not a
        number.
    """

    def is_header(cells: list[str]) -> bool:
        return any(c in _LSOA_HEADERS for c in cells) and any("indoors" in c for c in cells)

    table = read_raw_table(Path(path), is_header=is_header, what="IoD2025 File 7 (sub-domain columns)")
    problems = ProblemList(table.file)
    headers = list(table.frame.columns)
    normal = {normalise_header(h): h for h in headers}
    code_header = next((normal[h] for h in _LSOA_HEADERS if h in normal), None)
    if code_header is None:
        problems.add("missing column 'LSOA code (2021)'", row=table.header_row, column="LSOA code (2021)")
        problems.stop()
    codes = text_column(table.frame[code_header])
    check_codes(problems, table, codes, code_header, r"E01[0-9]{6}", "an English LSOA code")
    check_unique(problems, table, codes, code_header)
    out = pd.DataFrame({"lsoa_code": codes.astype("string")})
    for key, label in SUBDOMAINS.items():
        for measure in _MEASURES:
            pattern = _matcher(key, measure)
            found = [h for h in headers if pattern.match(normalise_header(h))]
            column = f"{key}_{measure}"
            if len(found) != 1:
                what = "missing" if not found else f"found {len(found)} times ({', '.join(found)})"
                problems.add(
                    f"the {label} sub-domain {measure} column is {what}", column=f"{label} Sub-domain {measure}"
                )
                continue
            values = table.frame[found[0]]
            if measure == "score":
                out[column] = check_floats(problems, table, values, found[0], what="score")
            elif measure == "rank":
                out[column] = check_integers(problems, table, values, found[0], low=1, high=_MAX_RANK, what="rank")
            else:
                out[column] = check_integers(problems, table, values, found[0], low=1, high=10, what="decile")
    problems.raise_if_any()
    return out.reset_index(drop=True)
