"""The working group's kit: fix plan, ITA submission sheet, hand-checked overrides, inspect."""
