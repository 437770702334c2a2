"""The evidence model (RunEvidence, Resource, ...) and the SQLite store that holds it."""
