"""Census 2021 topic summaries (ONS, Nomis bulk files): counts by LSOA or district, and what the catalogue counts.

Two layouts are read, each with the same result:

- **the Nomis bulk layout** (``census2021-tsNNN-lsoa.csv``, ``census2021-tsNNN-ltla.csv``,
  inside ``https://www.nomisweb.co.uk/output/census/2021/census2021-tsNNN.zip``):
  ``date, geography, geography code`` and one column per category, headed
  ``<Topic>: <Category>`` (TS011 adds ``; measures: Value``). The file may be the CSV,
  the CSV gzipped (the mirror's LSOA files) or the Nomis zip itself (a download): the
  member for ``level`` (``lsoa`` or ``ltla``) is read from the zip.
- **the wide reshaped layout** (the mirror's TS052 file, Nomis LSOA counts pivoted back
  to wide by a third party): ``geography code`` and the ``<Topic>: <Category>`` columns,
  no name and no date.

:func:`read_census_table` returns ``areacd``, ``areanm`` (blank where the file has no
names) and one column per category, headed by the category without its topic prefix
(``Total: All households``, ``Bad health``, ``-1 (overcrowded)``). Every count must be a
whole number of 0 or more and every code a GSS code listed once; otherwise
:class:`~cwb_metrics.errors.DataValidationError` names the file, row and column.

:data:`CENSUS_MEASURES` names, for each catalogue indicator built from the Census, the
table, the categories counted and the base they are counted out of; the builder
(``census``), the LSOA table and the small-area rows all read it. ONS perturbs the
counts of every table ("cell key perturbation") and swaps some records between nearby
areas, so small counts are approximate and tables disagree slightly on totals.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from cwb_metrics.errors import DataValidationError, Problem
from cwb_metrics.models.row import GSS_CODE_PATTERN
from cwb_metrics.sources.rawtable import (
    ProblemList,
    RawTable,
    check_codes,
    check_integers,
    check_unique,
    normalise_header,
    read_csv_bytes,
    read_raw_table,
    text_column,
)

Level = Literal["lsoa", "ltla"]
#: Census Day: the counts describe the population on this date.
CENSUS_DAY = "2021-03-21"
#: The period written for Census 2021 values (canonical CSVs and LSOA tables).
CENSUS_PERIOD = "2021"
_ZIP_MAGIC = b"PK\x03\x04"
_CODE_HEADER = "geography code"
_SUFFIX = re.compile(r";\s*measures:\s*value\s*$", re.IGNORECASE)
#: Largest count accepted in one cell (England and Wales had about 60 million residents).
_MAX_COUNT = 70_000_000


@dataclass(frozen=True)
class CensusMeasure:
    """A share counted from one Census table: the sum of some categories out of the table's total.

    Attributes
    ----------
    table : str
        The topic summary, lower case (``ts011``).
    count : tuple of str
        Categories summed for the numerator, as :func:`read_census_table` heads them.
    base : str
        The category counted out of (the table's total, e.g. ``Total: All households``).
    count_label, base_label : str
        What they count, in plain English ("households deprived in one or more dimensions",
        "households").
    predicate : str
        What is true of the counted ones, for sentences ("are deprived in at least one dimension").
    """

    table: str
    count: tuple[str, ...]
    base: str
    count_label: str
    base_label: str
    predicate: str


_HOUSEHOLDS = "Total: All households"
_RESIDENTS = "Total: All usual residents"

#: Census 2021 measures by catalogue indicator id (``data/indicators/<id>.yaml``).
CENSUS_MEASURES: dict[str, CensusMeasure] = {
    "census_households_deprived": CensusMeasure(
        table="ts011",
        count=(
            "Household is deprived in one dimension",
            "Household is deprived in two dimensions",
            "Household is deprived in three dimensions",
            "Household is deprived in four dimensions",
        ),
        base=_HOUSEHOLDS,
        count_label="households deprived in one or more dimensions",
        base_label="households",
        predicate="are deprived in at least one of the four Census dimensions",
    ),
    "census_bad_health": CensusMeasure(
        table="ts037",
        count=("Bad health", "Very bad health"),
        base=_RESIDENTS,
        count_label="residents in bad or very bad health",
        base_label="residents",
        predicate="say their health is bad or very bad",
    ),
    "census_disability": CensusMeasure(
        table="ts038",
        count=("Disabled under the Equality Act",),
        base=_RESIDENTS,
        count_label="residents disabled under the Equality Act",
        base_label="residents",
        predicate="are disabled under the Equality Act",
    ),
    "census_no_car": CensusMeasure(
        table="ts045",
        count=("No cars or vans in household",),
        base=_HOUSEHOLDS,
        count_label="households with no car or van",
        base_label="households",
        predicate="have no car or van",
    ),
    "census_no_central_heating": CensusMeasure(
        table="ts046",
        count=("No central heating",),
        base=_HOUSEHOLDS,
        count_label="households with no central heating",
        base_label="households",
        predicate="have no central heating",
    ),
    "census_overcrowding": CensusMeasure(
        table="ts052",
        count=("-1 (overcrowded)", "-2 or less (overcrowded)"),
        base=_HOUSEHOLDS,
        count_label="overcrowded households (bedrooms)",
        base_label="households",
        predicate="have fewer bedrooms than they need",
    ),
    "census_social_rented": CensusMeasure(
        table="ts054",
        count=("Social rented",),
        base=_HOUSEHOLDS,
        count_label="households renting from a council or housing association",
        base_label="households",
        predicate="rent from a council or housing association",
    ),
    "census_private_rented": CensusMeasure(
        table="ts054",
        count=("Private rented",),
        base=_HOUSEHOLDS,
        count_label="households renting privately",
        base_label="households",
        predicate="rent privately",
    ),
    "census_routine_occupations": CensusMeasure(
        table="ts062",
        count=("L12 Semi-routine occupations", "L13 Routine occupations"),
        base="Total: All usual residents aged 16 years and over",
        count_label="residents aged 16+ in routine or semi-routine occupations",
        base_label="residents aged 16+",
        predicate="work (or last worked) in routine or semi-routine occupations",
    ),
    "census_never_worked": CensusMeasure(
        table="ts062",
        count=("L14.1 and L14.2 Never worked and long-term unemployed",),
        base="Total: All usual residents aged 16 years and over",
        count_label="residents aged 16+ who never worked or are long-term unemployed",
        base_label="residents aged 16+",
        predicate="have never worked or are long-term unemployed",
    ),
}


def census_source(table: str, level: Level) -> str:
    """The ``data/sources.yaml`` id of a Census table at a level, e.g. ``census/2021/ts011_lsoa``."""
    return f"census/2021/{table.lower()}_{level}"


def category_label(header: str) -> str:
    """Return a Census column header without its topic prefix and ``; measures: Value`` suffix.

    Examples
    --------
    >>> category_label("Household deprivation: Total: All households; measures: Value")
    'Total: All households'
    >>> category_label("General health: Very bad health")
    'Very bad health'
    """
    text = _SUFFIX.sub("", str(header).replace("\ufeff", "").strip())
    return text.split(": ", 1)[1].strip() if ": " in text else text


def _is_header(cells: list[str]) -> bool:
    return _CODE_HEADER in cells and any(c.startswith("total") or ": total" in c for c in cells)


def _read_zip_member(path: Path, level: Level | None) -> RawTable:
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        message = f"the zip file is corrupt ({error}); download it again"
        raise DataValidationError([Problem(name, None, None, message)]) from None
    with archive:
        members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
        wanted = [m for m in members if level is not None and m.lower().endswith(f"-{level}.csv")]
        if len(wanted) != 1:
            raise DataValidationError(
                [
                    Problem(
                        name,
                        None,
                        None,
                        f"expected one '*-{level}.csv' member in the Nomis zip, found {len(wanted)} "
                        f"(members: {', '.join(members[:8]) or 'none'})",
                    )
                ]
            )
        try:
            raw = archive.read(wanted[0])
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            message = f"the member {wanted[0]} cannot be read ({error}); the zip is truncated: download it again"
            raise DataValidationError([Problem(name, None, None, message)]) from None
    return read_csv_bytes(raw, f"{name} ({wanted[0]})", is_header=_is_header, what="a Census 2021 bulk file")


def read_census_table(path: Path, *, level: Level | None = None) -> pd.DataFrame:
    """Read a Census 2021 topic summary in the Nomis bulk or the wide reshaped layout.

    Parameters
    ----------
    path : pathlib.Path
        A CSV, gzipped CSV, or Nomis zip (then ``level`` picks the member).
    level : {"lsoa", "ltla"}, optional
        The geography level wanted from a Nomis zip; ignored for a CSV.

    Returns
    -------
    pandas.DataFrame
        ``areacd``, ``areanm`` and one ``Int64`` column per category
        (:func:`category_label`), one row per area, in file order.

    Raises
    ------
    DataValidationError
        When the header lacks ``geography code`` or a total, a code is not a GSS code
        or is listed twice, or a count is blank, not a whole number, or negative.
    """
    path = Path(path)
    with open(path, "rb") as handle:
        magic = handle.read(4)
    if magic.startswith(_ZIP_MAGIC) and zipfile.is_zipfile(path) and not _is_xlsx(path):
        table = _read_zip_member(path, level)
    else:
        table = read_raw_table(path, is_header=_is_header, what="a Census 2021 table (Nomis bulk layout)")
    problems = ProblemList(table.file)
    headers = list(table.frame.columns)
    by_normal = {normalise_header(h): h for h in headers}
    code_header = by_normal[_CODE_HEADER]
    name_header = by_normal.get("geography")
    categories = [h for h in headers if normalise_header(h) not in (_CODE_HEADER, "geography", "date")]
    labels = [category_label(h) for h in categories]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    for label in repeated:
        problems.add(f"the category {label!r} appears more than once", row=1, column=label)
    codes = text_column(table.frame[code_header])
    check_codes(problems, table, codes, code_header, GSS_CODE_PATTERN.strip("^$"), "a GSS area code")
    check_unique(problems, table, codes, code_header)
    out = pd.DataFrame(
        {
            "areacd": codes.astype("string"),
            "areanm": (
                text_column(table.frame[name_header]).fillna("").astype("string")
                if name_header
                else pd.Series("", index=table.frame.index, dtype="string")
            ),
        }
    )
    for header, label in zip(categories, labels, strict=True):
        out[label] = check_integers(problems, table, table.frame[header], header, low=0, high=_MAX_COUNT, what="count")
    if not any(label.startswith("Total") for label in labels):
        problems.add("no 'Total' column: expected a Census 2021 topic summary", row=1)
    problems.raise_if_any()
    return out.reset_index(drop=True)


def _is_xlsx(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return "[Content_Types].xml" in archive.namelist()


def measure_counts(table: pd.DataFrame, measure: CensusMeasure, file: str) -> pd.DataFrame:
    """Return ``areacd, areanm, count, base`` of a measure from a table read by :func:`read_census_table`.

    Raises
    ------
    DataValidationError
        When a category of the measure is not a column of the table (the wrong table, or
        ONS renamed a category).
    """
    missing = [c for c in (*measure.count, measure.base) if c not in table.columns]
    if missing:
        found = ", ".join(repr(c) for c in table.columns[2:])
        table_id = measure.table.upper()
        raise DataValidationError(
            [Problem(file, 1, c, f"no category {c!r} in this {table_id} table (found {found})") for c in missing]
        )
    return pd.DataFrame(
        {
            "areacd": table["areacd"],
            "areanm": table["areanm"],
            "count": table.loc[:, list(measure.count)].sum(axis=1, min_count=1).astype("Int64"),
            "base": table[measure.base].astype("Int64"),
        }
    )
