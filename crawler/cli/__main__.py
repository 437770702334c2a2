"""`python -m crawler.cli`: the `oit` command."""
import sys

from crawler.cli import main

sys.exit(main())
