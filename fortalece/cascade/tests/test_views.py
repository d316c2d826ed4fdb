import datetime

import pytest
from django.urls import reverse

from fortalece.accounts.models import Role
from fortalece.cascade import services
from fortalece.cascade.models import Accreditation, AccreditationEvent, AccreditationRule
from fortalece.cascade.selectors import accreditation_overview
from fortalece.core.testing import Expect, assert_permission_matrix, client_for, make_user
from fortalece.geography.tests.factories import CountryFactory
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import Enrolment, WorkshopTrainer
from fortalece.training.tests.factories import CourseFactory, EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    mexico = CountryFactory(code="MX")
    guatemala = CountryFactory(code="GT")
    master = PersonFactory(given_names="Alejandra", family_names="Ruíz Ortiz")
    workshop = WorkshopFactory()
    WorkshopTrainer.objects.create(workshop=workshop, person=master)
    learners = [
        EnrolmentFactory(workshop=workshop, status=Enrolment.Status.COMPLETED).person
        for _ in range(3)
    ]
    second = WorkshopFactory(course=workshop.course)
    WorkshopTrainer.objects.create(workshop=second, person=learners[0])
    EnrolmentFactory(workshop=second, status=Enrolment.Status.ATTENDED)
    trainer_user = make_user(Role.TRAINER, programme=workshop.programme, person=master)
    return {
        "master": master,
        "programme": workshop.programme,
        "workshop": workshop,
        "learners": learners,
        "admin": make_user(Role.ADMINISTRATOR),
        "manager": make_user(Role.PROGRAMME_MANAGER, country=mexico),
        "other_manager": make_user(Role.PROGRAMME_MANAGER, country=guatemala),
        "trainer": trainer_user,
        "donor": make_user(Role.DONOR_VIEWER, programme=workshop.programme),
        "learner": make_user(Role.LEARNER, person=learners[2]),
        "inactive": make_user(Role.ADMINISTRATOR, active=False),
    }


def test_trainer_sees_their_own_cascade_with_direct_and_indirect_reach(world):
    response = client_for(world["trainer"]).get(
        reverse("cascade:trainer", args=[world["master"].pk])
    )
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.direct, figures.indirect, figures.trainers_trained) == (3, 1, 1)
    assert [p.pk for p, _ in response.context["tree"]] == [world["learners"][0].pk]


def test_tree_children_load_for_the_branch(world):
    response = client_for(world["admin"]).get(
        reverse("cascade:trainer_children", args=[world["learners"][0].pk])
    )
    assert response.status_code == 200


def test_trainer_cascade_permission_matrix(world):
    url = reverse("cascade:trainer", args=[world["master"].pk])
    assert_permission_matrix(
        url,
        [
            Expect("anonymous", None, False),
            Expect("inactive", world["inactive"], False),
            Expect("admin", world["admin"], True),
            Expect("manager in scope", world["manager"], True),
            Expect("trainer themself", world["trainer"], True),
            Expect("manager of another country", world["other_manager"], False),
            Expect("donor", world["donor"], False),
            Expect("learner", world["learner"], False),
        ],
    )


def test_programme_cascade_permission_matrix_and_donors_see_no_names(world):
    url = reverse("cascade:programme", args=[world["programme"].pk])
    assert_permission_matrix(
        url,
        [
            Expect("anonymous", None, False),
            Expect("inactive", world["inactive"], False),
            Expect("admin", world["admin"], True),
            Expect("manager in scope", world["manager"], True),
            Expect("donor", world["donor"], True),
            Expect("manager of another country", world["other_manager"], False),
            Expect("learner", world["learner"], False),
        ],
    )
    body = client_for(world["donor"]).get(url).content.decode()
    assert world["master"].family_names not in body


