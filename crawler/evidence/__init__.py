"""The evidence model (RunEvidence, Resource, ...), the failure kinds, and the SQLite store that holds them."""
