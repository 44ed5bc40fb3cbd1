r"""ONS Explore Local Statistics (ELS): the tidy indicator CSV and its JSON metadata.

The CSV has 12 columns, read by name because ``observation`` and ``measure`` swap places
between files: ``areacd, areanm, geography, indicator, period, observation, measure, unit,
lci_95, uci_95, status, notes``. Files may start with a UTF-8 byte-order mark and end
lines with CRLF. The sibling JSON (``ess-beta-metadata``) is either one flat record
(``label``, ``sourceURL``, ``sourceOrg``, ``sourceDate`` ...) or a ``shared`` record plus
one record per indicator; :func:`read_els_metadata` reads both.

:func:`read_els_csv` returns every row validated, or raises
:class:`~cwb_metrics.errors.DataValidationError` listing each problem with its file,
line (header = line 1) and column:

- a missing column (named as expected, with the closest header found);
- an area code that is neither a GSS code (``^[EKNSW]\d{8}$``) nor, on ``ITL`` rows,
  an ITL code (``TLC``, ``TLC31``);
- a period that is not ISO-8601 as ONS writes it (:func:`cwb_metrics.periods.parse_period`);
- a value or confidence limit that is not a number (``"1,234"`` is read as 1234);
- the same area, indicator, measure and period twice at one geography level, or at two
  levels with different values (ELS lists some areas under two levels with the same value,
  e.g. a combined authority that is also an ITL2 region: that is kept once, not an error);
- an empty or header-only file, and a truncated one (a row with the wrong number of fields).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cwb_metrics.models.row import GSS_CODE_PATTERN
from cwb_metrics.periods import PeriodError, parse_period
from cwb_metrics.sources.workbooks import ProblemCollector, parse_number

#: Columns an ELS CSV must have (``observation`` may also be called ``value``).
REQUIRED_COLUMNS: tuple[str, ...] = ("areacd", "areanm", "geography", "indicator", "period", "observation", "measure",
                                     "unit")  # fmt: skip
#: Columns read when present, blank when absent.
OPTIONAL_COLUMNS: tuple[str, ...] = ("lci_95", "uci_95", "status", "notes")
#: Columns of the frame :func:`read_els_csv` returns.
ELS_COLUMNS: tuple[str, ...] = ("areacd", "areanm", "geography", "indicator", "period", "measure", "value", "unit",
                                "lci_95", "uci_95", "status", "notes")  # fmt: skip

_GSS = re.compile(GSS_CODE_PATTERN)
_ITL = re.compile(r"^TL[A-N][A-Z0-9]{0,3}$")


def _decode(path: Path, problems: ProblemCollector) -> str | None:
    if not path.is_file():
        problems.add(f"file not found: {path}")
        return None
    raw = path.read_bytes()
    if not raw.strip():
        problems.add("the file is empty; expected an ONS Explore Local Statistics CSV")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.add(f"is not UTF-8 text (byte {raw[error.start]:#x}); expected a CSV saved as UTF-8", row=line)
        return None


def _column_index(header: list[str], problems: ProblemCollector) -> dict[str, int] | None:
    columns = [h.strip().lstrip("\ufeff").lower() for h in header]
    index: dict[str, int] = {}
    for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        aliases = (name, "value") if name == "observation" else (name,)
        found = [i for i, c in enumerate(columns) if c in aliases]
        if len(found) > 1:
            problems.add(f"column {name!r} appears more than once", row=1, column=name)
        elif found:
            index[name] = found[0]
        elif name in REQUIRED_COLUMNS:
            known = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, "value"}
            strangers = [c for c in columns if c not in known]
            close = difflib.get_close_matches(name, strangers, n=1, cutoff=0.5)
            hint = f"; found {close[0]!r} instead: was it renamed?" if close else ""
            problems.add(f"required column {name!r} is missing{hint}", row=1, column=name)
    return None if problems.items else index


def read_els_csv(path: str | Path) -> pd.DataFrame:
    """Read and validate an ONS Explore Local Statistics tidy CSV.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ELS_COLUMNS`; ``value``, ``lci_95`` and ``uci_95`` are float64
        (``NaN`` where blank, e.g. a suppressed value with status ``x``); text columns are
        strings with blanks as ``""``. Rows keep the file's order.

    Raises
    ------
    DataValidationError
        Listing every problem found (see the module docstring).
    """
    path = Path(path)
    problems = ProblemCollector(path.name)
    text = _decode(path, problems)
    if text is None:
        problems.raise_if_any()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        header = []
    except csv.Error as error:
        problems.add(f"the header is not readable CSV ({error})", row=1)
        problems.raise_if_any()
    index = _column_index(header, problems)
    if index is None:
        problems.stop()  # _column_index said what is missing
    records: list[dict[str, Any]] = []
    try:
        for fields in reader:
            line = reader.line_num
            if not fields or all(not f.strip() for f in fields):
                continue
            record = _read_row(fields, len(header), index, line, problems)
            if record is not None:
                records.append(record)
    except csv.Error as error:
        problems.add(f"is not readable CSV here ({error}); the file may be truncated", row=reader.line_num)
    if not records and not problems.items:
        problems.add("has a header but no data rows")
    _check_duplicates(records, problems)
    problems.raise_if_any()
    frame = pd.DataFrame.from_records(records, columns=[*ELS_COLUMNS, "_line", "_keep"])
    frame = frame[frame["_keep"]].drop(columns=["_line", "_keep"]).reset_index(drop=True)
    for column in ("value", "lci_95", "uci_95"):
        frame[column] = frame[column].astype("float64")
    return frame


def _read_row(
    fields: list[str], width: int, index: dict[str, int], line: int, problems: ProblemCollector
) -> dict[str, Any] | None:
    if len(fields) != width:
        kind = "is truncated (cut off mid-row)" if len(fields) < width else "has extra fields"
        problems.add(f"row {kind}: {len(fields)} fields, expected {width}", row=line)
        return None
    get = {name: fields[i].strip() for name, i in index.items()}
    record: dict[str, Any] = {name: get.get(name, "") for name in ELS_COLUMNS if name not in ("value",)}
    code, geography = get["areacd"], get["geography"]
    if not (_GSS.match(code) or (geography.lower().startswith("itl") and _ITL.match(code))):
        problems.add(f"{code!r} is not an area code (a GSS code such as E07000178, a letter and 8 digits)",
                     row=line, column="areacd")  # fmt: skip
    try:
        parse_period(get["period"])
    except PeriodError as error:
        problems.add(str(error), row=line, column="period")
    for column in ("observation", "lci_95", "uci_95"):
        try:
            number = parse_number(get.get(column, ""))
        except ValueError:
            problems.add(f"{get[column]!r} is not a number", row=line, column=column)
            number = None
        record["value" if column == "observation" else column] = number
    lci, uci = record["lci_95"], record["uci_95"]
    if lci is not None and uci is not None and lci > uci:
        problems.add(f"lower limit {lci:g} is above upper limit {uci:g}", row=line, column="lci_95")
    record["_line"], record["_keep"] = line, True
    return record


def _check_duplicates(records: list[dict[str, Any]], problems: ProblemCollector) -> None:
    first: dict[tuple[str, ...], dict[str, Any]] = {}
    for record in records:
        level = (record["areacd"], record["indicator"], record["measure"], record["period"], record["geography"])
        key = level[:4]
        seen = first.get(key)
        if seen is None:
            first[key] = record
            continue
        same_level = seen["geography"] == record["geography"]
        same_value = _same(seen["value"], record["value"])
        if same_level or not same_value:
            where = "" if same_level else f" at another geography level ({seen['geography']!r})"
            problems.add(f"duplicate of line {seen['_line']}{where}: same area {key[0]}, indicator {key[1]!r}, "
                         f"measure {key[2]!r} and period {key[3]}", row=record["_line"], column="period")  # fmt: skip
        record["_keep"] = False


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@dataclass(frozen=True)
class ElsMetadata:
    """ONS's metadata of one ELS indicator (the ``shared`` record merged with its own).

    Attributes
    ----------
    label, subtitle, long_description, caveats : str
        As ONS writes them ("" when absent); ``caveats`` is Markdown.
    source_org : str
        The original producer, e.g. "Office for National Statistics".
    source_urls : tuple of str
        The producer's release page(s) (ONS separates several with ``|``).
    source_date : datetime.date
        When the producer published the data (the first date when several are given).
    decimal_places : int or None
        How many decimals ONS shows.
    experimental : bool
        True for official statistics in development (``experimentalStatistic: "T"``).
    """

    label: str
    subtitle: str
    long_description: str
    caveats: str
    source_org: str
    source_urls: tuple[str, ...]
    source_date: dt.date
    decimal_places: int | None
    experimental: bool

    @property
    def source_url(self) -> str:
        """The first (main) release page."""
        return self.source_urls[0]


_REQUIRED_META = ("label", "sourceURL", "sourceOrg", "sourceDate")


def read_els_metadata(path: str | Path) -> dict[str, ElsMetadata]:
    """Read an ELS ``.json`` metadata file, flat or with ``shared`` + one record per indicator.

    Parameters
    ----------
    path : str or pathlib.Path
        The JSON file beside the CSV.

    Returns
    -------
    dict
        :class:`ElsMetadata` keyed by the CSV's ``indicator`` value for the per-indicator
        layout, and by ``""`` (any indicator) for the flat one. Use :func:`metadata_for`.

    Raises
    ------
    DataValidationError
        When the file is not JSON, has no ``ess-beta-metadata``, or a record lacks
        ``label``, ``sourceURL``, ``sourceOrg`` or ``sourceDate`` (DD/MM/YYYY).
    """
    path = Path(path)
    problems = ProblemCollector(path.name)
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        problems.fail(f"file not found: {path}")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        problems.fail(f"is not valid JSON ({error})")
    block = document.get("ess-beta-metadata") if isinstance(document, dict) else None
    if not isinstance(block, dict):
        problems.fail("has no 'ess-beta-metadata' object; expected ONS Explore Local Statistics metadata")
    if "shared" in block:
        shared = block["shared"] or {}
        records = {key: {**shared, **(value or {})} for key, value in block.items() if key != "shared"}
    else:
        records = {"": block}
    result: dict[str, ElsMetadata] = {}
    for key, record in records.items():
        where = f"record {key!r}" if key else "the metadata"
        missing = [name for name in _REQUIRED_META if not record.get(name)]
        if missing:
            problems.add(f"{where} lacks {', '.join(missing)}", column=missing[0])
            continue
        try:
            date = dt.datetime.strptime(str(record["sourceDate"]).split("|")[0].strip(), "%d/%m/%Y").date()
        except ValueError:
            problems.add(f"{where}: sourceDate {record['sourceDate']!r} is not a date like 26/03/2026",
                         column="sourceDate")  # fmt: skip
            continue
        decimals = record.get("decimalPlaces")
        result[key] = ElsMetadata(
            label=str(record["label"]),
            subtitle=str(record.get("subtitle") or ""),
            long_description=str(record.get("longDescription") or ""),
            caveats=str(record.get("caveats") or ""),
            source_org=str(record["sourceOrg"]).split("|")[0].strip(),
            source_urls=tuple(u.strip() for u in str(record["sourceURL"]).split("|") if u.strip()),
            source_date=date,
            decimal_places=int(decimals) if isinstance(decimals, int | float) else None,
            experimental=str(record.get("experimentalStatistic", "")).upper() == "T",
        )
    problems.raise_if_any()
    return result


def metadata_for(metadata: dict[str, ElsMetadata], indicator: str) -> ElsMetadata:
    """Return the metadata of one indicator (the CSV's ``indicator`` value).

    Raises
    ------
    KeyError
        When the file has per-indicator records and none for ``indicator``.
    """
    if "" in metadata:
        return metadata[""]
    if indicator in metadata:
        return metadata[indicator]
    raise KeyError(f"no metadata for indicator {indicator!r}; the file has {sorted(metadata)}")
