"""``python -m dragoman.knowledge {verbs,actors,all} [--source DIR] [--out DIR]``.

Runs the dictionary converters of this package (see :data:`dragoman.knowledge.CONVERTERS`).
``all`` runs every converter that is installed, each writing to its own default folder.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from dragoman.knowledge import CONVERTERS

#: Where the PETRARCH2 dictionaries are expected, relative to the repository root.
DEFAULT_SOURCE = Path("..") / "shared" / "data" / "petrarch2"


def _converter(name: str):
    return importlib.import_module(f"dragoman.knowledge.{CONVERTERS[name]}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dragoman.knowledge",
        description="Convert the PETRARCH2 dictionaries into Dragoman data files.",
    )
    parser.add_argument("command", choices=[*CONVERTERS, "all"], help="what to convert")
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help=f"folder of the PETRARCH2 dictionary files (default: {DEFAULT_SOURCE})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: the converter's packaged folder; not with 'all')",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.source.is_dir():
        print(f"error: source folder {args.source} not found", file=sys.stderr)
        return 2
    if args.command == "all":
        if args.out is not None:
            print("error: --out is for one converter, not 'all'", file=sys.stderr)
            return 2
        names = list(CONVERTERS)
    else:
        names = [args.command]
    for name in names:
        try:
            module = _converter(name)
        except ModuleNotFoundError as exc:
            if args.command == "all" and exc.name == f"dragoman.knowledge.{CONVERTERS[name]}":
                print(f"{name}: converter not installed, skipped")
                continue
            raise
        print(f"{name}:")
        for line in module.run(args.source, args.out):
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
