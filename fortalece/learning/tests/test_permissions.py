"""Who may reach every learning URL. Anonymous and inactive users go to the sign-in page;
refused users get 403/404; a learner never reaches another learner's progress and a trainer
only their own cohorts."""

import pytest
from django.urls import reverse

from fortalece.core.testing import Expect, assert_permission_matrix

pytestmark = pytest.mark.django_db

STAFF_VIEW = {
    "admin",
    "manager",
    "state_manager",
    "other_state_manager",
    "me",
    "trainer",
    "other_trainer",
}
AUTHORS = {"admin", "manager", "trainer", "other_trainer"}
EVERYONE = {
    "admin",
    "manager",
    "state_manager",
    "other_state_manager",
    "other_manager",
    "me",
    "trainer",
    "other_trainer",
    "focal",
    "donor",
    "learner",
    "other_learner",
}


def rows(world, allowed):
    result = [Expect("anonymous", None, False)]
    for label, user in world.users.items():
        result.append(Expect(label, user, label in allowed and label != "inactive"))
    return result


def test_home_and_mine_are_for_every_signed_in_user(online):
    # Staff see their courses; everyone else is sent to their own learning page.
    assert_permission_matrix(reverse("learning:mine"), rows(online, EVERYONE))


@pytest.mark.parametrize("name", ["learning:course", "learning:preview"])
def test_course_pages_are_for_staff_of_the_programme(online, name):
    assert_permission_matrix(reverse(name, args=[online.course.pk]), rows(online, STAFF_VIEW))


def test_item_preview_is_for_staff_of_the_programme(online):
    url = reverse("learning:item_preview", args=[online.lesson.pk])
    assert_permission_matrix(url, rows(online, STAFF_VIEW))


@pytest.mark.parametrize("name", ["learning:copy", "learning:export"])
def test_copy_and_export_are_for_authors(online, name):
    assert_permission_matrix(reverse(name, args=[online.course.pk]), rows(online, AUTHORS))


def test_import_is_for_anyone_who_authors_somewhere(online):
    # The page itself is role-wide; its programme list holds only the user's own.
    assert_permission_matrix(reverse("learning:import"), rows(online, AUTHORS | {"other_manager"}))


@pytest.mark.parametrize("name", ["learning:item_edit", "learning:item_delete"])
def test_item_authoring_is_for_authors(online, name):
    assert_permission_matrix(reverse(name, args=[online.lesson.pk]), rows(online, AUTHORS))


@pytest.mark.parametrize("name", ["learning:module_edit", "learning:module_delete"])
def test_module_authoring_is_for_authors(online, name):
    assert_permission_matrix(reverse(name, args=[online.module.pk]), rows(online, AUTHORS))


def test_item_add_is_for_authors(online):
    url = reverse("learning:item_add", args=[online.module.pk]) + "?kind=lesson"
    assert_permission_matrix(url, rows(online, AUTHORS))


@pytest.mark.parametrize(
    ("name", "target", "data"),
    [
        ("learning:module_add", "course", {"title": "Nuevo"}),
        ("learning:module_move", "module", {"direction": "down"}),
        ("learning:item_move", "lesson", {"direction": "down"}),
    ],
)
def test_authoring_posts_are_for_authors(online, name, target, data):
    pk = getattr(online, target).pk
    assert_permission_matrix(
        reverse(name, args=[pk]), rows(online, AUTHORS), method="post", data=data
    )


def test_resource_delete_is_for_authors(online):
    from fortalece.core.testing import client_for
    from fortalece.learning.models import Resource

    url = reverse("learning:resource_delete", args=[online.resource.pk])
    for label, user in online.users.items():
        if label not in AUTHORS:
            assert client_for(user).post(url).status_code in (302, 403, 404), label
    assert Resource.objects.filter(pk=online.resource.pk).exists()
    assert client_for(online.users["trainer"]).post(url).status_code == 302
    assert not Resource.objects.filter(pk=online.resource.pk).exists()


def test_reorder_post_is_for_authors(online):
    ids = [online.optional.pk, online.quiz.pk, online.lesson.pk]
    for label, user in online.users.items():
        if label in AUTHORS:
            continue
        from fortalece.core.testing import client_for

        response = client_for(user).post(
            reverse("learning:module_order", args=[online.module.pk]), {"item": ids}
        )
        assert response.status_code in (302, 403, 404), label


def test_resource_download_is_for_staff_and_the_course_learners(online):
    url = reverse("learning:resource", args=[online.resource.pk])
    assert_permission_matrix(url, rows(online, STAFF_VIEW | {"learner", "other_learner"}))