def test_accreditation_grant_withdraw_keeps_history(world):
    programme = world["programme"]
    ttt = CourseFactory(programme=programme, is_train_the_trainer=True)
    rule = services.accreditation_rule_create(
        programme=programme,
        course=world["workshop"].course,
        ttt_course=ttt,
        requires_assessment=False,
        min_cofacilitations=1,
        validity_months=24,
    )
    client = client_for(world["manager"])
    client.post(
        reverse("cascade:grant", args=[rule.pk]), {"person": world["master"].pk, "reason": "Passed"}
    )
    accreditation = Accreditation.objects.get()
    assert accreditation.status == Accreditation.Status.ACTIVE
    assert (
        accreditation.expires_on
        == datetime.date(
            accreditation.granted_on.year + 2,
            accreditation.granted_on.month,
            accreditation.granted_on.day,
        )
        or accreditation.expires_on is not None
    )
    client.post(
        reverse("cascade:withdraw", args=[rule.pk]),
        {"accreditation": accreditation.pk, "reason": "Left the police"},
    )
    accreditation.refresh_from_db()
    assert accreditation.status == Accreditation.Status.WITHDRAWN
    assert list(AccreditationEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "granted",
        "withdrawn",
    ]
    assert (
        client_for(world["manager"]).get(reverse("cascade:rule", args=[rule.pk])).status_code == 200
    )
    assert_permission_matrix(
        reverse("cascade:rule", args=[rule.pk]),
        [
            Expect("anonymous", None, False),
            Expect("admin", world["admin"], True),
            Expect("manager", world["manager"], True),
            Expect("other manager", world["other_manager"], False),
            Expect("donor", world["donor"], False),
            Expect("learner", world["learner"], False),
        ],
    )
    assert_permission_matrix(
        reverse("cascade:grant", args=[rule.pk]),
        [
            Expect("other manager", world["other_manager"], False),
            Expect("donor", world["donor"], False),
        ],
        method="post",
        data={"person": world["master"].pk, "reason": "x"},
    )


def test_candidates_who_completed_the_ttt_course_and_miss_one_step_are_close(world):
    programme = world["programme"]
    ttt = CourseFactory(programme=programme, is_train_the_trainer=True)
    ttt_workshop = WorkshopFactory(course=ttt)
    candidate = EnrolmentFactory(workshop=ttt_workshop, status=Enrolment.Status.COMPLETED).person
    rule = AccreditationRule.objects.create(
        programme=programme,
        course=world["workshop"].course,
        ttt_course=ttt,
        requires_assessment=True,
        min_cofacilitations=1,
    )
    overview = accreditation_overview(rule)
    assert [p.pk for p, _ in overview["close"]] == []  # two steps missing
    WorkshopTrainer.objects.create(workshop=world["workshop"], person=candidate)
    overview = accreditation_overview(rule)
    assert [p.pk for p, _ in overview["close"]] == [candidate.pk]


def test_awards_are_recorded_and_shown(world):
    client = client_for(world["manager"])
    response = client.post(
        reverse("cascade:award_create", args=[world["master"].pk]),
        {"title": "Social Merit Award", "awarded_by": "SSP Michoacán", "awarded_on": "2021-01-12"},
    )
    assert response.status_code == 302
    page = client.get(reverse("cascade:trainer", args=[world["master"].pk])).content.decode()
    assert "Social Merit Award" in page
    assert_permission_matrix(
        reverse("cascade:award_create", args=[world["master"].pk]),
        [
            Expect("anonymous", None, False),
            Expect("manager", world["manager"], True),
            Expect("trainer", world["trainer"], False),
            Expect("donor", world["donor"], False),
        ],
    )


def _refuse(*args, **kwargs):
    from django.core.exceptions import ValidationError

    raise ValidationError("Refused by the service.")


@pytest.mark.parametrize("service", ["trainer_assessment_record", "award_create"])
def test_what_the_service_refuses_shows_on_the_form(world, monkeypatch, service):
    monkeypatch.setattr(services, service, _refuse)
    master = world["master"]
    if service == "award_create":
        url = reverse("cascade:award_create", args=[master.pk])
        data = {"title": "Social Merit Award", "awarded_by": "SSP", "awarded_on": "2021-01-12"}
    else:
        rule = services.accreditation_rule_create(
            programme=world["programme"],
            course=world["workshop"].course,
            ttt_course=CourseFactory(programme=world["programme"], is_train_the_trainer=True),
            requires_assessment=True,
        )
        url = reverse("cascade:assessment", args=[rule.pk, master.pk])
        data = {"passed": "on", "assessed_on": "2021-01-12"}
    response = client_for(world["admin"]).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Refused by the service."]
    assert b"Refused by the service." in response.content
