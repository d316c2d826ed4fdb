"""Seeds 000, 001 and 004: the 2021 train-the-trainer workshop, the Spotlight diplomas with
IBERO, and smaller programmes in other countries (reach as reported by UNODC)."""

import datetime

from fortalece.core.choices import Profession
from fortalece.demo.seed.builder import Builder
from fortalece.geography.models import Country, Municipality, Subdivision
from fortalece.people.models import Institution
from fortalece.programmes.models import Organisation, Programme, ProgrammePartner, SdgTarget, Target
from fortalece.training.models import Course


def _institutions(
    country: Country, state: Subdivision, *specs: tuple[str, str]
) -> list[Institution]:
    """Create one institution per (kind, name) in the given state."""
    return [
        Institution.objects.create(name=name, kind=kind, country=country, subdivision=state)
        for kind, name in specs
    ]


def _programme(
    code: str,
    name: str,
    description: str,
    start: datetime.date,
    end: datetime.date | None,
    countries: list[Country],
    partners: list[tuple[Organisation, str]],
    sdgs: list[str],
) -> Programme:
    programme = Programme.objects.create(
        name=name, code=code, description=description, start_date=start, end_date=end
    )
    programme.countries.set(countries)
    programme.sdg_targets.set(SdgTarget.objects.filter(code__in=sdgs))
    for organisation, role in partners:
        ProgrammePartner.objects.create(programme=programme, organisation=organisation, role=role)
    return programme


def seed_ttt_2021(orgs: dict[str, Organisation]) -> Programme:
    mexico = Country.objects.get(code="MX")
    programme = _programme(
        "mx-ttt-sexual-violence-2021",
        "Detection, intervention and assistance to victims and survivors of sexual violence (2021)",
        "Train-the-trainer workshops for prosecutors' offices, security secretariats and the tourism and "
        "hotel sector, with victim-centred, human-rights and gender-perspective approaches.",
        datetime.date(2021, 11, 1),
        datetime.date(2021, 12, 31),
        [mexico],
        [(orgs["unodc"], "implementer"), (orgs["canada"], "donor"), (orgs["uk"], "donor")],
        ["5.2", "16.3"],
    )
    cities = [
        ("MX-CMX", "09015", "Ciudad de México"),
        ("MX-JAL", "14067", "Puerto Vallarta"),
        ("MX-ROO", "23005", "Cancún"),
    ]
    states = {s.code: s for s in Subdivision.objects.filter(code__in=[c[0] for c in cities])}
    programme.subdivisions.set(states.values())
    target = Target.objects.create(
        programme=programme, description="75 people in 3 cities", metric="people_reached", value=75
    )
    target.subdivisions.set(states.values())
    course = Course.objects.create(
        programme=programme,
        title="Training Workshop for Trainers in Detection, Intervention and Assistance to victims and survivors of sexual violence",
        modality=Course.Modality.IN_PERSON,
        hours=24,
        is_train_the_trainer=True,
        audience="Prosecutors, security secretariats, tourism and hotel staff",
    )
    b = Builder(seed=2021)
    trainer_org = Institution.objects.get(name__startswith="UNODC — Oficina")
    [trainer] = b.people(
        1, institutions=[trainer_org], professions={Profession.OTHER: 1}, female_share=1
    )
    for index, (state_code, municipality_code, city) in enumerate(cities):
        state = states[state_code]
        institutions = _institutions(
            mexico,
            state,
            (Institution.Kind.PROSECUTION, f"Fiscalía General del Estado — {city}"),
            (Institution.Kind.SECURITY_SECRETARIAT, f"Secretaría de Seguridad Ciudadana — {city}"),
            (Institution.Kind.HOTEL, f"Asociación de Hoteles de {city}"),
        )
        people = b.people(
            24 + index,
            institutions=institutions,
            female_share=0.55,
            professions={
                Profession.PROSECUTOR: 0.35,
                Profession.POLICE: 0.35,
                Profession.TOURISM: 0.3,
            },
        )
        b.workshop(
            course=course,
            title=f"Taller de formación de formadores — {city}",
            start=datetime.date(2021, 11, 22 + index * 0),
            days=3,
            place={
                "country": mexico,
                "subdivision": state,
                "municipality": Municipality.objects.filter(code=municipality_code).first(),
            },
            trainers=[(trainer, "lead")],
            participants=people,
            capacity=30,
            venue=city,
        )
    return programme


SPOTLIGHT_DIPLOMAS = [
    "First contact care for women and girl victims",
    "Reeducation for men generators of violence",
    "Issuance, implementation and monitoring of protection measures",
    "Investigation of feminicide with a gender perspective and a human rights approach",
]


