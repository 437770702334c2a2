"""`python -m evaluation`: precision and recall of phrase matching on real wording, then (when that
module exists) the real-document labels of evaluation.documents."""
from __future__ import annotations

import sys

from evaluation import phrasing


def main(argv: list[str] | None = None) -> int:
    code = phrasing.main(argv)
    try:
        from evaluation import documents
    except ImportError:
        documents = None
    if documents is not None and hasattr(documents, "main"):
        print()
        code = max(code, documents.main() or 0)
    return code


if __name__ == "__main__":
    sys.exit(main())
