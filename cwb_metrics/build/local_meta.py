"""Indicator metadata kept in a data version: the council's own indicators and saved thresholds.

The committed catalogue (``data/indicators/*.yaml``) describes the official indicators. An
analyst can add a local indicator (e.g. council spend with local SMEs) or save a council
threshold; those records are written into the data version (``meta/<id>.yaml``) through the
same validated, versioned path as data, and override or extend the committed catalogue.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from cwb_metrics.errors import DataValidationError, Problem
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.models.cells import formula_message, looks_like_formula, refused_character
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.store import DataStore

META_FOLDER = "meta"
#: Largest metadata record accepted; a real one is a few kilobytes.
MAX_META_BYTES = 100_000
#: Fields shown on one line (titles, names, units): a line break there is refused.
SINGLE_LINE_FIELDS = frozenset(
    {
        "id",
        "title",
        "short_title",
        "unit",
        "unit_short",
        "threshold.source",
        "origin.producer",
        "origin.title",
        "origin.licence",
        "extract.method",
        "extract.source",
    }
)


def text_problems(record: object, file_name: str, path: str = "") -> list[Problem]:
    """Problems with the text of a metadata record: formulas and control characters.

    Titles, names and every other text of a record end up in spreadsheet downloads, so
    text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-`` or
    ``@``) is refused, as it is in data files; so are control and invisible characters
    (line breaks only in long free text such as a definition).
    """
    problems: list[Problem] = []
    if isinstance(record, dict):
        for key, value in record.items():
            problems += text_problems(value, file_name, f"{path}.{key}" if path else str(key))
    elif isinstance(record, list):
        for position, value in enumerate(record):
            problems += text_problems(value, file_name, f"{path}.{position}")
    elif isinstance(record, str):
        text = record.strip()
        if looks_like_formula(text):
            problems.append(Problem(file_name, None, path, formula_message(text)))
        refused = refused_character(text, allow_newlines=path not in SINGLE_LINE_FIELDS)
        if refused is not None:
            problems.append(Problem(file_name, None, path, f"holds {refused}; remove it"))
    return problems


class _RecordLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases.

    A record never needs them, and nested aliases can expand a kilobyte of text into
    gigabytes (the "billion laughs").
    """

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a metadata record; write the text out", event.start_mark
            )
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def parse_meta_yaml(text: str, file_name: str) -> IndicatorMeta:
    """Validate one metadata record given as YAML text.

    Raises
    ------
    DataValidationError
        With one problem per invalid field (the column is the field's path).
    """
    try:
        record = yaml.load(text, Loader=_RecordLoader)  # a safe loader, without aliases
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        what = " ".join(str(getattr(error, "problem", None) or error).split())  # one line, without YAML's caret
        column = f" (column {mark.column + 1})" if mark is not None else ""
        raise DataValidationError([Problem(file_name, row, None, f"is not valid YAML: {what}{column}")]) from None
    if not isinstance(record, dict):
        raise DataValidationError([Problem(file_name, None, None, "must be a YAML mapping of fields")])
    problems = text_problems(record, file_name)
    if problems:
        raise DataValidationError(problems)
    try:
        return IndicatorMeta.model_validate(record)
    except ValidationError as error:
        problems = [
            Problem(file_name, None, ".".join(str(part) for part in item["loc"]) or None, item["msg"])
            for item in error.errors()
        ]
        raise DataValidationError(problems) from None


def parse_meta_bytes(raw: bytes, file_name: str) -> IndicatorMeta:
    """Validate one metadata record given as the bytes of a file (an upload, or ``--meta``).

    Raises
    ------
    DataValidationError
        When the bytes are too many, not UTF-8 text, not YAML, or not a valid record; the
        problem names the file (and line or field).
    """
    if len(raw) > MAX_META_BYTES:
        message = f"is {len(raw):,} bytes; a metadata record is a few kilobytes: is it the right file?"
        raise DataValidationError([Problem(file_name, None, None, message)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = (
            f"is not UTF-8 text (byte {raw[error.start]:#x} at position {error.start}); "
            "save it as UTF-8 (in Notepad: Save as, Encoding UTF-8)"
        )
        raise DataValidationError([Problem(file_name, line, None, message)]) from None
    return parse_meta_yaml(text, file_name)


def read_meta_file(path: Path) -> IndicatorMeta:
    """Read and validate a metadata record file (``import --meta``).

    Raises
    ------
    DataValidationError
        When the file is missing, a folder or a device, too large, not UTF-8 text, not
        YAML, or not a valid record; the problem names the file (and line or field).
    """
    path = Path(path)
    name = path.name
    try:
        if path.is_dir():
            raise DataValidationError([Problem(name, None, None, f"{path} is a folder, not a YAML file")])
        if path.exists() and not path.is_file():  # a device or a pipe would be read for ever
            raise DataValidationError([Problem(name, None, None, f"{path} is not a regular file")])
        with open(path, "rb") as handle:
            raw = handle.read(MAX_META_BYTES + 1)
    except FileNotFoundError:
        raise DataValidationError([Problem(name, None, None, f"metadata file not found: {path}")]) from None
    except OSError as error:
        message = f"cannot be read ({error.strerror or error}); check it is a readable file"
        raise DataValidationError([Problem(name, None, None, message)]) from None
    return parse_meta_bytes(raw, name)


def meta_to_yaml(meta: IndicatorMeta) -> str:
    """Serialise a record as YAML, in the shape of the committed catalogue files.

    Raises
    ------
    DataValidationError
        When a text of the record would run as a spreadsheet formula or holds a control
        character (see :func:`text_problems`): such a record is never written.
    """
    record = meta.model_dump(mode="json", exclude_none=True)
    problems = text_problems(record, f"{meta.id}.yaml")
    if problems:
        raise DataValidationError(problems)
    return yaml.safe_dump(record, sort_keys=False, allow_unicode=True)


def version_meta(store: DataStore, version: str | None = None) -> dict[str, IndicatorMeta]:
    """Return the metadata records stored in a data version (empty when there are none)."""
    folder = store.version_dir(version)
    records: dict[str, IndicatorMeta] = {}
    for relative in store.recorded_files(f"{META_FOLDER}/", ".yaml", version):
        path = folder / relative
        records[path.stem] = parse_meta_yaml(path.read_text(encoding="utf-8"), path.name)
    return records


def catalogue_for(store: DataStore, version: str | None = None) -> dict[str, IndicatorMeta]:
    """The committed catalogue, extended and overridden by the data version's own records."""
    catalogue = dict(load_catalogue())
    if store.current_version() is None:
        return catalogue
    catalogue.update(version_meta(store, version))
    return catalogue


def meta_path(relative_id: str) -> str:
    """The path of a record inside a version, e.g. ``meta/local_sme_spend.yaml``."""
    return str(Path(META_FOLDER) / f"{relative_id}.yaml")
