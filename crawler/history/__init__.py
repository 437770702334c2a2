"""Runs over time: score history, run-to-run diff, fiscal-year coverage diff, scheduled watch."""
