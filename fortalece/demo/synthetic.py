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
FIRST_DAY, LAST_DAY = datetime.date(2016, 1, 4), datetime.date(2025, 12, 31)
# Profession, share of participants, share of women, where they work. Police forces are
# mostly men, 911 operators and victim-service staff mostly women.
PROFESSIONS = [
    (Profession.POLICE, 0.74, 0.22, Institution.Kind.POLICE),
    (Profession.EMERGENCY_OPERATOR, 0.16, 0.62, Institution.Kind.EMERGENCY_CENTRE),
    (Profession.PROSECUTOR, 0.04, 0.48, Institution.Kind.PROSECUTION),
    (Profession.VICTIM_SERVICES, 0.03, 0.82, Institution.Kind.WOMENS_JUSTICE_CENTRE),
    (Profession.PUBLIC_OFFICIAL, 0.03, 0.55, Institution.Kind.SECURITY_SECRETARIAT),
]
INSTITUTION_NAMES = {
    Institution.Kind.POLICE: "Policía Estatal de {state}",
    Institution.Kind.EMERGENCY_CENTRE: "Centro de Atención de Llamadas de Emergencia 911 de {state}",
    Institution.Kind.PROSECUTION: "Fiscalía General del Estado de {state}",
    Institution.Kind.WOMENS_JUSTICE_CENTRE: "Centro de Justicia para las Mujeres de {state}",
    Institution.Kind.SECURITY_SECRETARIAT: "Secretaría de Seguridad Pública de {state}",
}
POLICE_RANKS = [("Policía", 50), ("Policía Tercero", 20), ("Policía Segundo", 12)]
POLICE_RANKS += [("Policía Primero", 8), ("Suboficial", 6), ("Oficial", 4)]
# Population in millions (INEGI census 2020): states are drawn in proportion.
STATE_WEIGHTS = {
    "AGU": 1.43, "BCN": 3.77, "BCS": 0.80, "CAM": 0.93, "CHP": 5.54, "CHH": 3.74, "CMX": 9.21,
    "COA": 3.15, "COL": 0.73, "DUR": 1.83, "GUA": 6.17, "GRO": 3.54, "HID": 3.08, "JAL": 8.35,
    "MEX": 16.99, "MIC": 4.75, "MOR": 1.97, "NAY": 1.24, "NLE": 5.78, "OAX": 4.13, "PUE": 6.58,
    "QUE": 2.37, "ROO": 1.86, "SLP": 2.82, "SIN": 3.03, "SON": 2.94, "TAB": 2.40, "TAM": 3.53,
    "TLA": 1.34, "VER": 8.06, "YUC": 2.32, "ZAC": 1.62,
}  # fmt: skip
OWN_STATE = 0.9  # share of enrolments in a workshop of the person's own state


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
    state_weights = [STATE_WEIGHTS.get(s.code.removeprefix("MX-"), 2.0) for s in states]

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
        # Every state has one institution of each kind; big datasets add municipal police
        # forces in proportion to the states' population.
        institutions: dict[tuple[int, str], list[Institution]] = {}
        new = [
            Institution(
                name=f"{INSTITUTION_NAMES[kind].format(state=state.name)} [{code}]",
                kind=kind,
                country=mexico,
                subdivision=state,
            )
            for state in states
            for kind in INSTITUTION_NAMES
        ]
        for i, state in enumerate(rng.choices(states, state_weights, k=people // 400)):
            new.append(
                Institution(
                    name=f"Policía Municipal {i + 1} de {state.name} [{code}]",
                    kind=Institution.Kind.POLICE,
                    country=mexico,
                    subdivision=state,
                )
            )
        for institution in Institution.objects.bulk_create(new, batch_size=CHUNK):
            key = (institution.subdivision_id or 0, institution.kind)
            institutions.setdefault(key, []).append(institution)
        # About 32 people per workshop, however many enrolments each person has.
        per_person = enrolments_per_person or 1.8
        workshop_count = max(1, round(people * per_person / 32))
        span = (LAST_DAY - FIRST_DAY).days - (SESSIONS - 1)  # the last workshop ends LAST_DAY
        workshops: list[Workshop] = []
        by_state: dict[int, list[Workshop]] = {}
        sessions: dict[int, list[int]] = {}
        for start in range(0, workshop_count, CHUNK):
            batch = []
            for i in range(start, min(start + CHUNK, workshop_count)):
                day = FIRST_DAY + datetime.timedelta(days=rng.randrange(0, span + 1))
                state = rng.choices(states, state_weights)[0]
                batch.append(
                    Workshop(
                        course=courses[i % 3],
                        programme=programme,
                        title=f"Taller sintético {i}",
                        start_date=day,
                        end_date=day + datetime.timedelta(days=SESSIONS - 1),
                        country=mexico,
                        subdivision=state,
                    )
                )
            created = Workshop.objects.bulk_create(batch)
            workshops += created
            for workshop in created:
                by_state.setdefault(workshop.subdivision_id or 0, []).append(workshop)
            made = Session.objects.bulk_create(
                [
                    Session(workshop=w, date=w.start_date + datetime.timedelta(days=d))
                    for w in created
                    for d in range(SESSIONS)
                ]
            )
            for session in made:
                sessions.setdefault(session.workshop_id, []).append(session.pk)

    profiles = [(profession, female, kind) for profession, _, female, kind in PROFESSIONS]
    profile_weights = [weight for _, weight, _, _ in PROFESSIONS]
    ranks, rank_weights = zip(*POLICE_RANKS, strict=True)
    total_enrolments = total_attendance = 0
    for start in range(0, people, CHUNK):
        size = min(CHUNK, people - start)
        with transaction.atomic():
            people_batch: list[Person] = []
            for _ in range(size):
                profession, female_share, kind = rng.choices(profiles, profile_weights)[0]
                state = rng.choices(states, state_weights)[0]
                female = rng.random() < female_share
                sex = Sex.FEMALE if female else Sex.MALE
                unstated = rng.random()
                if unstated < 0.012:  # a few do not say, fewer still answer "other"
                    sex = Sex.OTHER if unstated < 0.002 else Sex.NOT_STATED
                given = rng.choice(given_f if female else given_m)
                family = f"{rng.choice(families)} {rng.choice(families)}"
                police = profession == Profession.POLICE
                people_batch.append(
                    Person(
                        given_names=given,
                        family_names=family,
                        sex=sex,
                        profession=profession,
                        rank=rng.choices(ranks, rank_weights)[0] if police else "",
                        institution=rng.choice(institutions[(state.pk, kind)]),
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
                home = by_state.get(person.institution.subdivision_id or 0, [])
                own = rng.random() < OWN_STATE
                pool = home if own and len(home) >= k else workshops
                for workshop in rng.sample(pool, k=min(len(pool), k)):
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
    from fortalece.reporting.rollups import reach_year_rebuild

    reach_year_rebuild(programme_id=programme.pk)
    return Result(programme, people, len(workshops), total_enrolments, total_attendance)
