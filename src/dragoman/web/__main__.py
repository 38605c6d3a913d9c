"""``python -m dragoman.web STORE [--host H] [--port P]``: run the explorer.

The write token, if any, is read from the ``DRAGOMAN_WRITE_TOKEN`` environment
variable so that it does not appear in the process list.
"""

from __future__ import annotations

import argparse
import os

from dragoman.web.app import serve


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m dragoman.web", description=__doc__)
    parser.add_argument("store", help="DuckDB store file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    serve(
        args.store,
        host=args.host,
        port=args.port,
        write_token=os.environ.get("DRAGOMAN_WRITE_TOKEN") or None,
    )


if __name__ == "__main__":
    main()
