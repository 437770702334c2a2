"""Report writers: report.json -> report.html, report.xlsx, items.csv, report.md; the diff and
submission-sheet files (reports/writer.py is the interface)."""
