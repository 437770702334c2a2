"""Measurements of the verdicts on labelled real material (documents, phrasing; `make eval`). Not imported by runtime code."""
