"""Benchmark: people reached, counted from enrolments vs from the reach table.

    DATABASE_URL=... .venv/bin/python bench/reach.py --people 100000   # generates once
    DATABASE_URL=... .venv/bin/python bench/reach.py --seed 1          # measures again

Prints the time of each headline figure both ways and fails if any number differs.
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
    parser.add_argument(
        "--seed", type=int, default=1, help="The generate_synthetic seed to measure."
    )
    parser.add_argument(
        "--people", type=int, help="Generate the dataset first with this many people if missing."
    )
    parser.add_argument(
        "--enrolments-per-person",
        type=float,
        help="Passed to generate_synthetic when it generates (e.g. 5 for 5M enrolments).",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="Runs per measurement (median reported)."
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fortalece.programmes.models import Programme
    from fortalece.reporting import selectors

    code = f"synthetic-{args.seed}"
    if not Programme.objects.filter(code=code).exists():
        if not args.people:
            print(
                f"No programme {code}: run `fortalece generate_synthetic --seed {args.seed} --people N` or pass --people."
            )
            return 2
        call_command(
            "generate_synthetic",
            people=args.people,
            seed=args.seed,
            enrolments_per_person=args.enrolments_per_person,
        )
    programme = Programme.objects.get(code=code)
    enrolments = programme.workshops.aggregate(n=django.db.models.Count("enrolments"))["n"]
    print(f"{connection.vendor}: programme {code}, {enrolments:,} enrolments\n")
    print(f"{'figure':<28}{'COUNT(DISTINCT) s':>20}{'reach table s':>16}{'speed-up':>10}")
    failures = 0
    measures = [
        (
            "people reached",
            lambda: selectors.plain_reached(programme.pk),
            lambda: selectors.reach_table_reached(programme.pk),
        ),
        (
            "people completed",
            lambda: selectors.plain_completed(programme.pk),
            lambda: selectors.reach_table_completed(programme.pk),
        ),
    ]
    for column in ("sex", "profession", "subdivision"):
        measures.append(
            (
                f"by {column}",
                lambda c=column: selectors.plain_by(programme.pk, c),
                lambda c=column: selectors.reach_table_by(programme.pk, c),
            )
        )
    for label, plain, table in measures:
        expected, plain_time = timed(plain, args.repeat)
        got, table_time = timed(table, args.repeat)
        same = expected == got
        failures += 0 if same else 1
        print(
            f"{label:<28}{plain_time:>20.3f}{table_time:>16.3f}{plain_time / max(table_time, 1e-9):>9.1f}x{'' if same else '  MISMATCH'}"
        )
    _, whole = timed(
        lambda: selectors.dashboard(programme, selectors.DashboardFilters(), suppress_small=False),
        args.repeat,
    )
    print(f"\nwhole dashboard (every figure, reach table): {whole:.3f} s")
    assert not failures, f"{failures} figure(s) differ between the two methods"  # noqa: S101
    return 0


if __name__ == "__main__":
    sys.exit(main())
