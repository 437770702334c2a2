"""Measurements of the audit on material nobody here wrote (`make eval`). Not imported by runtime code."""
