"""The command line: ``python -m cwb_metrics <command>`` for analysts and scripted checks.

Errors a user can cause print one clear message (no traceback) and exit non-zero.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cwb_metrics.errors import CwbError, DataValidationError
from cwb_metrics.settings import data_dir, mirror_dir
from cwb_metrics.store import DataStore

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


def _store(args: argparse.Namespace) -> DataStore:
    return DataStore(data_dir(args.data_dir))


def _print_json(payload: object) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def _mirror(args: argparse.Namespace) -> Path | None:
    """The mirror folder asked for (``--mirror`` or ``$CWB_MIRROR``), checked to be a folder."""
    mirror = mirror_dir(getattr(args, "mirror", None))
    if mirror is None or mirror.is_dir():
        return mirror
    what = "is a file, not a folder" if mirror.exists() else "does not exist"
    raise CwbError(f"The mirror folder {mirror} {what}: give the folder of downloaded files with --mirror "
                   "(or CWB_MIRROR), or leave it out to download from the publishers.")  # fmt: skip


def cmd_refresh(args: argparse.Namespace) -> int:
    """Fetch every official source and build a new data version."""
    from cwb_metrics.areas.config import load_area_config
    from cwb_metrics.build.refresh import refresh

    store = _store(args)
    mirror = _mirror(args)
    where = f"the mirror {mirror}" if mirror else "the official publishers' URLs"
    print(f"Refreshing {store.root} from {where} ...", file=sys.stderr)
    result = refresh(store, load_area_config(), mirror=mirror, on_step=_step_printer(args))
    summary = {
        "version": result.version,
        "data_dir": str(store.root),
        "indicators": result.indicators,
        "tables": result.tables,
        "skipped": result.skipped,
        "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
    }
    if args.json:
        _print_json(summary)
    else:
        print(
            f"Built data version {result.version}: {len(result.indicators)} indicators, "
            f"{len(result.tables)} tables, in {sum(result.seconds.values()):.1f} s."
        )
        for indicator_id, reason in result.skipped.items():
            print(f"  skipped {indicator_id}: {reason}")
    return EXIT_OK


def _step_printer(args: argparse.Namespace) -> Callable[[str], None]:
    def show(text: str) -> None:
        if not args.json and args.verbose:
            print(f"  {text}", file=sys.stderr)

    return show


def cmd_portrait(args: argparse.Namespace) -> int:
    """Print the Doughnut portrait of an area."""
    from cwb_metrics.portrait.for_area import portrait_for

    portrait = portrait_for(_store(args), args.area, period=args.period)
    portrait.require_period_data()
    if args.json:
        _print_json(portrait.as_dict())
        return EXIT_OK
    print(
        f"Doughnut portrait: {portrait.area_name} ({portrait.area_code}), period {portrait.period}, "
        f"data version {portrait.data_version}"
    )
    current_ring = None
    for entry in portrait.entries:
        if entry.ring != current_ring:
            current_ring = entry.ring
            print("\n" + ("SOCIAL FOUNDATION" if current_ring == "social_foundation" else "ECOLOGICAL CEILING"))
        value = "-" if entry.value is None else f"{entry.value:,.{entry.decimals}f}"
        threshold = "-" if entry.threshold is None else f"{entry.threshold:g}"
        score = "" if entry.score is None else f"{entry.score:.2f}"
        print(
            f"  {entry.dimension_label:<22} {entry.short_title:<30} {entry.period_label or '':<12} "
            f"{value:>10} vs {threshold:<8} {entry.status:<10} {score}"
        )
    counts = portrait.counts()
    print("\n" + ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items()))
    return EXIT_OK


def cmd_area(args: argparse.Namespace) -> int:
    """Print an area's deprivation profile (IMD 2019 or 2025)."""
    from cwb_metrics.deprivation.profile import area_command_json, profile_sentences_for

    payload = area_command_json(args.name, args.imd, _store(args))
    if args.json:
        _print_json(payload)
        return EXIT_OK
    summary = payload["summary"]
    print(
        f"{payload['area']['name']} ({payload['area']['code']}), IMD {args.imd}: "
        f"{summary['lsoa_count']} LSOAs, {summary['most_deprived_10pct']} in England's most deprived 10%, "
        f"{summary['most_deprived_20pct']} in the most deprived 20%."
    )
    for sentence in profile_sentences_for(args.name, args.imd, _store(args)):
        print(f"  {sentence}")
    print(f"\n  {'LSOA':<10} {'name':<28} {'IMD rank':>9} {'decile':>6}")
    for lsoa in payload["lsoas"]:
        print(f"  {lsoa['code']:<10} {lsoa['name'] or '':<28} {lsoa['imd_rank']:>9} {lsoa['imd_decile']:>6}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a canonical indicator CSV; list every problem by row and column."""
    from cwb_metrics.build.local_meta import catalogue_for
    from cwb_metrics.indicators.catalogue import load_catalogue
    from cwb_metrics.indicators.validate import validate_canonical_file

    store = _store(args)
    catalogue = catalogue_for(store) if store.current_version() else load_catalogue()
    problems = validate_canonical_file(Path(args.file), known_areas=_known_areas(store), catalogue=catalogue)
    if args.json:
        _print_json({"file": args.file, "valid": not problems, "problems": [p.as_dict() for p in problems]})
    elif problems:
        print(f"{args.file}: {len(problems)} problem(s):")
        for item in problems:
            print(f"  - {item}")
    else:
        print(f"{args.file}: valid.")
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Validate a file, show what it changes, and (unless --dry-run) import it as a new version."""
    from cwb_metrics.areas.config import load_area_config
    from cwb_metrics.build.importer import apply_import, plan_import
    from cwb_metrics.build.local_meta import read_meta_file

    store = _store(args)
    new_meta = read_meta_file(Path(args.meta)) if args.meta else None
    plan = plan_import(
        store,
        Path(args.file),
        load_area_config(),
        indicator_id=args.indicator,
        new_meta=new_meta,
        known_areas=_known_areas(store),
        mode=args.mode,
    )
    if plan.problems:
        if args.json:
            _print_json({"file": plan.file_name, "valid": False, "problems": [p.as_dict() for p in plan.problems]})
        else:
            print(f"{plan.file_name}: {len(plan.problems)} problem(s); nothing was changed:")
            for item in plan.problems:
                print(f"  - {item}")
        return EXIT_PROBLEMS
    version = None if args.dry_run else apply_import(store, plan, who=args.who)
    if args.json:
        _print_json(
            {
                "file": plan.file_name,
                "indicator": plan.indicator_id,
                "valid": True,
                "dry_run": args.dry_run,
                "version": version,
                "diff": plan.diff.as_dict(),
            }
        )
        return EXIT_OK
    print(f"{plan.file_name} -> {plan.indicator_id} ({plan.file_format} format, {len(plan.rows)} rows)")
    for line in plan.diff.summary_lines():
        print(f"  {line}")
    print("Dry run: nothing was changed." if args.dry_run else f"Imported as data version {version}.")
    return EXIT_OK


def cmd_rollback(args: argparse.Namespace) -> int:
    """Make an earlier data version current again (as a new version, so history is kept)."""
    from cwb_metrics.build.importer import rollback

    store = _store(args)
    version = rollback(store, args.version, who=args.who)
    if args.json:
        _print_json({"version": version, "based_on": store.manifest(version)["based_on"]})
    else:
        print(f"Rolled back: new data version {version} is a copy of {store.manifest(version)['based_on']}.")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    """List every data version with who made it, when and from what."""
    history = _store(args).history()
    if args.json:
        _print_json(history)
        return EXIT_OK
    if not history:
        print("No data versions yet.")
    for entry in history:
        mark = "*" if entry["current"] else " "
        state = f"  [{entry['state']}]" if entry["state"] in ("abandoned", "damaged") else ""
        print(f"{mark} {entry['version']}  {entry['kind']:<8} {entry['created']}  {entry['who']:<12} {entry['note']}"
              f"{state}")  # fmt: skip
    return EXIT_OK


def cmd_briefing(args: argparse.Namespace) -> int:
    """Write an area's one-page councillor briefing as PDF, PNG, SVG or HTML."""
    from cwb_metrics.briefing import write_briefing

    briefing, size = write_briefing(_store(args), args.area, Path(args.output), fmt=args.format, period=args.period)
    if args.json:
        _print_json(
            {
                "file": args.output,
                "area": {"code": briefing.area_code, "name": briefing.area_name, "kind": briefing.area_kind},
                "period": briefing.period,
                "data_version": briefing.data_version,
                "bytes": size,
            }
        )
    else:
        print(f"Wrote the briefing of {briefing.area_name} ({briefing.period_text.lower()}, data version "
              f"{briefing.data_version}) to {args.output} ({size:,} bytes).")  # fmt: skip
    return EXIT_OK


def _source_paths(args: argparse.Namespace, source_ids: Sequence[str], required: Sequence[str]) -> dict[str, Path]:
    """Fetch the named sources (mirror or download) for commands that read national files."""
    from cwb_metrics.errors import SourceUnavailableError
    from cwb_metrics.sources.fetch import fetch
    from cwb_metrics.sources.registry import load_sources

    sources = load_sources()
    mirror = _mirror(args)
    paths: dict[str, Path] = {}
    for source_id in source_ids:
        try:
            paths[source_id] = fetch(sources[source_id], mirror=mirror, downloads_dir=_store(args).downloads_dir).path
        except SourceUnavailableError:
            if source_id in required:
                raise
    return paths


def cmd_init_area(args: argparse.Namespace) -> int:
    """Write the area configuration of an English council from the ONS lookups."""
    from cwb_metrics.areas.config import load_area_config
    from cwb_metrics.areas.init_area import WARD_SOURCES, build_area_config, write_area_config
    from cwb_metrics.areas.national import NATIONAL_SOURCES, REQUIRED_SOURCES
    from cwb_metrics.output_file import check_output_path

    output = check_output_path(args.output, make_folder=True)  # before reading the national lookups
    keep = None
    if output.exists():
        if not args.force:
            raise CwbError(f"{output} exists: add --force to rewrite it (its neighbourhoods are kept).")
        keep = load_area_config(path=output)
    paths = _source_paths(args, [*NATIONAL_SOURCES, *WARD_SOURCES], REQUIRED_SOURCES)
    config = build_area_config(args.code, paths, area_id=args.id)
    if keep is not None and keep.county_code != config.county_code:
        raise CwbError(f"{output} is the configuration of {keep.county_name} ({keep.county_code}), not {args.code}.")
    write_area_config(config, output, keep_neighbourhoods_from=keep)
    assert config.geography is not None
    current = config.geography.lsoa21
    summary: dict[str, Any] = {
        "file": str(output),
        "id": keep.id if keep else config.id,
        "code": config.county_code,
        "name": config.county_name,
        "kind": config.geography_kind,
        "districts": [{"code": d.code, "name": d.name, "predecessors": d.predecessors} for d in config.districts],
        "comparators": [{"code": c.code, "name": c.name} for c in config.comparators],
        "police_force_area": None if config.police_force_area is None else config.police_force_area.model_dump(),
        "lsoa11": len(config.geography.lsoa11.lsoas()),
        "lsoa21": len(config.geography.lsoa21.lsoas()),
        "wards_2019": len(config.geography.lsoa11.wards),
        "wards_current": {
            "count": len(config.geography.lsoa21.wards),
            "vintage": config.geography.lsoa21.ward_vintage,
            "method": config.geography.lsoa21.method,
        },
    }
    if args.json:
        _print_json(summary)
    else:
        print(
            f"Wrote {output}: {config.county_name} ({config.county_code}, {config.geography_kind}), "
            f"{len(config.districts)} district(s), {summary['lsoa11']} LSOAs 2011 in {summary['wards_2019']} May 2019 "
            f"wards, {summary['lsoa21']} LSOAs 2021 in {len(current.wards)} "
            f"{current.ward_vintage} wards ({current.method.replace('_', ' ')})."
        )
        if config.police_force_area is None and (keep is None or keep.police_force_area is None):
            print("police_force_area is left for you to add (no district to police force area lookup): see the file.")
        print(f"Use it with: CWB_AREAS={output} python -m cwb_metrics refresh --mirror DIR")
    return EXIT_OK


def cmd_neighbours(args: argparse.Namespace) -> int:
    """List the ONS similar areas (statistical neighbours) of a council."""
    from cwb_metrics.compare.neighbours import NAME_SOURCES, NEIGHBOUR_SOURCES, load_similar_areas

    paths = _national_paths(args, [*NEIGHBOUR_SOURCES.values(), *NAME_SOURCES], [NEIGHBOUR_SOURCES[args.kind]])
    similar = load_similar_areas(paths, args.kind)
    code = similar.find(args.area)
    neighbours = similar.neighbours(code)
    if args.json:
        _print_json([n.as_dict() for n in neighbours])
        return EXIT_OK
    print(f"ONS similar areas of {similar.name(code)} ({code}), {args.kind} list, most similar first:")
    for neighbour in neighbours:
        print(f"  {neighbour.rank:>2}. {neighbour.name} ({neighbour.code})")
    return EXIT_OK


def _national_paths(args: argparse.Namespace, source_ids: Sequence[str], required: Sequence[str]) -> dict[str, Path]:
    """Sources from the mirror when one is given, else the current data version's files, else downloads."""
    store = _store(args)
    if mirror_dir(getattr(args, "mirror", None)) is None and store.current_version() is not None:
        from cwb_metrics.compare.league import version_source_paths

        paths = {k: v for k, v in version_source_paths(store, check=False).items() if k in source_ids}
        if all(r in paths for r in required):
            return paths
    return _source_paths(args, source_ids, required)


def cmd_league(args: argparse.Namespace) -> int:
    """Rank every English council on the Doughnut from the data version's national files."""
    from cwb_metrics.compare.league import build_league, load_league

    store = _store(args)
    league = build_league(store) if args.rebuild else load_league(store)
    assert league is not None
    if args.json:
        _print_json(league.as_dict())
        return EXIT_OK
    dimension = args.dimension or next(iter(league.dimension_labels))
    if dimension not in league.dimension_labels:
        raise CwbError(f"No dimension {dimension!r} in the league; it has {', '.join(league.dimension_labels)}.")
    ranked = sorted(
        (a for a in league.areas if a.kind != "county" and a.dimensions[dimension].rank is not None),
        key=lambda a: a.dimensions[dimension].rank or 0,
    )
    print(
        f"League of {len(league.areas)} councils, data version {league.version} "
        f"(built in {league.seconds:.0f} s); {league.dimension_labels[dimension]}, rank 1 = smallest gap:"
    )
    for area in ranked[:5] + ranked[-5:]:
        rank = area.dimensions[dimension]
        print(f"  {rank.rank:>3}/{rank.of} {area.name:<32} score {rank.score:.3f}  ({area.code})")
    return EXIT_OK


def cmd_imd_change(args: argparse.Namespace) -> int:
    """List an area's LSOAs 2011 -> 2021 with their IMD 2019 and 2025 ranks and deciles."""
    from cwb_metrics.areas.config import load_area_config
    from cwb_metrics.areas.resolve import resolve_area
    from cwb_metrics.deprivation.change import CHANGE_CAVEAT
    from cwb_metrics.deprivation.crosswalk import area_crosswalk, crosswalk_records

    store = _store(args)
    area = resolve_area(args.area, store, load_area_config())
    lsoas = crosswalk_records(area_crosswalk(store, area, args.index))
    if args.json:
        _print_json(
            {
                "area": {"code": area.code, "name": area.name, "kind": area.kind},
                "index": args.index,
                "lsoas": lsoas,
                "caveat": CHANGE_CAVEAT,
            }
        )
        return EXIT_OK
    print(f"{area.name} ({area.code}): {len(lsoas)} LSOA pairs, {args.index} rank and decile, 2019 -> 2025")
    print(f"  {'LSOA 2011':<10} {'LSOA 2021':<10} {'relationship':<12} {'rank 2019':>9} {'rank 2025':>9} decile")
    for row in lsoas:
        ranks = " ".join(f"{'-' if row[k] is None else row[k]:>9}" for k in ("rank_2019", "rank_2025"))
        deciles = " -> ".join("-" if row[k] is None else str(row[k]) for k in ("decile_2019", "decile_2025"))
        print(f"  {row['lsoa11'] or '-':<10} {row['lsoa21']:<10} {row['relationship']:<12} {ranks} {deciles}")
    print(f"\n{CHANGE_CAVEAT}")
    return EXIT_OK


def cmd_actions(args: argparse.Namespace) -> int:
    """List the CWB action plan with each action's status and linked indicators."""
    from cwb_metrics.actions.load import configured_plan, load_actions
    from cwb_metrics.areas.config import load_area_config

    store = _store(args)
    plan = load_actions(store if store.current_version() else None, configured_plan(load_area_config()))
    actions = [
        {
            "number": a.number,
            "theme": a.theme,
            "action": a.text,
            "status": a.status,
            "resources": a.resources,
            "indicators": list(a.indicators),
        }
        for a in plan.actions
    ]
    if args.json:
        _print_json(actions)
        return EXIT_OK
    print(f"{plan.title} ({plan.publisher}, {plan.period}): {len(actions)} actions")
    for action in actions:
        linked = ", ".join(action["indicators"]) or "no indicator"
        print(f"  {action['number']:<7} {action['status']:<16} {action['theme']}: {action['action'][:90]}")
        print(f"          indicators: {linked}")
    return EXIT_OK


def _known_areas(store: DataStore) -> set[str] | None:
    if store.current_version() is None:
        return None
    from cwb_metrics.areas.known import known_area_codes

    return known_area_codes(store)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m cwb_metrics``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="data folder (default: $CWB_DATA_DIR or ./data)")
    common.add_argument("--json", action="store_true", help="print machine-readable JSON")
    common.add_argument("-v", "--verbose", action="store_true", help="print each step")

    parser = argparse.ArgumentParser(
        prog="python -m cwb_metrics",
        description="Doughnut portrait and community-wealth-building metrics from official data.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    refresh = commands.add_parser("refresh", parents=[common], help="download official sources and rebuild the data")
    refresh.add_argument("--mirror", help="read sources from this folder instead of downloading ($CWB_MIRROR)")
    refresh.set_defaults(handler=cmd_refresh)

    portrait = commands.add_parser("portrait", parents=[common], help="the Doughnut portrait of an area")
    portrait.add_argument("--area", required=True, help="area name or GSS code, e.g. Oxford or E07000178")
    portrait.add_argument("--period", default="latest", help="'latest' (default), a year, or an ONS period")
    portrait.set_defaults(handler=cmd_portrait)

    area = commands.add_parser("area", parents=[common], help="an area's deprivation profile by LSOA")
    area.add_argument("--name", required=True, help="area name or code, e.g. 'Blackbird Leys'")
    area.add_argument("--imd", type=int, choices=(2019, 2025), default=2025, help="IMD edition")
    area.set_defaults(handler=cmd_area)

    validate = commands.add_parser("validate", parents=[common], help="check a canonical indicator CSV")
    validate.add_argument("file", help="the CSV file to check")
    validate.set_defaults(handler=cmd_validate)

    importer = commands.add_parser("import", parents=[common], help="import an indicator CSV as a new data version")
    importer.add_argument("file", help="canonical tidy CSV, or a publisher's own format (ONS Explore Local Statistics)")
    importer.add_argument("--indicator", help="the indicator id the file updates (inferred for canonical files)")
    importer.add_argument("--meta", help="YAML metadata record of a new local indicator")
    importer.add_argument(
        "--mode",
        choices=("replace", "merge"),
        default="replace",
        help="replace the indicator's rows (default) or merge new and revised rows into them",
    )
    importer.add_argument("--dry-run", action="store_true", help="validate and show the changes; write nothing")
    importer.add_argument("--who", help="recorded as the importer (default: the OS user)")
    importer.set_defaults(handler=cmd_import)

    rollback = commands.add_parser("rollback", parents=[common], help="make an earlier data version current again")
    rollback.add_argument("version", help="version id or unique prefix, e.g. v0003")
    rollback.add_argument("--who", help="recorded as the author (default: the OS user)")
    rollback.set_defaults(handler=cmd_rollback)

    history = commands.add_parser("history", parents=[common], help="list the data versions and their provenance")
    history.set_defaults(handler=cmd_history)

    init_area = commands.add_parser(
        "init-area", parents=[common], help="write the area configuration of any English council"
    )
    init_area.add_argument("--code", required=True, help="council code: county E10, unitary E06, E08, E09 or E07")
    init_area.add_argument("-o", "--output", required=True, help="the YAML file to write, e.g. cornwall.yaml")
    init_area.add_argument("--id", help="the configuration's id (default: the council's name, e.g. cornwall)")
    init_area.add_argument("--mirror", help="read the lookups from this folder instead of downloading ($CWB_MIRROR)")
    init_area.add_argument(
        "--force",
        action="store_true",
        help="rewrite an existing file (keeping its neighbourhoods, police force area and action plan)",
    )
    init_area.set_defaults(handler=cmd_init_area)

    neighbours = commands.add_parser("neighbours", parents=[common], help="the ONS similar areas of a council")
    neighbours.add_argument("--area", required=True, help="council name or code, e.g. Oxford or E07000178")
    neighbours.add_argument(
        "--kind", choices=("global", "economic", "demographic"), default="global",
        help="which ONS list: global (all indicators, the one ONS shows first), economic or demographic",
    )  # fmt: skip
    neighbours.add_argument("--mirror", help="read the ONS files from this folder ($CWB_MIRROR)")
    neighbours.set_defaults(handler=cmd_neighbours)

    league = commands.add_parser("league", parents=[common], help="every English council ranked on the Doughnut")
    league.add_argument("--dimension", help="the dimension listed without --json (default: the first)")
    league.add_argument("--rebuild", action="store_true", help="recompute even if cached for this data version")
    league.set_defaults(handler=cmd_league)

    briefing = commands.add_parser("briefing", parents=[common], help="a one-page councillor briefing of an area")
    briefing.add_argument("--area", required=True, help="area name or code, e.g. Oxfordshire or 'Blackbird Leys'")
    briefing.add_argument("--period", default="latest", help="'latest' (default), a year, or an ONS period")
    briefing.add_argument(
        "--format", choices=("pdf", "png", "svg", "html"), help="file format (default: from the file name)"
    )
    briefing.add_argument("-o", "--output", required=True, help="the file to write, e.g. briefing.pdf")
    briefing.set_defaults(handler=cmd_briefing)

    imd_change = commands.add_parser(
        "imd-change", parents=[common], help="an area's LSOAs 2011 -> 2021 with IMD 2019 and 2025 ranks"
    )
    imd_change.add_argument("--area", required=True, help="area name or code, e.g. 'Blackbird Leys' or E07000178")
    imd_change.add_argument("--index", default="imd", help="imd (default) or a domain, e.g. income")
    imd_change.set_defaults(handler=cmd_imd_change)

    actions = commands.add_parser("actions", parents=[common], help="the CWB action plan: status and indicators")
    actions.set_defaults(handler=cmd_actions)
    return parser


#: Exit status of a command whose reader went away (``... | head -1``): 128 + SIGPIPE, as a shell reports it.
EXIT_BROKEN_PIPE = 141


def _quiet_broken_pipe() -> int:
    """The reader of stdout went away: stop quietly (the Python documentation's recipe).

    Point stdout at /dev/null so that the interpreter's last flush at exit cannot fail again.
    """
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def _os_error_text(error: OSError) -> str:
    where = f" ({error.filename})" if error.filename else ""
    return f"{error.strerror or error}{where}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Every error a user or the disk can cause prints one line on stderr (no traceback) and
    exits non-zero: 1 for problems in an input file, 2 for other errors, 130 when
    interrupted, 141 when the reader of the output goes away (``| head -1``).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.handler(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except DataValidationError as error:
        if getattr(args, "json", False):
            _print_json({"error": "validation", "problems": [p.as_dict() for p in error.problems]})
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except CwbError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted: nothing was changed.", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"error: {_os_error_text(error)}. Nothing was changed.", file=sys.stderr)
        return EXIT_ERROR
