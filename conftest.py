import datetime
from types import SimpleNamespace

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    """Two countries, a programme in Mexico with a course, a workshop, a session, people and
    one user per role and scope — the cast of every permission matrix."""
    from fortalece.accounts.models import Role
    from fortalece.core.testing import make_user
    from fortalece.geography.tests.factories import CountryFactory, SubdivisionFactory
    from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
    from fortalece.programmes.tests.factories import ProgrammeFactory, TargetFactory
    from fortalece.training.models import Enrolment, WorkshopTrainer
    from fortalece.training.tests.factories import (
        CourseFactory,
        EnrolmentFactory,
        SessionFactory,
        WorkshopFactory,
    )

    mexico = CountryFactory(code="MX")
    guatemala = CountryFactory(code="GT")
    michoacan = SubdivisionFactory(country=mexico, code="MX-MIC", name="Michoacán")
    jalisco = SubdivisionFactory(country=mexico, code="MX-JAL", name="Jalisco")
    programme = ProgrammeFactory(countries=[mexico])
    other_programme = ProgrammeFactory(countries=[guatemala])
    target = TargetFactory(programme=programme)
    course = CourseFactory(programme=programme)
    institution = InstitutionFactory(country=mexico, subdivision=michoacan)
    other_institution = InstitutionFactory(country=guatemala, subdivision=None)
    trainer_person = PersonFactory(institution=institution)
    person = PersonFactory(institution=institution, email="officer@example.org")
    stranger = PersonFactory(institution=other_institution)
    workshop = WorkshopFactory(
        course=course,
        country=mexico,
        subdivision=michoacan,
        start_date=datetime.date(2021, 11, 22),
        end_date=datetime.date(2021, 11, 24),
    )
    other_workshop = WorkshopFactory(
        course=CourseFactory(programme=other_programme), country=guatemala
    )
    session = SessionFactory(workshop=workshop, date=datetime.date(2021, 11, 22))
    WorkshopTrainer.objects.create(workshop=workshop, person=trainer_person)
    enrolment = EnrolmentFactory(workshop=workshop, person=person, status=Enrolment.Status.ENROLLED)
    users = {
        "admin": make_user(Role.ADMINISTRATOR),
        "manager": make_user(Role.PROGRAMME_MANAGER, country=mexico),
        "state_manager": make_user(Role.PROGRAMME_MANAGER, subdivision=michoacan),
        "other_state_manager": make_user(Role.PROGRAMME_MANAGER, subdivision=jalisco),
        "other_manager": make_user(Role.PROGRAMME_MANAGER, country=guatemala),
        "me": make_user(Role.ME_OFFICER, country=mexico),
        "trainer": make_user(Role.TRAINER, programme=programme, person=trainer_person),
        "focal": make_user(Role.FOCAL_POINT, institution=institution),
        "donor": make_user(Role.DONOR_VIEWER, programme=programme),
        "learner": make_user(Role.LEARNER, person=person),
        "inactive": make_user(Role.ADMINISTRATOR, active=False),
    }
    return SimpleNamespace(
        mexico=mexico,
        guatemala=guatemala,
        michoacan=michoacan,
        jalisco=jalisco,
        programme=programme,
        other_programme=other_programme,
        target=target,
        course=course,
        institution=institution,
        other_institution=other_institution,
        person=person,
        stranger=stranger,
        trainer_person=trainer_person,
        workshop=workshop,
        other_workshop=other_workshop,
        session=session,
        enrolment=enrolment,
        users=users,
    )


def matrix(world, allowed: set[str]):
    """Rows for ``assert_permission_matrix``: anonymous and inactive are always refused."""
    from fortalece.core.testing import Expect

    rows = [Expect("anonymous", None, False)]
    for label, user in world.users.items():
        rows.append(Expect(label, user, label in allowed and label != "inactive"))
    return rows
