"""The command line: ``python -m cwb_metrics <command>`` for analysts and scripted checks.

Errors a user can cause print one clear message (no traceback) and exit non-zero.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from cwb_metrics.errors import CwbError, DataValidationError
from cwb_metrics.settings import data_dir, mirror_dir
from cwb_metrics.store import DataStore

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


def _store(args: argparse.Namespace) -> DataStore:
    return DataStore(data_dir(args.data_dir))


def _print_json(payload: object) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def cmd_refresh(args: argparse.Namespace) -> int:
    """Fetch every official source and build a new data version."""
    from cwb_metrics.areas.config import load_area_config
    from cwb_metrics.indicators.refresh import refresh

    store = _store(args)
    mirror = mirror_dir(args.mirror)
    if mirror is not None and not mirror.is_dir():
        raise CwbError(f"The mirror folder {mirror} does not exist.")
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
        print(f"Built data version {result.version}: {len(result.indicators)} indicators, "
              f"{len(result.tables)} tables, in {sum(result.seconds.values()):.1f} s.")  # fmt: skip
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
    if args.json:
        _print_json(portrait.as_dict())
        return EXIT_OK
    print(f"Doughnut portrait: {portrait.area_name} ({portrait.area_code}), period {portrait.period}, "
          f"data version {portrait.data_version}")  # fmt: skip
    current_ring = None
    for entry in portrait.entries:
        if entry.ring != current_ring:
            current_ring = entry.ring
            print("\n" + ("SOCIAL FOUNDATION" if current_ring == "social_foundation" else "ECOLOGICAL CEILING"))
        value = "-" if entry.value is None else f"{entry.value:,.{entry.decimals}f}"
        threshold = "-" if entry.threshold is None else f"{entry.threshold:g}"
        score = "" if entry.score is None else f"{entry.score:.2f}"
        print(f"  {entry.dimension_label:<22} {entry.short_title:<30} {entry.period_label or '':<12} "
              f"{value:>10} vs {threshold:<8} {entry.status:<10} {score}")  # fmt: skip
    return EXIT_OK


def cmd_area(args: argparse.Namespace) -> int:
    """Print an area's deprivation profile (IMD 2019 or 2025)."""
    from cwb_metrics.deprivation.profile import area_command_json, profile_sentences_for

    payload = area_command_json(args.name, args.imd, _store(args))
    if args.json:
        _print_json(payload)
        return EXIT_OK
    summary = payload["summary"]
    print(f"{payload['area']['name']} ({payload['area']['code']}), IMD {args.imd}: "
          f"{summary['lsoa_count']} LSOAs, {summary['most_deprived_10pct']} in England's most deprived 10%, "
          f"{summary['most_deprived_20pct']} in the most deprived 20%.")  # fmt: skip
    for sentence in profile_sentences_for(args.name, args.imd, _store(args)):
        print(f"  {sentence}")
    print(f"\n  {'LSOA':<10} {'name':<28} {'IMD rank':>9} {'decile':>6}")
    for lsoa in payload["lsoas"]:
        print(f"  {lsoa['code']:<10} {lsoa['name'] or '':<28} {lsoa['imd_rank']:>9} {lsoa['imd_decile']:>6}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a canonical indicator CSV; list every problem by row and column."""
    from cwb_metrics.indicators.catalogue import load_catalogue
    from cwb_metrics.indicators.validate import validate_canonical_file

    known_areas = None
    store = _store(args)
    if store.current_version() is not None:
        from cwb_metrics.areas.resolve import known_area_codes

        known_areas = known_area_codes(store)
    problems = validate_canonical_file(Path(args.file), known_areas=known_areas, catalogue=load_catalogue())
    if args.json:
        _print_json({"file": args.file, "valid": not problems, "problems": [p.as_dict() for p in problems]})
    elif problems:
        print(f"{args.file}: {len(problems)} problem(s):")
        for item in problems:
            print(f"  - {item}")
    else:
        print(f"{args.file}: valid.")
    return EXIT_PROBLEMS if problems else EXIT_OK


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

    for register in EXTRA_COMMANDS:
        register(commands, common)
    return parser


#: Functions ``(subparsers, common_parent) -> None`` adding further commands.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction, argparse.ArgumentParser], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
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
