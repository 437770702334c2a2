"""The judge: checklist loading, check primitives, the audit of stored evidence, scoring, statuses."""
