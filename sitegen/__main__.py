"""python -m sitegen serve SCENARIO [--port N] [--fiscal-year N] [--as-of D]
python -m sitegen write SCENARIO DIR
python -m sitegen list"""
from __future__ import annotations

import argparse
import sys
import time

from sitegen.scenarios import SCENARIOS, default_extra_files, generate
from sitegen.server import serve_pair


def _scenario_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--fiscal-year", type=int, default=2567, help="Buddhist Era fiscal year N")
    parser.add_argument("--as-of", help="YYYY-MM-DD (default: 30 June of the fiscal year)")
    parser.add_argument("--seed", type=int, default=0)


def _site(args):
    kw = {"fiscal_year": args.fiscal_year, "as_of": args.as_of, "seed": args.seed,
          "extra_files": default_extra_files()}
    return generate(args.scenario, **kw)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="serve a scenario on 127.0.0.1 until Ctrl-C")
    _scenario_args(serve_cmd)
    serve_cmd.add_argument("--port", type=int, default=0)
    write_cmd = commands.add_parser("write", help="write a scenario's files and manifest to a directory")
    _scenario_args(write_cmd)
    write_cmd.add_argument("directory")
    commands.add_parser("list", help="the scenarios")
    args = parser.parse_args(argv)

    if args.command == "list":
        for name, build in SCENARIOS.items():
            print(f"{name:22} {(build.__doc__ or '').strip().splitlines()[0]}")
        return 0
    started = time.perf_counter()
    site = _site(args)
    took = time.perf_counter() - started
    manifest = site.manifest
    if args.command == "write":
        print(site.write_to(args.directory))
        return 0
    with serve_pair(site, port=args.port) as server:
        print(f"{manifest.site_name} ({args.scenario}, FY {manifest.fiscal_year}, as of {manifest.as_of}): "
              f"{len(manifest.pages)} pages, {len(manifest.documents)} documents, generated in {took:.1f} s")
        print(server.start_url, flush=True)
        if server.second:
            print(f"second host: {server.second.url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
