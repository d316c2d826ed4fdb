"""Benchmark: train-the-trainer cascade figures for every trainer, on 100,000+ learners.

    DATABASE_URL=... .venv/bin/python bench/cascade.py --learners 100000

Builds (once) a generated cascade: master trainers → state trainers → local trainers →
learners, one workshop per trainer. Times ``cascade_figures`` (one recursive CTE for all
trainers) next to a plain baseline (the same recursive query run once per trainer) and checks
both give the same figures on a sample of trainers.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fortalece.settings")
os.environ.setdefault("FORTALECE_ALLOW_INSECURE_KEY", "1")


def build(learners: int, code: str) -> int:
    from django.db import transaction

    from fortalece.geography.models import Country
    from fortalece.people.models import Institution, Person
    from fortalece.programmes.models import Programme
    from fortalece.training.models import Course, Enrolment, Workshop, WorkshopTrainer

    mexico = Country.objects.get(code="MX")
    with transaction.atomic():
        programme = Programme.objects.create(
            name=f"Cascade benchmark {code}", code=code, start_date=datetime.date(2018, 1, 1)
        )
        programme.countries.set([mexico])
        course = Course.objects.create(
            programme=programme, title="Cascade course", modality="in_person", hours=8
        )
        institution = Institution.objects.create(
            name=f"Cascade institution {code}", kind="police", country=mexico
        )

        def people(n: int) -> list[Person]:
            return Person.objects.bulk_create(
                [
                    Person(
                        given_names="P",
                        family_names=f"{code}-{i}",
                        profession="police",
                        institution=institution,
                        search_name="p",
                        family_key=code,
                    )
                    for i in range(n)
                ],
                batch_size=5000,
            )

        levels = [people(10)]
        levels.append(people(100))
        levels.append(people(1000))
        levels.append(people(learners))
        day = datetime.date(2019, 1, 1)
        for depth in range(3):
            trainers, trainees = levels[depth], levels[depth + 1]
            workshops = Workshop.objects.bulk_create(
                [
                    Workshop(
                        course=course,
                        programme=programme,
                        title=f"L{depth}-{i}",
                        start_date=day,
                        end_date=day,
                        country=mexico,
                    )
                    for i in range(len(trainers))
                ],
                batch_size=5000,
            )
            WorkshopTrainer.objects.bulk_create(
                [
                    WorkshopTrainer(workshop=w, person=t)
                    for w, t in zip(workshops, trainers, strict=True)
                ],
                batch_size=5000,
            )
            per = len(trainees) // len(trainers)
            Enrolment.objects.bulk_create(
                [
                    Enrolment(workshop=workshops[i // per], person=p, status="completed")
                    for i, p in enumerate(trainees[: per * len(trainers)])
                ],
                batch_size=5000,
            )
    return programme.pk


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument(
        "--baseline-sample", type=int, default=200, help="Trainers timed one by one (extrapolated)."
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fortalece.cascade.selectors import cascade_figures, cascade_generations
    from fortalece.geography.models import Country
    from fortalece.programmes.models import Programme

    if not Country.objects.filter(code="MX").exists():
        call_command("load_geography", country="MX", verbosity=0)
    code = f"cascade-bench-{args.learners}"
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        started = time.perf_counter()
        pk = build(args.learners, code)
        print(f"built {code} in {time.perf_counter() - started:.1f} s")
    else:
        pk = programme.pk

    started = time.perf_counter()
    figures = cascade_figures(programme_id=pk)
    all_time = time.perf_counter() - started
    started = time.perf_counter()
    generations = cascade_generations(programme_id=pk)
    generations_time = time.perf_counter() - started

    sample = sorted(figures)[: args.baseline_sample]
    started = time.perf_counter()
    mismatches = 0
    for trainer_id in sample:
        one = cascade_figures(programme_id=pk, root_id=trainer_id)[trainer_id]
        mismatches += one != figures[trainer_id]
    per_trainer = (time.perf_counter() - started) / max(1, len(sample))

    print(f"{connection.vendor}: {len(figures):,} trainers, generations {generations}")
    print(f"all trainers, one recursive CTE:      {all_time:8.3f} s")
    print(f"generations from the master trainers: {generations_time:8.3f} s")
    print(
        f"baseline, one query per trainer:      {per_trainer * len(figures):8.3f} s (extrapolated from {len(sample)})"
    )
    masters = sorted(figures.values(), key=lambda f: -f.total)[:3]
    for f in masters:
        print(
            f"  trainer {f.trainer_id}: direct {f.direct}, indirect {f.indirect:,}, depth {f.depth}, multiplier {f.multiplier}"
        )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
