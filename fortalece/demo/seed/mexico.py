"""Seeds 002 and 003: the Strengthening Programme for the Security of Vulnerable Groups.

Police officers and 911 operators across Mexican states since 2016, trained through a
train-the-trainer cascade: master trainers → state trainers (Daniela Solís Bautista and
Rubén Esteban Zamora Lugo in Michoacán, Social Merit Award 2021) → officers.

Every person in the demo is fictional: seed 003's story (officers who became trainers and
received the Social Merit Award) is told with invented people, never the real officers.
"""

import datetime

from fortalece.cascade.models import Award
from fortalece.core.choices import Profession, Sex
from fortalece.demo.seed.builder import POLICE_MIX, Builder
from fortalece.geography.models import Country, Municipality, Subdivision
from fortalece.people.models import Institution, Person
from fortalece.people.services import person_normalise
from fortalece.programmes.models import Organisation, Programme, ProgrammePartner, SdgTarget, Target
from fortalece.training.models import Course, Enrolment
from fortalece.training.services import enrolment_recompute

CODE = "mx-vulnerable-groups"
STATES = [
    "MX-MIC",
    "MX-CMX",
    "MX-JAL",
    "MX-ROO",
    "MX-MEX",
    "MX-GRO",
    "MX-CHH",
    "MX-PUE",
    "MX-VER",
    "MX-OAX",
    "MX-CHP",
    "MX-GUA",
    "MX-NLE",
    "MX-SON",
    "MX-SIN",
    "MX-TAM",
    "MX-COA",
    "MX-YUC",
    "MX-TAB",
    "MX-HID",
    "MX-MOR",
    "MX-QUE",
    "MX-SLP",
    "MX-ZAC",
    "MX-DUR",
]


