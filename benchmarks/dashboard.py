"""Dashboard query time against a bare COUNT(*) over the same tables, same run, same database.

    .venv/bin/python benchmarks/dashboard.py          # SMARTCOURT_BENCH_CASES=10000 for a quick run

Seeds the synthetic court (smartcourt.analytics.synthetic: by default 100,000 cases with their node records
and audit events) in a throw-away database, rebuilds the summary tables, then times, in interleaved rounds:
  - each dashboard panel as the court administrator sees it (all years, then one year), and the whole page's
    queries (six panels + totals + filter choices);
  - the same for a judge (his own cases);
  - SELECT COUNT(*) over the summary tables the panels read, and over the live tables they summarise.
Prints medians and the ratio page / COUNT(*). Aim (issue 10): the page's queries under one second.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from _evidence_bench import bench_database, env_int, machine

ROUNDS = 5


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    cases = env_int("SMARTCOURT_BENCH_CASES", 100_000)
    with bench_database() as database:
        from django.db import connection

        from smartcourt.analytics.facts import refresh_facts
        from smartcourt.analytics.selectors import PANELS, Filters, court_choices, dashboard, totals, year_choices
        from smartcourt.analytics.synthetic import seed
        from smartcourt.audit.actions import ensure_head

        print(f"machine: {machine()}")
        print(f"database: {database}")
        ensure_head()
        started = time.perf_counter()
        seeded = seed(cases=cases)
        print(f"seeded in {time.perf_counter() - started:.1f} s: {seeded.counts}")
        for name, seconds in seeded.seconds.items():
            print(f"  {name}: {seconds:.1f} s")
        refresh = refresh_facts()
        print(f"summary tables rebuilt in {refresh.seconds:.1f} s ({refresh.cases} cases)")
        year = max(year_choices(seeded.admin))

        def page(user: object, filters: object) -> None:
            dashboard(user, filters)  # type: ignore[arg-type]
            totals(user, filters)  # type: ignore[arg-type]
            court_choices(user)  # type: ignore[arg-type]
            year_choices(user)  # type: ignore[arg-type]

        def count(table: str) -> Callable[[], object]:
            def run() -> object:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT COUNT(*) FROM {table}")
                    return cursor.fetchone()

            return run

        judge = seeded.judges[0]
        jobs: dict[str, Callable[[], object]] = {
            "page, court admin, all years": lambda: page(seeded.admin, Filters()),
            f"page, court admin, {year}": lambda: page(seeded.admin, Filters(year=year)),
            "page, judge, all years": lambda: page(judge, Filters()),
            "COUNT(*) analytics_casefact": count("analytics_casefact"),
            "COUNT(*) analytics_nodefact": count("analytics_nodefact"),
            "COUNT(*) cases_case": count("cases_case"),
            "COUNT(*) bankruptcy_noderecord": count("bankruptcy_noderecord"),
            "COUNT(*) audit_auditevent": count("audit_auditevent"),
        }
        for key, build in PANELS.items():
            jobs[f"panel {key}, court admin"] = lambda build=build: build(seeded.admin, Filters())  # type: ignore[misc]
        samples: dict[str, list[float]] = {name: [] for name in jobs}
        for _round in range(ROUNDS):
            for name, job in jobs.items():
                samples[name].append(timed(job))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        width = max(len(name) for name in medians)
        print(f"\nmedian of {ROUNDS} rounds:")
        for name, value in medians.items():
            print(f"  {name:<{width}}  {value * 1000:9.1f} ms")
        summary_count = medians["COUNT(*) analytics_casefact"] + medians["COUNT(*) analytics_nodefact"]
        live_count = (
            medians["COUNT(*) cases_case"]
            + medians["COUNT(*) bankruptcy_noderecord"]
            + medians["COUNT(*) audit_auditevent"]
        )
        whole = medians["page, court admin, all years"]
        print(
            f"\npage (court admin, all years) / COUNT(*) of the summary tables it reads: {whole / summary_count:.1f}x"
        )
        print(f"page (court admin, all years) / COUNT(*) of the live tables summarised:   {whole / live_count:.2f}x")
        print(f"page under one second: {'yes' if whole < 1 else 'NO'} ({whole * 1000:.0f} ms)")

        # The evaluation of one firm (reads its cases' audit events and node records; not a page, a computation
        # a judge starts): how long for a firm with 1/20 of the court's cases.
        from smartcourt.evaluation.metrics import combine, firm_case_ids, measure_cases

        firm_id = seeded.firms[0].pk
        started = time.perf_counter()
        per_case = measure_cases(firm_case_ids(seeded.court.pk, firm_id), answer_within_hours=72)
        combine(per_case)
        print(f"evaluation of one firm ({len(per_case)} cases): {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
