"""Benchmark: the indicators page (a year, the whole country, every breakdown) read from the
ReachYear rollup vs the naive ``COUNT(DISTINCT person)`` over enrolments.

    DATABASE_URL=... .venv/bin/python bench/indicators.py --seed 1 --year 2021

Prints, for the headline and each breakdown, the time both ways (median of --repeat runs)
and fails (exit 1) if any number differs. Then times the page's whole report
(``indicator_report``: headline, accreditations, targets, trend, cascade and one breakdown)
for every breakdown, as the page computes it.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fortalece.settings")
os.environ.setdefault("FORTALECE_ALLOW_INSECURE_KEY", "1")


def timed(function: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return result, statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=1, help="The generate_synthetic seed.")
    parser.add_argument("--year", type=int, default=2021, help="The year measured.")
    parser.add_argument(
        "--all-years", action="store_true", help="Every year (the page's default) instead."
    )
    parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement (median).")
    parser.add_argument(
        "--skip-naive", action="store_true", help="Only time the rollup (no comparison)."
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from fortalece.geography.models import Country
    from fortalece.programmes.models import Programme
    from fortalece.reporting import indicators
    from fortalece.reporting.indicators import BREAKDOWNS, IndicatorFilters
    from fortalece.training.models import ReachYear

    code = f"synthetic-{args.seed}"
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        print(f"No programme {code}: run `fortalece generate_synthetic --seed {args.seed}`.")
        return 2
    mexico = Country.objects.get(code="MX")
    year = None if args.all_years else args.year
    filters = IndicatorFilters(
        programme_ids=(programme.pk,), year_from=year, year_to=year, country_id=mexico.pk
    )
    enrolments = programme.workshops.aggregate(n=Count("enrolments"))["n"]
    rows = ReachYear.objects.filter(programme=programme).count()
    year_rows = indicators.rows_for(filters).count()
    print(
        f"{connection.vendor}: programme {code}, {enrolments:,} enrolments, "
        f"{rows:,} ReachYear rows ({year_rows:,} in {year or 'all years'})\n"
    )
    print(f"{'figure':<22}{'COUNT(DISTINCT) s':>19}{'rollup s':>11}{'speed-up':>10}")
    failures = 0
    measures: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "headline",
            lambda: indicators.naive_headline(filters),
            lambda: indicators.headline(filters),
        )
    ]
    measures += [
        (
            f"by {b.key}",
            lambda k=b.key: indicators.naive_breakdown(filters, k),
            lambda k=b.key: indicators.rollup_breakdown(filters, k),
        )
        for b in BREAKDOWNS
    ]
    naive_total = rollup_total = 0.0
    for label, naive, rollup in measures:
        got, rollup_time = timed(rollup, args.repeat)
        rollup_total += rollup_time
        if args.skip_naive:
            print(f"{label:<22}{'':>19}{rollup_time:>11.3f}")
            continue
        expected, naive_time = timed(naive, 1 if args.repeat > 1 else args.repeat)
        naive_total += naive_time
        same = expected == got
        failures += 0 if same else 1
        print(
            f"{label:<22}{naive_time:>19.3f}{rollup_time:>11.3f}"
            f"{naive_time / max(rollup_time, 1e-9):>9.1f}x{'' if same else '  MISMATCH'}"
        )
    if not args.skip_naive:
        print(
            f"{'all of them':<22}{naive_total:>19.3f}{rollup_total:>11.3f}"
            f"{naive_total / max(rollup_total, 1e-9):>9.1f}x"
        )
    print("\nThe page (indicator_report: headline, accreditations, targets, trend, cascade and")
    print("the breakdown, donor suppression off), median of runs:")
    slowest = 0.0
    for b in BREAKDOWNS:
        _, page = timed(
            lambda k=b.key: indicators.indicator_report(filters, k, suppress_small=False),
            args.repeat,
        )
        slowest = max(slowest, page)
        print(f"  by {b.key:<20}{page:>8.3f} s")
    print(f"  slowest{'':<17}{slowest:>8.3f} s")
    assert not failures, f"{failures} figure(s) differ between the two methods"  # noqa: S101
    return 0


if __name__ == "__main__":
    sys.exit(main())
