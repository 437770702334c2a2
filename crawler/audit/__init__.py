"""The judge: checklist loading, check primitives, the audit of stored evidence, and scoring."""