def seed(orgs: dict[str, Organisation]) -> Programme:
    mexico = Country.objects.get(code="MX")
    states = {s.code: s for s in Subdivision.objects.filter(code__in=STATES)}
    programme = Programme.objects.create(
        name="Strengthening Programme for the Security of Vulnerable Groups",
        code=CODE,
        description=(
            "Strengthens the emergency response of police and 911 centres to gender-based "
            "violence and their coordination with the Women's Justice Centres, for a "
            "comprehensive response and appropriate referral of victims (CRIMJUST)."
        ),
        start_date=datetime.date(2016, 3, 1),
    )
    programme.countries.set([mexico])
    programme.subdivisions.set(states.values())
    programme.sdg_targets.set(SdgTarget.objects.filter(code__in=["5.2", "16.1", "16.3"]))
    for key, role in (
        ("unodc", "implementer"),
        ("inl", "donor"),
        ("merida", "donor"),
        ("us-embassy", "donor"),
        ("eu", "donor"),
        ("sspc", "partner"),
    ):
        ProgrammePartner.objects.create(programme=programme, organisation=orgs[key], role=role)
    Target.objects.create(
        programme=programme,
        description="10,000 police officers and first responders reached",
        metric="people_reached",
        value=10000,
        due_date=datetime.date(2026, 12, 31),
    )
    Target.objects.create(
        programme=programme,
        description="2,000 police officers complete the first-response course",
        metric="people_completed",
        value=2000,
        profession=Profession.POLICE,
    )
    target = Target.objects.create(
        programme=programme,
        description="300 officers reached in Michoacán",
        metric="people_reached",
        value=300,
    )
    target.subdivisions.set([states["MX-MIC"]])
    Target.objects.create(
        programme=programme, description="150 workshops held", metric="workshops_held", value=150
    )

    first_response = Course.objects.create(
        programme=programme,
        title="Primera respuesta policial a la violencia de género",
        modality=Course.Modality.IN_PERSON,
        hours=20,
        audience="Policías estatales y municipales",
        learning_objectives="Identificar tipos y modalidades de violencia de género; atender, "
        "reaccionar y canalizar a las víctimas a los Centros de Justicia para las Mujeres.",
    )
    calls = Course.objects.create(
        programme=programme,
        title="Atención de llamadas de emergencia 911 por violencia de género",
        modality=Course.Modality.IN_PERSON,
        hours=16,
        audience="Operadoras y operadores 911",
    )
    ttt = Course.objects.create(
        programme=programme,
        title="Formación de instructores: respuesta policial a la violencia de género",
        modality=Course.Modality.BLENDED,
        hours=40,
        is_train_the_trainer=True,
        audience="Policías con experiencia docente",
    )

    b = Builder(seed=2016)
    institutions: dict[str, Institution] = {}
    for code, state in states.items():
        institutions[code] = Institution.objects.create(
            name=f"Secretaría de Seguridad Pública de {state.name}",
            kind=Institution.Kind.SECURITY_SECRETARIAT,
            country=mexico,
            subdivision=state,
        )
    c5 = {
        code: Institution.objects.create(
            name=f"Centro de Control, Comando, Comunicaciones y Cómputo (C5) de {states[code].name}",
            kind=Institution.Kind.EMERGENCY_CENTRE,
            country=mexico,
            subdivision=states[code],
        )
        for code in ("MX-MIC", "MX-CMX", "MX-JAL", "MX-MEX")
    }
    unodc_mx = Institution.objects.create(
        name="UNODC — Oficina de Enlace y Partenariado en México",
        kind=Institution.Kind.OTHER,
        country=mexico,
        subdivision=states["MX-CMX"],
    )
    masters = [
        Person.objects.create(
            **_person("Elena", "Márquez Robles", Sex.FEMALE, Profession.OTHER, unodc_mx)
        ),
        Person.objects.create(
            **_person("Héctor", "Villalobos Cruz", Sex.MALE, Profession.OTHER, unodc_mx)
        ),
    ]
    daniela = Person.objects.create(
        **_person(
            "Daniela",
            "Solís Bautista",
            Sex.FEMALE,
            Profession.POLICE,
            institutions["MX-MIC"],
            rank="Policía Primero",
        )
    )
    ruben = Person.objects.create(
        **_person(
            "Rubén Esteban",
            "Zamora Lugo",
            Sex.MALE,
            Profession.POLICE,
            institutions["MX-MIC"],
            rank="Suboficial",
        )
    )

    # Generation 1: master trainers train state trainers (2018), incl. Daniela and Rubén.
    state_codes = list(states)
    candidates = [daniela, ruben]
    for code in state_codes[1:14]:
        candidates += b.people(
            1,
            institutions=[institutions[code]],
            professions={Profession.POLICE: 1},
            female_share=0.45,
        )
    place = {
        "country": mexico,
        "subdivision": states["MX-CMX"],
        "municipality": Municipality.objects.filter(code="09015").first(),
    }
    b.workshop(
        course=ttt,
        title="Formación de instructores — generación 2018",
        start=datetime.date(2018, 6, 4),
        days=5,
        place=place,
        trainers=[(masters[0], "lead"), (masters[1], "co_facilitator")],
        participants=candidates,
        attendance=1.0,
        dropped=0,
        venue="Oficinas de UNODC, Ciudad de México",
    )
    state_trainers = {code: [p] for code, p in zip(state_codes[1:14], candidates[2:], strict=True)}
    state_trainers["MX-MIC"] = [daniela, ruben]

    # Generation 2: state trainers run the first-response course in their states (2019–2025).
    officers_by_state: dict[str, list[Person]] = {}
    for index, (code, trainers) in enumerate(state_trainers.items()):
        state = states[code]
        pool = b.people(
            140 if code == "MX-MIC" else 60,
            institutions=[institutions[code]] + ([c5[code]] if code in c5 else []),
            professions=POLICE_MIX,
            female_share=0.32,
        )
        officers_by_state[code] = pool
        runs = 6 if code == "MX-MIC" else 2
        municipalities = list(Municipality.objects.filter(subdivision=state))
        for run in range(runs):
            start = datetime.date(2019 + (run + index) % 7, 1 + (3 * run + index) % 11, 3 + run)
            course = calls if (code in c5 and run % 3 == 2) else first_response
            b.workshop(
                course=course,
                title=f"{course.title[:60]} — {state.name} {start.year}",
                start=start,
                days=3,
                place={
                    "country": mexico,
                    "subdivision": state,
                    "municipality": municipalities[run % len(municipalities)]
                    if municipalities
                    else None,
                },
                trainers=[
                    (t, "lead" if i == 0 else "co_facilitator") for i, t in enumerate(trainers)
                ],
                participants=b.sample(pool, 25),
                capacity=30,
                venue=f"Academia de Policía de {state.name}",
            )

    # Generation 3: officers trained in Michoacán become trainers in 2021 and teach in 2022–2024.
    michoacan = officers_by_state["MX-MIC"]

    enrolment_recompute(enrolments=Enrolment.objects.filter(workshop__in=b.workshops))
    reached = set(
        Enrolment.objects.filter(
            person__in=michoacan, status=Enrolment.Status.COMPLETED
        ).values_list("person_id", flat=True)
    )
    third = [p for p in michoacan if p.pk in reached][:6] or michoacan[:6]
    b.workshop(
        course=ttt,
        title="Formación de instructores — Michoacán 2021",
        start=datetime.date(2021, 5, 10),
        days=5,
        place={
            "country": mexico,
            "subdivision": states["MX-MIC"],
            "municipality": Municipality.objects.filter(code="16053").first(),
        },
        trainers=[(daniela, "lead"), (ruben, "co_facilitator")],
        participants=third,
        attendance=1.0,
        dropped=0,
        venue="Instituto Estatal de Estudios Superiores en Seguridad y Profesionalización Policial, Morelia",
    )
    new_officers = b.people(
        90, institutions=[institutions["MX-MIC"]], professions=POLICE_MIX, female_share=0.3
    )
    for run, trainer in enumerate(third[:3]):
        b.workshop(
            course=first_response,
            title=f"Primera respuesta — Uruapan {2022 + run}",
            start=datetime.date(2022 + run, 3, 7),
            days=3,
            place={
                "country": mexico,
                "subdivision": states["MX-MIC"],
                "municipality": Municipality.objects.filter(code="16102").first(),
            },
            trainers=[(trainer, "lead")],
            participants=new_officers[run * 30 : run * 30 + 30],
        )
    # An upcoming workshop: nominations waiting for the manager.
    b.workshop(
        course=first_response,
        title="Primera respuesta — Morelia 2027",
        start=datetime.date(2027, 2, 8),
        days=3,
        place={
            "country": mexico,
            "subdivision": states["MX-MIC"],
            "municipality": Municipality.objects.filter(code="16053").first(),
        },
        trainers=[(daniela, "lead")],
        participants=b.sample(new_officers, 12),
        statuses=Enrolment.Status.NOMINATED,
        capacity=30,
    )
    for person in (daniela, ruben):
        Award.objects.create(
            person=person,
            programme=programme,
            title="Social Merit Award (Premio al Mérito Social)",
            awarded_by="Secretaría de Seguridad Pública de Michoacán",
            awarded_on=datetime.date(2021, 1, 12),
            description="For enhancing police assistance to women and girls who are victims of gender-based "
            "violence, and for training fellow officers across Michoacán.",
        )
    return programme


def _person(
    given: str, family: str, sex: str, profession: str, institution: Institution, rank: str = ""
) -> dict:
    person = person_normalise(
        Person(
            given_names=given,
            family_names=family,
            sex=sex,
            profession=profession,
            institution=institution,
            rank=rank,
        )
    )
    return {
        "given_names": person.given_names,
        "family_names": person.family_names,
        "sex": sex,
        "profession": profession,
        "institution": institution,
        "rank": rank,
        "search_name": person.search_name,
        "family_key": person.family_key,
    }
