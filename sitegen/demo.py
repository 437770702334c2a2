"""`make demo`: audit the bundled demo district site, served on 127.0.0.1, and print the score.

The demo site is a generated replica of สำนักงานเขตสัมพันธวงศ์ in the state the founding document
describes for fiscal year 2567 (sitegen, scenario samphanthawong_2567). It is served on loopback,
crawled by the real spider into a fresh evidence store, audited against checklists/bma-district-2567.yaml
as of 30 June 2024 with the seed's survey scores, and every report is written to demo-out/.

    python -m sitegen.demo [--out DIR] [--scenario NAME] [--keep-serving]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sitegen import SCENARIOS, cached, serve_pair

# The founding document's survey parts for Samphanthawong, FY 2567 (IIT indicators 1-5, EIT 6-8).
SEED_SURVEY = """\
# ผลการประเมิน IIT และ EIT ของสำนักงานเขตสัมพันธวงศ์ ปีงบประมาณ 2567 (จากเอกสารตั้งต้น)
iit: {1: 99.84, 2: 95.18, 3: 97.26, 4: 99.90, 5: 94.45}
eit: {6: 97.88, 7: 95.24, 8: 95.82}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("demo-out"), help="folder for the reports")
    parser.add_argument("--scenario", default="samphanthawong_2567", choices=sorted(SCENARIOS))
    parser.add_argument("--keep-serving", action="store_true",
                        help="keep the demo site running afterwards, to open it in a browser")
    args = parser.parse_args(argv)

    from crawler.cli import main as oit

    cache = Path(tempfile.gettempdir()) / "oit-sitegen-cache"
    cache.mkdir(parents=True, exist_ok=True)
    site = cached(args.scenario, cache)
    fiscal_year, as_of = site.manifest.fiscal_year, site.manifest.as_of
    server = serve_pair(site)
    print(f"demo site: {server.start_url}  ({site.manifest.site_name}, "
          f"FY {fiscal_year}, as of {as_of})", flush=True)

    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    survey = args.out / "survey.yaml"
    survey.write_text(SEED_SURVEY, encoding="utf-8")
    db = args.out / "evidence.sqlite"
    try:
        code = oit(["--db", str(db), "audit", server.start_url, "--fiscal-year", str(fiscal_year),
                    "--as-of", as_of, "--out", str(args.out), "--survey", str(survey),
                    "--delay", "0", "--concurrency", "8"])
        print(f"evidence store: {db}  (re-audit without the network: "
              f"oit --db {db} audit --run 1 --fiscal-year {fiscal_year} --as-of {as_of})")
        if args.keep_serving:
            print("serving the demo site; Ctrl-C to stop")
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        code = 0
    finally:
        server.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
