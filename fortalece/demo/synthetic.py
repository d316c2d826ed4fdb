"""A large, realistic, deterministic dataset for scale tests (``fortalece generate_synthetic``).

Memory stays flat: people are generated and written in chunks, every row through
``bulk_create``; the reach table is rebuilt at the end with one set-based statement.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from faker import Faker

from fortalece.core.choices import Profession, Sex
from fortalece.geography.models import Country, Subdivision
from fortalece.people.models import Institution, Person
from fortalece.people.names import family_key, normalise
from fortalece.programmes.models import Programme
from fortalece.training.completion import status_from_attendance
from fortalece.training.models import Attendance, Course, Enrolment, Session, Workshop

CHUNK = 5000
SESSIONS = 3
PROFESSIONS = [
    (Profession.POLICE, 0.74),
    (Profession.EMERGENCY_OPERATOR, 0.16),
    (Profession.PROSECUTOR, 0.04),
    (Profession.VICTIM_SERVICES, 0.03),
    (Profession.PUBLIC_OFFICIAL, 0.03),
]


@dataclass
class Result:
    programme: Programme
    people: int
    workshops: int
    enrolments: int
    attendance: int


class ProgrammeExists(ValueError):
    """The programme code is taken: a second run never adds to or duplicates a dataset."""


def generate(
    *,
    people: int,
    seed: int,
    code: str | None = None,
    enrolments_per_person: float | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> Result:
    """Create programme ``code`` (default ``synthetic-<seed>``) with ``people`` new people.

    Refuses (``ProgrammeExists``) when the code exists, so running twice never duplicates a
    dataset; a new code with the same seed gives the same people, workshops and statuses.
    ``enrolments_per_person`` is a mean (1–10); by default 1.8 (1, 1, 2, 2 or 3).
    """
    code = code or f"synthetic-{seed}"
    if Programme.objects.filter(code=code).exists():
        raise ProgrammeExists(code)
    rng = random.Random(seed)
    faker = Faker("es_MX")
    faker.seed_instance(seed)
    given_f = [faker.first_name_female() for _ in range(300)]
    given_m = [faker.first_name_male() for _ in range(300)]
    families = [faker.last_name() for _ in range(600)]
    mexico = Country.objects.get(code="MX")
    states = list(Subdivision.objects.filter(country=mexico).order_by("code"))
    if not states:
        raise LookupError("Load Mexico's states first: fortalece load_geography --country MX")

    with transaction.atomic():
        programme = Programme.objects.create(
            name=f"Synthetic programme {code} (seed {seed}, {people:,} people)",
            code=code,
            start_date=datetime.date(2016, 1, 1),
            description="Generated for scale tests by fortalece generate_synthetic.",
        )
        programme.countries.set([mexico])
        courses = [
            Course.objects.create(
                programme=programme, title=title, modality=Course.Modality.IN_PERSON, hours=hours
            )
            for title, hours in (
                ("Primera respuesta (sintético)", 20),
                ("Atención 911 (sintético)", 16),
                ("Canalización (sintético)", 8),
            )
        ]
        institutions = Institution.objects.bulk_create(
            Institution(
                name=f"Institución sintética {code}-{i}",
                kind=rng.choice(
                    [
                        Institution.Kind.SECURITY_SECRETARIAT,
                        Institution.Kind.POLICE,
                        Institution.Kind.EMERGENCY_CENTRE,
                    ]
                ),
                country=mexico,
                subdivision=states[i % len(states)],
            )
            for i in range(max(32, people // 200))
        )
        # About 32 people per workshop, however many enrolments each person has.
        per_person = enrolments_per_person or 1.8
        workshop_count = max(1, round(people * per_person / 32))
        workshops: list[Workshop] = []
        sessions: dict[int, list[int]] = {}
        for start in range(0, workshop_count, CHUNK):
            batch = []
            for i in range(start, min(start + CHUNK, workshop_count)):
                day = datetime.date(2016, 1, 4) + datetime.timedelta(days=rng.randrange(0, 3650))
                batch.append(
                    Workshop(
                        course=courses[i % 3],
                        programme=programme,
                        title=f"Taller sintético {i}",
                        start_date=day,
                        end_date=day + datetime.timedelta(days=SESSIONS - 1),
                        country=mexico,
                        subdivision=states[i % len(states)],
                    )
                )
            created = Workshop.objects.bulk_create(batch)
            workshops += created
            made = Session.objects.bulk_create(
                [
                    Session(workshop=w, date=w.start_date + datetime.timedelta(days=d))
                    for w in created
                    for d in range(SESSIONS)
                ]
            )
            for session in made:
                sessions.setdefault(session.workshop_id, []).append(session.pk)

    kinds, weights = zip(*PROFESSIONS, strict=True)
    total_enrolments = total_attendance = 0
    for start in range(0, people, CHUNK):
        size = min(CHUNK, people - start)
        with transaction.atomic():
            people_batch: list[Person] = []
            for _ in range(size):
                female = rng.random() < 0.33
                given = rng.choice(given_f if female else given_m)
                family = f"{rng.choice(families)} {rng.choice(families)}"
                people_batch.append(
                    Person(
                        given_names=given,
                        family_names=family,
                        sex=Sex.FEMALE
                        if female
                        else (Sex.MALE if rng.random() > 0.01 else Sex.NOT_STATED),
                        profession=rng.choices(kinds, weights)[0],
                        institution=rng.choice(institutions),
                        search_name=normalise(f"{given} {family}"),
                        family_key=family_key(family),
                    )
                )
            created_people = Person.objects.bulk_create(people_batch, batch_size=CHUNK)
            enrolments, marks_for = [], []
            for person in created_people:
                if enrolments_per_person is None:
                    k = rng.choice((1, 1, 2, 2, 3))
                else:  # uniform around the mean, at least one
                    k = 1 + round(rng.uniform(0, 2 * (enrolments_per_person - 1)))
                for workshop in rng.sample(workshops, k=min(len(workshops), k)):
                    marks = [rng.random() < 0.88 for _ in range(SESSIONS)]
                    status = status_from_attendance(
                        current="enrolled", attended=sum(marks), sessions=SESSIONS, threshold_pct=80
                    )
                    if rng.random() < 0.03:
                        status, marks = Enrolment.Status.DROPPED, []
                    enrolments.append(
                        Enrolment(
                            workshop=workshop,
                            person=person,
                            status=status,
                            sessions_attended=sum(marks),
                            completed_on=workshop.end_date
                            if status == Enrolment.Status.COMPLETED
                            else None,
                        )
                    )
                    marks_for.append(marks)
            Enrolment.objects.bulk_create(enrolments, batch_size=CHUNK)
            attendance = [
                Attendance(session_id=sessions[e.workshop_id][i], enrolment=e, present=present)
                for e, marks in zip(enrolments, marks_for, strict=True)
                for i, present in enumerate(marks)
            ]
            Attendance.objects.bulk_create(attendance, batch_size=CHUNK)
            total_enrolments += len(enrolments)
            total_attendance += len(attendance)
        progress(size)

    from fortalece.reporting.services import reach_rebuild

    reach_rebuild(programme_id=programme.pk)
    return Result(programme, people, len(workshops), total_enrolments, total_attendance)