# Naucalpan, Ecatepec (Estado de México), Chihuahua, Ciudad Juárez (Chihuahua), Chilpancingo.
SPOTLIGHT_MUNICIPALITIES = ["15057", "15033", "08019", "08037", "12029"]


def seed_spotlight(orgs: dict[str, Organisation]) -> Programme:
    mexico = Country.objects.get(code="MX")
    programme = _programme(
        "mx-spotlight-ibero-2021",
        "Spotlight Initiative — IBERO diplomas for institutional and civil-society liaisons",
        "Four online diplomas (Brightspace and the Pulse mobile app) for 600 liaisons responsible for public "
        "policies against violence towards women and girls; pillars 3 and 4 of the Spotlight Initiative.",
        datetime.date(2021, 7, 1),
        datetime.date(2021, 12, 31),
        [mexico],
        [(orgs["eu"], "donor"), (orgs["unodc"], "implementer"), (orgs["ibero"], "partner")],
        ["5.2", "5.c", "16.3"],
    )
    states = list(Subdivision.objects.filter(code__in=["MX-MEX", "MX-GRO", "MX-CHH"]))
    programme.subdivisions.set(states)
    Target.objects.create(
        programme=programme,
        description="600 institutional and civil-society liaisons",
        metric="people_reached",
        value=600,
    )
    b = Builder(seed=2022)
    institutions = []
    for state in states:
        institutions += _institutions(
            mexico,
            state,
            (
                Institution.Kind.WOMENS_JUSTICE_CENTRE,
                f"Centro de Justicia para las Mujeres de {state.name}",
            ),
            (Institution.Kind.GOVERNMENT, f"Sistema DIF de {state.name}"),
            (Institution.Kind.NGO, f"Red de organizaciones civiles de {state.name}"),
            (
                Institution.Kind.PROSECUTION,
                f"Fiscalía Especializada en Feminicidio de {state.name}",
            ),
        )
    # Seed 001's five municipalities: each state's institutions sit in its Spotlight cities.
    towns = {m.code: m for m in Municipality.objects.filter(code__in=SPOTLIGHT_MUNICIPALITIES)}
    for index, institution in enumerate(institutions):
        local = [m for m in towns.values() if m.subdivision_id == institution.subdivision_id]
        institution.municipality = sorted(local, key=lambda m: m.code)[index % len(local)]
        institution.save(update_fields=["municipality"])
    [coordinator] = b.people(
        1,
        institutions=[
            Institution.objects.create(
                name="Universidad Iberoamericana — Dirección de Educación Continua",
                kind=Institution.Kind.UNIVERSITY,
                country=mexico,
                subdivision=Subdivision.objects.get(code="MX-CMX"),
            )
        ],
        professions={Profession.OTHER: 1},
        female_share=1,
    )
    for index, title in enumerate(SPOTLIGHT_DIPLOMAS):
        course = Course.objects.create(
            programme=programme,
            title=title,
            modality=Course.Modality.ONLINE,
            hours=120,
            audience="Institutional and civil-society liaisons",
            completion_min_attendance=80,
        )
        people = b.people(
            118,
            institutions=institutions,
            female_share=0.7,
            professions={
                Profession.CIVIL_SOCIETY: 0.35,
                Profession.PUBLIC_OFFICIAL: 0.3,
                Profession.PROSECUTOR: 0.15,
                Profession.VICTIM_SERVICES: 0.15,
                Profession.POLICE: 0.05,
            },
        )
        b.workshop(
            course=course,
            title=f"Diplomado: {title} — cohorte 2021",
            start=datetime.date(2021, 7, 5 + index),
            days=6,
            place={"country": mexico},
            trainers=[(coordinator, "lead")],
            participants=people,
            attendance=0.88,
            venue="Brightspace / Pulse (en línea)",
        )
    return programme


