"""The bench's measuring (sitegen/bench.py, sitegen/launch.py): each child's memory is its own."""
from __future__ import annotations

import sys
import textwrap

from sitegen.bench import Launcher, final_line

MB = 1024 * 1024


def test_a_childs_peak_memory_is_its_own_not_the_bench_processes(tmp_path):
    launcher = Launcher()           # started before the bench loads the site, as bench.main does
    try:
        site = bytearray(b"x") * (250 * MB)          # the bench holding the whole generated site
        small = launcher.run([sys.executable, "-c", "x = bytearray(b'x') * (40 * 2**20)"], log=tmp_path / "a.log")
        # A tree: a parent and a child holding 40 MB each at the same time.
        tree = textwrap.dedent("""
            import subprocess, sys, time
            x = bytearray(b'x') * (40 * 2**20)
            child = subprocess.Popen([sys.executable, "-c", "import time; y = bytearray(b'y') * (40 * 2**20); time.sleep(1.5)"])
            time.sleep(1.0)
            child.wait()
        """)
        both = launcher.run([sys.executable, "-c", tree], log=tmp_path / "b.log")
        del site
    finally:
        launcher.close()
    assert small["exit"] == 0 and both["exit"] == 0
    assert 40 <= small["peak_rss_mb"] < 100, small               # not the 250 MB of its launcher's parent
    assert 40 <= both["peak_rss_mb"] < 100, both                 # the largest process
    assert 80 <= both["peak_tree_rss_mb"] < 200 and both["processes"] == 2, both   # the tree at once
    # PSS: the same tree with the pages the two Pythons share counted once (the 80 MB are their own)
    assert 80 <= both["peak_tree_pss_mb"] < both["peak_tree_rss_mb"], both
    assert both["cpu_s"] > 0 and both["wall_s"] >= 1.0


def test_the_last_line_has_every_figure_and_a_dash_for_what_was_not_measured():
    results = {"pairs": {"ratio_wall": 1.234, "ratio_cpu": 2.5, "peak_rss_mb": 287.4, "peak_pss_mb": 230.6},
               "history": {"recrawl_bytes_pct": 0.712, "recrawl_s_run2": 8.04, "recrawl_s_run10": None}}
    assert final_line(results) == ("bench: ratio_wall=1.23 ratio_cpu=2.50 peak_rss_mb=287 peak_pss_mb=231 recrawl_bytes_pct=0.71 "
                                   "recrawl_s_run2=8.0 recrawl_s_run10=- hostile_peak_rss_mb=- hostile_inspect_peak_rss_mb=- "
                                   "audit12k_peak_mb=-")


def test_the_per_site_line_gives_cpu_seconds_and_megabytes_for_the_capacity_model():
    from sitegen.bench import per_site_line
    figures = {"requests": 2644, "crawl_cpu_s": 120.44, "recrawl_cpu_s": 40.0, "audit_cpu_s": 6.26,
               "received_bytes": 300 * 1024 * 1024, "recrawl_received_bytes": 2 * 1024 * 1024,
               "store_bytes": 50 * 1024 * 1024, "httpcache_bytes": None, "report_bytes": 3 * 1024 * 1024}
    assert per_site_line(figures) == (
        "bench per site: requests=2644 crawl_cpu_s=120.4 recrawl_cpu_s=40.0 audit_cpu_s=6.3 received_mb=300.0 "
        "recrawl_received_mb=2.00 store_mb=50.0 httpcache_mb=- report_mb=3.0")
    assert per_site_line(None).endswith("report_mb=-")


def test_a_process_that_ends_while_the_tree_is_looked_at_stops_nothing(monkeypatch):
    """pdftotext runs once per file: a process that ended between is_dir() and scandir() of its
    /proc/PID/task raised in the poller's thread, and the rest of that command went unmeasured."""
    from sitegen import launch

    def ended(self, pattern):
        raise FileNotFoundError(2, "No such file or directory", str(self))
    monkeypatch.setattr(launch.Path, "glob", ended)
    assert launch.descendants(12345) == [12345]
