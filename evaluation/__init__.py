"""Measurements of the verdicts on labelled real material (documents, phrasing)."""