def seed_world(orgs: dict[str, Organisation]) -> list[Programme]:
    """Smaller programmes reported by UNODC (seed 004), with the reported reach."""
    made = []
    specs = [
        (
            "NA",
            "na-tot-court-support",
            "Namibia — training of trainers on court support, preparation and trial advocacy in GBV cases",
            "en_GB",
            103,
            76,
            {Profession.PROSECUTOR: 0.4, Profession.POLICE: 0.3, Profession.VICTIM_SERVICES: 0.3},
            Institution.Kind.PROSECUTION,
            "Office of the Prosecutor-General",
            True,
        ),
        (
            "VN",
            "vn-legal-assistance",
            "Viet Nam — legal assistance for survivors of violence against women and girls",
            "vi_VN",
            166,
            None,
            {Profession.POLICE: 0.4, Profession.PROSECUTOR: 0.3, Profession.LEGAL_AID: 0.3},
            Institution.Kind.LEGAL_AID,
            "Legal Aid Agency",
            False,
        ),
        (
            "KG",
            "kg-gender-responsive-police",
            "Kyrgyzstan — gender-responsive police and prosecution",
            "ru_RU",
            250,
            None,
            {Profession.POLICE: 0.8, Profession.PROSECUTOR: 0.2},
            Institution.Kind.POLICE,
            "Ministry of Internal Affairs",
            False,
        ),
        (
            "EG",
            "eg-judges-access-to-justice",
            "Egypt — judges facilitating access to justice for women victims of violence",
            "ar_EG",
            178,
            None,
            {Profession.JUDGE: 1.0},
            Institution.Kind.COURT,
            "Ministry of Justice — Judicial Training",
            False,
        ),
    ]
    for seed_number, (
        country_code,
        code,
        name,
        locale,
        count,
        female,
        mix,
        kind,
        inst_name,
        is_ttt,
    ) in enumerate(specs):
        country = Country.objects.get(code=country_code)
        programme = _programme(
            code,
            name,
            "",
            datetime.date(2019, 1, 1),
            datetime.date(2020, 12, 31),
            [country],
            [(orgs["unodc"], "implementer"), (orgs["eu"], "donor")],
            ["5.2", "16.3"],
        )
        Target.objects.create(
            programme=programme,
            description=f"{count} criminal justice professionals trained",
            metric="people_reached",
            value=count,
        )
        course = Course.objects.create(
            programme=programme,
            title=name.split(" — ", 1)[1].capitalize(),
            modality=Course.Modality.IN_PERSON,
            hours=24,
            is_train_the_trainer=is_ttt,
        )
        state = Subdivision.objects.filter(country=country).order_by("code").first()
        institution = Institution.objects.create(
            name=inst_name, kind=kind, country=country, subdivision=state
        )
        b = Builder(seed=4000 + seed_number, locale=locale)
        people = b.people(
            count,
            institutions=[institution],
            professions=mix,
            female_share=0.45,
            exact_female=female,
        )
        size = 35
        for start in range(0, count, size):
            b.workshop(
                course=course,
                title=f"{course.title} — {start // size + 1}",
                start=datetime.date(2019, 3 + start // size, 4),
                days=3,
                place={"country": country, "subdivision": state},
                trainers=[],
                participants=people[start : start + size],
                attendance=1.0 if is_ttt else 0.9,
                dropped=0 if is_ttt else 0.03,
            )
        made.append(programme)
    return made


ASIA_PACIFIC = ["TH", "VN", "KH", "LA", "MM", "ID", "PH", "MY", "NP", "LK"]


def seed_asia_pacific(orgs: dict[str, Organisation]) -> Programme:
    """Seed 004: "a training of trainers on effective prosecution responses to violence against
    women and girls, attended by prosecutors from 10 countries" — one workshop in Bangkok whose
    participants are counted in their own country (their prosecution service's)."""
    countries = list(Country.objects.filter(code__in=ASIA_PACIFIC).order_by("code"))
    programme = _programme(
        "ap-tot-prosecution",
        "Asia-Pacific — training of trainers on prosecuting violence against women and girls",
        "",
        datetime.date(2020, 1, 1),
        datetime.date(2020, 12, 31),
        countries,
        [(orgs["unodc"], "implementer"), (orgs["eu"], "donor")],
        ["5.2", "16.3"],
    )
    course = Course.objects.create(
        programme=programme,
        title="Effective prosecution responses to violence against women and girls",
        modality=Course.Modality.IN_PERSON,
        hours=24,
        is_train_the_trainer=True,
    )
    b = Builder(seed=4100, locale="en_GB")
    participants = []
    for country in countries:
        office = Institution.objects.create(
            name=f"Office of the Attorney General ({country.name})",
            kind=Institution.Kind.PROSECUTION,
            country=country,
            subdivision=None,
        )
        participants += b.people(
            3,
            institutions=[office],
            professions={Profession.PROSECUTOR: 1.0},
            female_share=0.5,
        )
    thailand = next(c for c in countries if c.code == "TH")
    b.workshop(
        course=course,
        title="Regional training of trainers — Bangkok",
        start=datetime.date(2020, 2, 17),
        days=3,
        place={"country": thailand},
        trainers=[],
        participants=participants,
        attendance=1.0,
        dropped=0,
        venue="Bangkok",
    )
    return programme
