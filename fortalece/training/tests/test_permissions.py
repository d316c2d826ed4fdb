"""Who may reach every training URL, with the exact answer each person gets.

``ok`` is 200 (or a redirect after a POST); 404 means the object is outside the user's scope
(they cannot even learn it exists); 403 means the user's role may never do this. Anonymous and
inactive users are always sent to the sign-in page.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from fortalece.accounts.models import Role
from fortalece.core.testing import client_for, make_user
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import Course, Enrolment, Session, Workshop, WorkshopTrainer
from fortalece.training.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

OK = "ok"
LABELS = (
    "admin",
    "manager",  # programme manager, Mexico
    "programme_manager",  # programme manager of the workshop's programme
    "state_manager",  # programme manager, Michoacán (the workshop's state)
    "other_state_manager",  # programme manager, Jalisco
    "other_manager",  # programme manager, Guatemala
    "me",  # M&E officer, Mexico
    "trainer",  # trains the workshop
    "other_trainer",  # trains another workshop of the same programme
    "focal",  # focal point of a Michoacán institution
    "other_focal",  # focal point of a Guatemalan institution
    "donor",
    "learner",
)


@pytest.fixture
def cast(world):
    other_trainer_person = PersonFactory(institution=world.institution)
    jalisco_workshop = WorkshopFactory(
        course=world.course, country=world.mexico, subdivision=world.jalisco
    )
    WorkshopTrainer.objects.create(workshop=jalisco_workshop, person=other_trainer_person)
    users = dict(world.users)
    users["programme_manager"] = make_user(Role.PROGRAMME_MANAGER, programme=world.programme)
    users["other_trainer"] = make_user(
        Role.TRAINER, programme=world.programme, person=other_trainer_person
    )
    users["other_focal"] = make_user(Role.FOCAL_POINT, institution=world.other_institution)
    return SimpleNamespace(world=world, users=users)


def expect(default: object = 403, **overrides: object) -> dict[str, object]:
    table = dict.fromkeys(LABELS, default)
    table.update(overrides)
    return table


def check(cast, url: str, table: dict[str, object], *, method: str = "get", data=None) -> None:
    failures = []
    for label, user in [("anonymous", None), ("inactive", cast.users["inactive"])] + [
        (label, cast.users[label]) for label in LABELS
    ]:
        if method == "post" and label in table and table[label] == OK:
            continue  # a successful POST changes data; allowed POSTs are tested one by one
        response = getattr(client_for(user), method)(url, data or {})
        code = response.status_code
        if label in ("anonymous", "inactive"):
            good = code == 302 and "/accounts/login/" in response["Location"]
            wanted: object = "login"
        else:
            wanted = table[label]
            good = (
                code == 200 or (method == "post" and code == 302)
                if wanted == OK
                else code == wanted
            )
        if not good:
            failures.append(f"{label}: {method.upper()} {url} -> {code}, expected {wanted}")
    assert not failures, "\n".join(failures)


# Who is who, for the workshop in Michoacán of the Mexican programme --------------------------

VIEWERS = {
    "admin": OK,
    "manager": OK,
    "programme_manager": OK,
    "state_manager": OK,
    "other_state_manager": 404,
    "other_manager": 404,
    "me": OK,
    "trainer": OK,
    "other_trainer": 404,
    "focal": OK,
    "other_focal": 404,
}
CHANGERS = {  # plan and edit the workshop
    "admin": OK,
    "manager": OK,
    "programme_manager": OK,
    "state_manager": OK,
    "other_state_manager": 404,
    "other_manager": 404,
}
RUNNERS = {**CHANGERS, "trainer": OK, "other_trainer": 404}  # enrol and take attendance
NOMINATORS = {"admin": OK, "focal": OK, "other_focal": 404}
ALL_STAFF_LISTS = {label: OK for label in LABELS if label not in ("donor", "learner")}


def test_course_list_is_open_to_training_staff_only(cast):
    check(cast, reverse("training:course_list"), expect(**ALL_STAFF_LISTS))


def test_course_list_filtered_by_an_invisible_programme_is_not_found(cast):
    url = reverse("training:course_list") + f"?programme={cast.world.programme.pk}"
    check(cast, url, expect(**{**ALL_STAFF_LISTS, "other_manager": 404, "other_focal": 404}))


def test_course_create_is_for_country_and_programme_managers(cast):
    allowed = {"admin": OK, "manager": OK, "programme_manager": OK, "other_manager": OK}
    for method in ("get", "post"):
        check(cast, reverse("training:course_create"), expect(**allowed), method=method)
    assert Course.objects.count() == 2


def test_course_detail_follows_the_programme_countries(cast):
    table = expect(**{**ALL_STAFF_LISTS, "other_manager": 404, "other_focal": 404})
    check(cast, reverse("training:course_detail", args=[cast.world.course.pk]), table)


@pytest.mark.parametrize("name", ["course_update", "course_delete"])
def test_course_edit_and_delete_are_for_programme_level_managers(cast, name):
    table = expect(
        admin=OK,
        manager=OK,
        programme_manager=OK,
        state_manager=403,  # sees the course, may not edit the curriculum
        other_state_manager=403,
        other_manager=404,
    )
    url = reverse(f"training:{name}", args=[cast.world.course.pk])
    check(cast, url, table)
    check(cast, url, table, method="post", data={"title": "Hacked"})
    assert Course.objects.filter(pk=cast.world.course.pk).exclude(title="Hacked").exists()


def test_workshop_list_is_open_to_training_staff_only(cast):
    check(cast, reverse("training:workshop_list"), expect(**ALL_STAFF_LISTS))


def test_workshop_create_is_for_programme_managers(cast):
    managers = {
        label: OK
        for label in (
            "admin",
            "manager",
            "programme_manager",
            "state_manager",
            "other_state_manager",
            "other_manager",
        )
    }
    check(cast, reverse("training:workshop_create"), expect(**managers))
    check(cast, reverse("training:workshop_create"), expect(**managers), method="post")
    # Starting from a course outside one's scope: not found.
    url = reverse("training:workshop_create") + f"?course={cast.world.course.pk}"
    check(cast, url, expect(**{**managers, "other_manager": 404}))


def test_workshop_detail(cast):
    check(
        cast, reverse("training:workshop_detail", args=[cast.world.workshop.pk]), expect(**VIEWERS)
    )


@pytest.mark.parametrize(
    "name", ["workshop_update", "workshop_delete", "session_create", "workshop_trainers"]
)
def test_workshop_management_pages_are_for_managers_in_scope(cast, name):
    url = reverse(f"training:{name}", args=[cast.world.workshop.pk])
    check(cast, url, expect(**CHANGERS))
    check(
        cast, url, expect(**CHANGERS), method="post", data={"remove": cast.world.trainer_person.pk}
    )
    assert Workshop.objects.filter(pk=cast.world.workshop.pk).exists()
    assert cast.world.workshop.trainers.exists()


@pytest.mark.parametrize("name", ["session_update", "session_delete"])
def test_session_pages_are_for_managers_in_scope(cast, name):
    url = reverse(f"training:{name}", args=[cast.world.workshop.pk, cast.world.session.pk])
    check(cast, url, expect(**CHANGERS))
    check(cast, url, expect(**CHANGERS), method="post", data={"date": "2021-11-23"})
    assert Session.objects.filter(pk=cast.world.session.pk, date="2021-11-22").exists()


def test_session_of_another_workshop_is_not_found_even_for_an_admin(cast):
    other = Session.objects.create(workshop=cast.world.other_workshop, date="2021-11-22")
    client = client_for(cast.users["admin"])
    for name in ("session_update", "session_delete", "session_attendance"):
        url = reverse(f"training:{name}", args=[cast.world.workshop.pk, other.pk])
        assert client.get(url).status_code == 404


def test_attendance_is_for_managers_in_scope_and_the_workshop_trainers(cast):
    url = reverse(
        "training:session_attendance", args=[cast.world.workshop.pk, cast.world.session.pk]
    )
    check(cast, url, expect(**RUNNERS))
    check(cast, url, expect(**RUNNERS), method="post", data={"all_present": "1"})
    assert not cast.world.session.attendance.exists()


def test_enrolment_page_is_for_managers_in_scope_and_the_workshop_trainers(cast):
    url = reverse("training:workshop_enrol", args=[cast.world.workshop.pk])
    check(cast, url, expect(**RUNNERS))
    check(cast, url, expect(**RUNNERS), method="post", data={"person": cast.world.stranger.pk})
    assert not Enrolment.objects.filter(person=cast.world.stranger).exists()


def test_enrolment_status_changes_are_for_managers_in_scope_and_the_workshop_trainers(cast):
    url = reverse(
        "training:enrolment_status", args=[cast.world.workshop.pk, cast.world.enrolment.pk]
    )
    check(cast, url, expect(**RUNNERS), method="post", data={"action": "dropped"})
    check(cast, url, expect(**RUNNERS), method="post", data={"action": "remove"})
    assert Enrolment.objects.get(pk=cast.world.enrolment.pk).status == Enrolment.Status.ENROLLED


@pytest.mark.parametrize(
    ("purpose", "table"),
    [
        ("enrol", {**VIEWERS, **RUNNERS, "me": 403, "focal": 403}),
        ("trainer", {**VIEWERS, **CHANGERS, "me": 403, "trainer": 403, "focal": 403}),
        (
            "nominate",
            {
                **VIEWERS,
                "manager": 403,
                "programme_manager": 403,
                "state_manager": 403,
                "me": 403,
                "trainer": 403,
                **NOMINATORS,
            },
        ),
    ],
)
def test_person_search_answers_only_those_who_may_use_its_result(cast, purpose, table):
    url = reverse("training:person_search", args=[cast.world.workshop.pk]) + f"?for={purpose}"
    full = expect(**table)
    failures = []
    for label in LABELS:
        code = client_for(cast.users[label]).post(url, {"q": "ab"}).status_code
        wanted = 200 if full[label] == OK else full[label]
        if code != wanted:
            failures.append(f"{label}: {code}, expected {wanted}")
    assert not failures, "\n".join(failures)
    check(cast, url, full, method="post", data={"q": "ab"})


def test_nomination_is_for_focal_points_who_see_the_workshop(cast):
    url = reverse("training:workshop_nominate", args=[cast.world.workshop.pk])
    check(cast, url, expect(**NOMINATORS))
    own = PersonFactory(institution=cast.world.institution)
    check(cast, url, expect(**NOMINATORS), method="post", data={"person": own.pk})
    assert not Enrolment.objects.filter(person=own).exists()


def test_my_training_is_for_everyone_signed_in(cast):
    check(cast, reverse("training:my_training"), expect(OK))


def test_a_learner_reaches_nothing_but_my_training(cast):
    client = client_for(cast.users["learner"])
    w, s, e = cast.world.workshop, cast.world.session, cast.world.enrolment
    urls = [
        reverse("training:course_list"),
        reverse("training:course_detail", args=[cast.world.course.pk]),
        reverse("training:workshop_list"),
        reverse("training:workshop_detail", args=[w.pk]),
        reverse("training:session_attendance", args=[w.pk, s.pk]),
        reverse("training:workshop_enrol", args=[w.pk]),
        reverse("training:workshop_nominate", args=[w.pk]),
    ]
    assert {client.get(url).status_code for url in urls} == {403}
    assert (
        client.post(
            reverse("training:enrolment_status", args=[w.pk, e.pk]), {"action": "dropped"}
        ).status_code
        == 403
    )
    assert client.get(reverse("training:my_training")).status_code == 200


# Roll-out workshops trainers record, and managers validate ----------------------------------


def test_recording_a_workshop_is_for_trainers_with_a_person_record(cast):
    # Trainers record workshops they give; managers plan them with "New workshop" instead.
    table = expect(trainer=OK, other_trainer=OK)
    check(cast, reverse("training:workshop_record"), table)
    check(cast, reverse("training:workshop_record"), table, method="post")


def test_validation_queue_is_for_programme_managers(cast):
    table = expect(
        admin=OK,
        manager=OK,
        programme_manager=OK,
        state_manager=OK,
        other_state_manager=OK,
        other_manager=OK,
    )
    check(cast, reverse("training:validation_queue"), table)


def test_validating_a_workshop_follows_the_managers_scope(cast):
    workshop = cast.world.workshop
    Workshop.objects.filter(pk=workshop.pk).update(validation=Workshop.Validation.PENDING)
    data = {"workshop": workshop.pk, "decision": "validate"}
    # Refused: outside their scope (404), or their role may never validate (403).
    table = expect(**CHANGERS)
    check(cast, reverse("training:validation_queue"), table, method="post", data=data)
    assert Workshop.objects.get(pk=workshop.pk).validation == Workshop.Validation.PENDING
    response = client_for(cast.users["state_manager"]).post(
        reverse("training:validation_queue"), data
    )
    assert response.status_code == 302
    assert Workshop.objects.get(pk=workshop.pk).validation == Workshop.Validation.VALIDATED


def test_workshop_survey_links_are_for_its_trainers_and_managers(cast):
    url = reverse("training:workshop_surveys", args=[cast.world.workshop.pk])
    check(cast, url, expect(**RUNNERS, me=403, focal=403))
