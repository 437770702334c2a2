"""Crawl progress as people and schedulers see it: a redrawn line on a terminal, plain lines in cron/CI."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import sys


def crawl(server, cwd, stderr, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", "--db", "p.sqlite", "crawl", server.start_url,
                             "--delay", "0", "--concurrency", "4", *extra],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=stderr, text=True)


def test_terminal_gets_one_redrawn_progress_line(site_server, tmp_path):
    server = site_server("compliant")
    primary, secondary = pty.openpty()
    proc = crawl(server, tmp_path, secondary, "-s", "OIT_PROGRESS_INTERVAL=0.2")
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:          # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    out, _ = proc.communicate(timeout=120)
    os.close(primary)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, terminal
    redraws = terminal.count("\r\x1b[K")
    assert redraws >= 2, terminal[-500:]
    assert "progress:" not in terminal
    last = terminal.rsplit("\r\x1b[K", 1)[1]
    pages = int(re.search(r"pages (\d+)", last).group(1))
    assert re.search(r"documents \d+ .*errors \d+ .*/s +\d\d:\d\d", last)
    assert f"{pages} pages" in out          # the final summary agrees with the last progress line
    assert re.search(r"^รอบ \d+ \(complete\).* / run \d+ \(complete\)", out)


def test_cron_gets_plain_periodic_lines(site_server, tmp_path):
    server = site_server("compliant")
    proc = crawl(server, tmp_path, subprocess.PIPE, "-s", "OIT_PROGRESS_LOG_INTERVAL=0.3")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    lines = [line for line in err.splitlines() if line.startswith("progress: ")]
    assert len(lines) >= 2 and "\r" not in err and "\x1b" not in err
    assert all(re.search(r"pages \d+ .*documents \d+ .*errors \d+", line) for line in lines)


def test_no_progress_flag_is_silent(site_server, tmp_path):
    server = site_server("compliant")
    proc = crawl(server, tmp_path, subprocess.PIPE, "--no-progress", "-s", "OIT_PROGRESS_LOG_INTERVAL=0.1")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "progress" not in err
