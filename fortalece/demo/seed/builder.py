"""Small helpers the demo programmes are built with (bulk inserts, deterministic)."""

import datetime
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from fortalece.core.choices import Profession, Sex
from fortalece.people.models import Institution, Person
from fortalece.people.services import person_normalise
from fortalece.training.models import (
    Attendance,
    Course,
    Enrolment,
    Session,
    Workshop,
    WorkshopTrainer,
)


@dataclass
class Builder:
    seed: int
    locale: str = "es_MX"
    rng: random.Random = field(init=False)
    faker: Faker = field(init=False)
    workshops: list[Workshop] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.faker = Faker(self.locale)
        self.faker.seed_instance(self.seed)

    def people(
        self,
        count: int,
        *,
        institutions: list[Institution],
        professions: Mapping[Any, float],
        female_share: float,
        exact_female: int | None = None,
    ) -> list[Person]:
        kinds, weights = zip(*professions.items(), strict=True)
        rows = []
        for index in range(count):
            if exact_female is not None:
                female = index < exact_female
            else:
                female = self.rng.random() < female_share
            sex = Sex.FEMALE if female else Sex.MALE
            if exact_female is None and self.rng.random() < 0.01:
                sex = Sex.NOT_STATED
            given = self.faker.first_name_female() if female else self.faker.first_name_male()
            family = (
                f"{self.faker.last_name()} {self.faker.last_name()}"
                if self.locale == "es_MX"
                else self.faker.last_name()
            )
            rows.append(
                person_normalise(
                    Person(
                        given_names=given,
                        family_names=family,
                        sex=sex,
                        profession=self.rng.choices(kinds, weights)[0],
                        rank=self.rng.choice(
                            ["", "Policía", "Policía Primero", "Suboficial", "Oficial", ""]
                        )
                        if self.locale == "es_MX"
                        else "",
                        institution=self.rng.choice(institutions),
                    )
                )
            )
        return Person.objects.bulk_create(rows, batch_size=1000)

    def workshop(
        self,
        *,
        course: Course,
        title: str,
        start: datetime.date,
        days: int,
        place: dict[str, Any],
        trainers: list[tuple[Person, str]],
        participants: list[Person],
        attendance: float = 0.9,
        dropped: float = 0.03,
        venue: str = "",
        capacity: int | None = None,
        statuses: str | None = None,
    ) -> Workshop:
        """A workshop with one session a day; attendance drawn so completion follows the rule.

        ``statuses`` forces every participant's status (for future workshops: nominated/enrolled).
        """
        workshop = Workshop.objects.create(
            course=course,
            programme_id=course.programme_id,
            title=title,
            start_date=start,
            end_date=start + datetime.timedelta(days=days - 1),
            venue=venue,
            capacity=capacity,
            **place,
        )
        WorkshopTrainer.objects.bulk_create(
            WorkshopTrainer(workshop=workshop, person=p, role=role) for p, role in trainers
        )
        sessions = Session.objects.bulk_create(
            Session(workshop=workshop, date=start + datetime.timedelta(days=i)) for i in range(days)
        )
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(
                workshop=workshop,
                person=p,
                status=statuses
                or (
                    Enrolment.Status.DROPPED
                    if self.rng.random() < dropped
                    else Enrolment.Status.ENROLLED
                ),
            )
            for p in participants
        )
        if statuses is None:
            marks = []
            for enrolment in enrolments:
                if enrolment.status == Enrolment.Status.DROPPED:
                    continue
                keen = attendance >= 1.0 or self.rng.random() < 0.9
                for session in sessions:
                    present = self.rng.random() < (attendance if keen else 0.4)
                    marks.append(Attendance(session=session, enrolment=enrolment, present=present))
            Attendance.objects.bulk_create(marks, batch_size=2000)
        self.workshops.append(workshop)
        return workshop

    def sample(self, people: list[Person], count: int) -> list[Person]:
        return self.rng.sample(people, min(count, len(people)))


POLICE_MIX = {
    Profession.POLICE: 0.78,
    Profession.EMERGENCY_OPERATOR: 0.18,
    Profession.PUBLIC_OFFICIAL: 0.04,
}
