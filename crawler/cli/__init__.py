"""The `oit` command line: main entry point and its sub-commands (crawl, audit, history, kit)."""
from crawler.cli.main import main

__all__ = ["main"]
