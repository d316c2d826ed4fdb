"""Adding and editing course items kind by kind: the kind comes first (the outline's
"Add: …" links or the chooser), the form shows and saves only that kind's fields, a quiz or
an assignment goes on to its own settings page, and the kind never changes afterwards."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from fortalece.core.testing import client_for
from fortalece.learning.models import CourseItem
from fortalece.learning.services import content
from fortalece.learning.tests.factories import CourseItemFactory
from fortalece.training.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

COMMON = {
    "module",
    "title",
    "title_en",
    "required",
    "duration_minutes",
    "release_on",
    "release_after",
}
FIELDS = {
    "lesson": COMMON | {"body"},
    "quiz": COMMON,
    "assignment": COMMON,
    "session": COMMON | {"session"},
}


def _client(user, language="en"):
    """Authors here read English; test_spanish_form_names_the_kind reads Spanish."""
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _add_url(module, kind=None):
    url = reverse("learning:item_add", args=[module.pk])
    return f"{url}?kind={kind}" if kind else url


def _data(online, kind, **extra):
    """What a browser sends for ``kind``, plus every other kind's fields (a crafted or an
    old page): those must be ignored."""
    data = {
        "kind": kind,
        "module": online.module.pk,
        "title": "Elemento nuevo",
        "title_en": "New item",
        "required": "on",
        "duration_minutes": "15",
        "release_on": "",
        "release_after": "",
        "session": online.session.pk,
        "body": "<p>Texto</p><script>alert(1)</script>",
    }
    data.update(extra)
    return data


def test_the_outline_offers_one_add_link_per_kind(online):
    html = _client(online.users["manager"]).get(reverse("learning:course", args=[online.course.pk]))
    page = html.content.decode()
    for kind, label in (
        ("lesson", "Add: Lesson"),
        ("quiz", "Add: Quiz"),
        ("assignment", "Add: Assignment"),
        ("session", "Add: In-person session"),
    ):
        assert f'href="{_add_url(online.module, kind)}"' in page
        assert label in page


@pytest.mark.parametrize("query", ["", "?kind=", "?kind=video", "?kind=Lesson"])
def test_without_a_known_kind_the_author_chooses_one_first(online, query):
    response = _client(online.users["manager"]).get(_add_url(online.module) + query)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "learning/item_kind.html"
    page = response.content.decode()
    for kind in CourseItem.Kind.values:
        assert f'href="{_add_url(online.module, kind)}"' in page
    assert 'name="title"' not in page


@pytest.mark.parametrize("kind", CourseItem.Kind.values)
def test_the_form_shows_only_the_fields_of_its_kind(online, kind):
    response = _client(online.users["manager"]).get(_add_url(online.module, kind))
    assert response.status_code == 200
    assert set(response.context["form"].fields) == FIELDS[kind]
    page = response.content.decode()
    assert ('name="body"' in page) == (kind == "lesson")
    assert ("data-lesson-editor" in page) == (kind == "lesson")
    assert ("editor.js" in page) == (kind == "lesson")
    assert ('name="session"' in page) == (kind == "session")
    # No kind picker: the kind travels as a hidden field of the page it was chosen for.
    assert '<select name="kind"' not in page
    assert f'<input type="hidden" name="kind" value="{kind}">' in page


def test_spanish_form_names_the_kind(online):
    client = _client(online.users["manager"], language="es")
    page = client.get(_add_url(online.module, "quiz")).content.decode()
    assert "Nuevo elemento: Cuestionario" in page
    assert "Tipo: Cuestionario." in page
    response = client.post(_add_url(online.module, "session"), _data(online, "session", session=""))
    assert response.context["form"].errors["session"] == ["Elija la sesión presencial."]


def test_a_lesson_saves_its_sanitised_text_and_no_session(online):
    response = _client(online.users["trainer"]).post(
        _add_url(online.module, "lesson"), _data(online, "lesson")
    )
    item = CourseItem.objects.get(title="Elemento nuevo")
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:item_edit", args=[item.pk])
    assert item.kind == "lesson"
    assert item.body == "<p>Texto</p>"
    assert item.session is None


def test_a_quiz_saves_no_text_or_session_and_goes_to_its_settings(online):
    client = _client(online.users["trainer"])
    response = client.post(_add_url(online.module, "quiz"), _data(online, "quiz"))
    item = CourseItem.objects.get(title="Elemento nuevo")
    assert (item.kind, item.body, item.session) == ("quiz", "", None)
    assert item.duration_minutes == 15
    assert response["Location"] == reverse("quizzes:settings", args=[item.pk])
    settings_page = client.get(response["Location"])
    assert settings_page.status_code == 200
    assert b"Quiz added. Now choose its questions and settings." in settings_page.content


def test_an_assignment_saves_no_text_or_session_and_goes_to_its_setup(online):
    client = _client(online.users["trainer"])
    response = client.post(_add_url(online.module, "assignment"), _data(online, "assignment"))
    item = CourseItem.objects.get(title="Elemento nuevo")
    assert (item.kind, item.body, item.session) == ("assignment", "", None)
    assert response["Location"] == reverse("assignments:setup", args=[item.pk])
    setup = client.get(response["Location"])
    assert setup.status_code == 200
    assert b"Assignment added." in setup.content
    # A new assignment has no page of its own yet: Cancel goes back to the course.
    assert reverse("learning:course", args=[online.course.pk]).encode() in setup.content


def test_a_session_item_names_a_session_of_this_course(online):
    client = _client(online.users["manager"])
    response = client.post(_add_url(online.module, "session"), _data(online, "session"))
    item = CourseItem.objects.get(title="Elemento nuevo")
    assert (item.kind, item.session, item.body) == ("session", online.session, "")
    assert response["Location"] == reverse("learning:course", args=[online.course.pk])


def test_a_session_item_without_a_session_is_refused(online):
    response = _client(online.users["manager"]).post(
        _add_url(online.module, "session"), _data(online, "session", session="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["session"] == ["Choose the in-person session."]
    assert not CourseItem.objects.filter(title="Elemento nuevo").exists()


def test_a_session_of_another_courses_workshop_is_refused(online):
    elsewhere = SessionFactory(workshop=online.other_workshop)
    response = _client(online.users["manager"]).post(
        _add_url(online.module, "session"), _data(online, "session", session=elsewhere.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["session"] == [
        "Choose a session of this course's workshops."
    ]
    assert not CourseItem.objects.filter(title="Elemento nuevo").exists()
    # The service says the same to any other caller.
    with translation.override("en"), pytest.raises(ValidationError) as error:
        content.item_create(module=online.module, kind="session", title="x", session=elsewhere)
    assert error.value.message_dict["session"] == ["Choose a session of this course's workshops."]


def test_the_picker_says_so_when_the_course_has_no_sessions(online):
    online.session.delete()
    response = _client(online.users["manager"]).get(_add_url(online.module, "session"))
    assert b"have no sessions yet" in response.content


def test_a_post_without_a_kind_goes_back_to_the_choice(online):
    data = _data(online, "lesson")
    del data["kind"]
    response = _client(online.users["manager"]).post(_add_url(online.module), data)
    assert response.status_code == 400
    assert b"Choose what kind of item to add." in response.content
    assert not CourseItem.objects.filter(title="Elemento nuevo").exists()


def test_editing_shows_the_kinds_fields_and_its_setup_page(online):
    client = _client(online.users["manager"])
    response = client.get(reverse("learning:item_edit", args=[online.quiz.pk]))
    assert set(response.context["form"].fields) == FIELDS["quiz"]
    page = response.content.decode()
    assert f'href="{reverse("quizzes:settings", args=[online.quiz.pk])}"' in page
    assert "Quiz settings" in page
    assert "The kind cannot change once the item is created." in page
    # Files are a lesson's: a quiz offers no upload.
    assert reverse("learning:resource_add", args=[online.quiz.pk]) not in page
    lesson = client.get(reverse("learning:item_edit", args=[online.lesson.pk])).content.decode()
    assert reverse("learning:resource_add", args=[online.lesson.pk]) in lesson
    assert "Quiz settings" not in lesson


def test_the_kind_of_an_item_never_changes(online):
    client = _client(online.users["manager"])
    response = client.post(
        reverse("learning:item_edit", args=[online.lesson.pk]),
        _data(online, "quiz", title="Lección 1"),
    )
    assert response.status_code == 200
    assert b"kind cannot change once it is created" in response.content
    online.lesson.refresh_from_db()
    assert (online.lesson.kind, online.lesson.body) == ("lesson", "<p>Hola</p>")
    with pytest.raises(ValidationError):
        content.item_update(item=online.lesson, kind="session")


def test_editing_a_quiz_ignores_text_and_a_session_sent_with_it(online):
    response = _client(online.users["manager"]).post(
        reverse("learning:item_edit", args=[online.quiz.pk]),
        _data(online, "quiz", title="Cuestionario final"),
    )
    assert response.status_code == 302
    online.quiz.refresh_from_db()
    assert (online.quiz.title, online.quiz.body, online.quiz.session) == (
        "Cuestionario final",
        "",
        None,
    )


def test_text_an_older_quiz_carries_stays_editable_until_emptied(online):
    CourseItem.objects.filter(pk=online.quiz.pk).update(body="<p>Lea antes la lección.</p>")
    client = _client(online.users["manager"])
    url = reverse("learning:item_edit", args=[online.quiz.pk])
    form = client.get(url).context["form"]
    assert "body" in form.fields
    with translation.override("en"):
        assert "Only lessons have text of their own" in str(form.fields["body"].help_text)
    client.post(url, _data(online, "quiz", title="Cuestionario", body="<p>Nuevo</p>"))
    online.quiz.refresh_from_db()
    assert online.quiz.body == "<p>Nuevo</p>"
    client.post(url, _data(online, "quiz", title="Cuestionario", body=""))
    online.quiz.refresh_from_db()
    assert online.quiz.body == ""
    assert "body" not in client.get(url).context["form"].fields


def test_files_are_attached_to_lessons_only(online):
    upload = SimpleUploadedFile("guia.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    with pytest.raises(ValidationError):
        content.resource_add(item=online.quiz, upload=upload)
    response = _client(online.users["manager"]).post(
        reverse("learning:resource_add", args=[online.quiz.pk]),
        {"file": SimpleUploadedFile("guia.pdf", b"%PDF-1.4 x")},
        follow=True,
    )
    assert b"Files are attached to lessons only." in response.content
    assert not online.quiz.resources.exists()


def test_an_older_session_items_files_can_still_be_removed(online):
    item = CourseItemFactory(module=online.module, kind="session", session=online.session)
    resource = content.resource_add(
        item=online.lesson, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 a")
    )
    resource.item = item
    resource.save()
    page = _client(online.users["manager"]).get(reverse("learning:item_edit", args=[item.pk]))
    html = page.content.decode()
    assert reverse("learning:resource_delete", args=[resource.pk]) in html
    assert reverse("learning:resource_add", args=[item.pk]) not in html


def test_an_online_course_without_sessions_is_not_offered_a_session_item(online):
    from fortalece.training.models import Session

    Session.objects.filter(workshop__course=online.course).delete()
    client = _client(online.users["manager"])
    page = client.get(reverse("learning:course", args=[online.course.pk])).content.decode()
    assert f'href="{_add_url(online.module, "lesson")}"' in page
    assert f'href="{_add_url(online.module, "session")}"' not in page
    chooser = client.get(_add_url(online.module)).content.decode()
    assert f'href="{_add_url(online.module, "session")}"' not in chooser
    assert f'href="{_add_url(online.module, "quiz")}"' in chooser
