"""Demo dashboards: the summary tables rebuilt over the demo data (the periodic task keeps them fresh after).

Call it at the very END of the demo seed (after seed_evaluation), so every app's demo data is counted:

    from smartcourt.analytics.demo import seed_dashboards
    seed_dashboards()

Idempotent: a rebuild replaces the tables.
"""

from __future__ import annotations

from smartcourt.analytics.facts import refresh_facts


def seed_dashboards() -> None:
    refresh_facts()