def test_take_pages_are_for_the_learners_of_the_course_only(online):
    allowed = {"learner", "other_learner"}
    assert_permission_matrix(
        reverse("learning:take", args=[online.course.pk]), rows(online, allowed)
    )
    assert_permission_matrix(
        reverse("learning:item", args=[online.lesson.pk]), rows(online, allowed)
    )


def test_lesson_complete_is_for_the_learners_of_the_course_only(online):
    assert_permission_matrix(
        reverse("learning:item_complete", args=[online.lesson.pk]),
        rows(online, {"learner", "other_learner"}),
        method="post",
    )


def test_cohort_progress_is_for_managers_and_the_cohorts_own_trainers(online):
    assert_permission_matrix(
        reverse("learning:cohort", args=[online.workshop.pk]),
        rows(online, {"admin", "manager", "state_manager", "trainer"}),
    )
    assert_permission_matrix(
        reverse("learning:cohort", args=[online.other_cohort.pk]),
        rows(online, {"admin", "manager", "other_trainer"}),
    )


def test_a_learners_pages_show_only_their_own_progress(online):
    from fortalece.core.testing import client_for
    from fortalece.learning.services import item_record_result

    item_record_result(enrolment=online.other_enrolment, item=online.lesson, completed=True)
    page = client_for(online.users["learner"]).get(
        reverse("learning:take", args=[online.course.pk])
    )
    assert page.status_code == 200
    assert page.context["view"].progress.done == 0
    assert page.context["enrolment"] == online.enrolment
    mine = client_for(online.users["learner"]).get(reverse("learning:mine"))
    assert [e.pk for e in mine.context["enrolments"]] == [online.enrolment.pk]


@pytest.fixture
def diploma(online):
    from fortalece.learning.services.diplomas import diploma_course_add, diploma_create

    d = diploma_create(programme=online.programme, title="Diplomado", hours=120)
    diploma_course_add(diploma=d, course=online.course)
    return d


def test_diploma_pages(online, diploma):
    role_wide = STAFF_VIEW | {"other_manager"}
    assert_permission_matrix(reverse("learning:diploma_list"), rows(online, role_wide))
    assert_permission_matrix(
        reverse("learning:diploma", args=[diploma.pk]), rows(online, STAFF_VIEW)
    )
    assert_permission_matrix(
        reverse("learning:diploma_add"), rows(online, AUTHORS | {"other_manager"})
    )
    assert_permission_matrix(
        reverse("learning:diploma_edit", args=[diploma.pk]), rows(online, AUTHORS)
    )
    entry = diploma.entries.get()
    assert_permission_matrix(
        reverse("learning:diploma_entry", args=[entry.pk]),
        rows(online, AUTHORS),
        method="post",
        data={"action": "up"},
    )
    assert_permission_matrix(
        reverse("learning:diploma_course_add", args=[diploma.pk]),
        rows(online, AUTHORS),
        method="post",
        data={"course": online.course.pk},
    )


def test_diploma_award_pdf_is_for_its_holder_and_staff(online, diploma):
    from fortalece.learning.services import item_record_result

    for item in (online.lesson, online.quiz):
        item_record_result(enrolment=online.enrolment, item=item, completed=True)
    award = diploma.awards.get()
    assert_permission_matrix(
        reverse("learning:diploma_award_pdf", args=[award.pk]),
        rows(online, STAFF_VIEW | {"learner"}),
    )
    from django.test import Client

    verify = Client().get(reverse("learning:diploma_verify", args=[award.code]))
    assert verify.status_code == 200
    assert Client().get(reverse("learning:diploma_verify", args=["NOPE"])).status_code == 404


def test_home_lists_courses_for_staff_and_sends_everyone_else_to_their_own_page(online):
    from fortalece.core.testing import client_for

    url = reverse("learning:home")
    # A manager elsewhere gets the page too, with none of this programme's courses.
    staff = STAFF_VIEW | {"other_manager"}
    assert_permission_matrix(url, [r for r in rows(online, staff) if r.allowed or not r.user])
    page = client_for(online.users["other_manager"]).get(url)
    assert list(page.context["object_list"]) == []
    for label in ("focal", "donor", "learner"):
        response = client_for(online.users[label]).get(url)
        assert response.status_code == 302 and response["Location"] == reverse("learning:mine")


def test_resource_upload_is_for_authors(online):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fortalece.core.testing import client_for
    from fortalece.learning.models import Resource

    url = reverse("learning:resource_add", args=[online.lesson.pk])
    for label, user in online.users.items():
        before = Resource.objects.count()
        response = client_for(user).post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF")})
        if label in AUTHORS:
            assert response.status_code == 302 and Resource.objects.count() == before + 1
        else:
            assert response.status_code in (302, 403, 404) and Resource.objects.count() == before
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"], label
