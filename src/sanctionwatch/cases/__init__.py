"""Ongoing monitoring: the customer book, its alerts, their decisions and the append-only audit trail.

* ``schema``: the case tables (SQLAlchemy Core, created by migration ``0003_cases``).
* ``book``: importing customers from CSV, incrementally (new, changed, unchanged, removed).
* ``screening``: screening the active book, opening or suppressing alerts.
* ``alerts``: the alert states and their four-eyes transitions.
* ``audit``: the append-only audit log and its CSV export; ``report``: the per-alert HTML report.
"""

__all__: list[str] = []
