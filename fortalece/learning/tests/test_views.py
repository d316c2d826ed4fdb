"""Authoring and learning through the pages: what each request does."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from fortalece.core.testing import client_for
from fortalece.credentials.models import Certificate
from fortalece.learning.models import CourseItem, CourseModule, ItemProgress, Resource
from fortalece.learning.services import content, item_record_result, portability
from fortalece.learning.tests.factories import CourseItemFactory, CourseModuleFactory
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import Course, Enrolment
from fortalece.training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

XSS = (
    "<p>Hola</p><script>alert(1)</script><img src=x onerror=alert(2)>"
    '<a href="javascript:alert(3)">x</a>'
)


def _item_data(module, **extra):
    data = {
        "kind": "lesson",
        "module": module.pk,
        "title": "Lección nueva",
        "title_en": "New lesson",
        "required": "on",
        "duration_minutes": "20",
        "release_on": "",
        "release_after": "",
        "session": "",
        "body": "<h2>Título</h2><p>Texto</p>",
    }
    data.update(extra)
    return data


def test_author_adds_a_module_and_a_lesson_and_sees_them_in_order(online):
    client = client_for(online.users["trainer"])
    response = client.post(
        reverse("learning:module_add", args=[online.course.pk]), {"title": "Módulo 2"}
    )
    assert response.status_code == 302
    module = CourseModule.objects.get(title="Módulo 2")
    assert module.position == online.module.position + 1
    response = client.post(reverse("learning:item_add", args=[module.pk]), _item_data(module))
    assert response.status_code == 302
    item = CourseItem.objects.get(title="Lección nueva")
    assert item.body == "<h2>Título</h2><p>Texto</p>"
    page = client.get(reverse("learning:course", args=[online.course.pk]))
    assert [m.title for m in page.context["modules"]] == ["Primer contacto", "Módulo 2"]
    assert b"Lecci\xc3\xb3n nueva" in page.content


def test_an_item_moved_to_another_module_goes_to_its_end(online):
    second = CourseModuleFactory(course=online.course, title="Módulo 2", position=2)
    first = CourseItemFactory(module=second, title="Primero", position=1)
    last = CourseItemFactory(module=second, title="Último", position=2)
    CourseItem.objects.filter(pk=online.lesson.pk).update(position=1)
    response = client_for(online.users["trainer"]).post(
        reverse("learning:item_edit", args=[online.lesson.pk]),
        _item_data(second, title="Lección 1", body="<p>Hola</p>"),
    )
    assert response.status_code == 302
    online.lesson.refresh_from_db()
    assert (online.lesson.module, online.lesson.position) == (second, 3)
    assert list(second.items.order_by("position", "id")) == [first, last, online.lesson]


def test_what_module_update_refuses_shows_on_the_form(online, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**fields):
        raise ValidationError({"title": "Refused by the service."})

    monkeypatch.setattr(content, "module_update", refuse)
    response = client_for(online.users["trainer"]).post(
        reverse("learning:module_edit", args=[online.module.pk]), {"title": "Módulo nuevo"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["Refused by the service."]
    assert b"Refused by the service." in response.content
    online.module.refresh_from_db()
    assert online.module.title == "Primer contacto"


def test_stored_xss_in_lesson_text_is_removed_on_save_and_on_render(online):
    client = client_for(online.users["manager"])
    response = client.post(
        reverse("learning:item_edit", args=[online.lesson.pk]),
        _item_data(online.module, title="Lección 1", body=XSS),
    )
    assert response.status_code == 302
    online.lesson.refresh_from_db()
    for bad in ("<script", "onerror", "javascript:"):
        assert bad not in online.lesson.body
    # Even a body written past the service (a raw update) is sanitised when shown.
    CourseItem.objects.filter(pk=online.lesson.pk).update(body=XSS)
    for user, url in (
        (online.users["manager"], reverse("learning:item_preview", args=[online.lesson.pk])),
        (online.users["learner"], reverse("learning:item", args=[online.lesson.pk])),
    ):
        html = client_for(user).get(url).content.decode()
        assert "<script>alert(1)" not in html and "onerror" not in html
        assert "javascript:alert" not in html


def test_stored_xss_in_titles_is_escaped(online):
    CourseItem.objects.filter(pk=online.lesson.pk).update(title="<script>alert(1)</script>")
    CourseModule.objects.filter(pk=online.module.pk).update(title="<img src=x onerror=alert(1)>")
    for user, url in (
        (online.users["manager"], reverse("learning:course", args=[online.course.pk])),
        (online.users["learner"], reverse("learning:take", args=[online.course.pk])),
    ):
        html = client_for(user).get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_video_lesson_allows_frames_from_the_video_hosts_only(online):
    CourseItem.objects.filter(pk=online.lesson.pk).update(
        body='<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">Video</a></p>'
    )
    response = client_for(online.users["learner"]).get(
        reverse("learning:item", args=[online.lesson.pk])
    )
    assert b"youtube-nocookie.com/embed/dQw4w9WgXcQ" in response.content
    csp = response["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in csp
    plain = client_for(online.users["learner"]).get(reverse("learning:item", args=[online.quiz.pk]))
    assert "frame-src" not in plain["Content-Security-Policy"]


def test_reorder_by_buttons_and_by_drag_and_drop(online):
    client = client_for(online.users["trainer"])
    response = client.post(
        reverse("learning:item_move", args=[online.lesson.pk]),
        {"direction": "down"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert list(online.module.items.order_by("position").values_list("pk", flat=True)) == [
        online.quiz.pk,
        online.lesson.pk,
        online.optional.pk,
    ]
    order = [online.optional.pk, online.lesson.pk, online.quiz.pk]
    response = client.post(
        reverse("learning:module_order", args=[online.module.pk]), {"item": order}
    )
    assert response.status_code == 302
    assert list(online.module.items.order_by("position").values_list("pk", flat=True)) == order
    bad = client.post(
        reverse("learning:module_order", args=[online.module.pk]), {"item": order[:2]}
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("odd", ["²", "٣", "9" * 30, "-1"])
def test_reorder_refuses_what_is_not_an_id(online, odd):
    """``str.isdigit`` is true for "²", which ``int`` refuses: that was a 500 (query_int)."""
    client = client_for(online.users["trainer"])
    before = list(online.module.items.order_by("position").values_list("pk", flat=True))
    response = client.post(
        reverse("learning:module_order", args=[online.module.pk]),
        {"item": [*[str(pk) for pk in before[1:]], odd]},
    )
    assert response.status_code == 400
    assert list(online.module.items.order_by("position").values_list("pk", flat=True)) == before


def test_release_after_an_earlier_item_is_enforced_on_the_server(online):
    online.quiz.release_after = online.lesson
    online.quiz.save()
    client = client_for(online.users["learner"])
    url = reverse("learning:item", args=[online.quiz.pk])
    assert client.get(url).status_code == 403
    with translation.override("en"), pytest.raises(Exception, match="not available"):
        item_record_result(enrolment=online.enrolment, item=online.quiz, completed=True)
    client.post(reverse("learning:item_complete", args=[online.lesson.pk]))
    assert client.get(url).status_code == 200


def test_release_date_is_enforced_and_its_files_too(online):
    online.lesson.release_on = timezone.localdate() + datetime.timedelta(days=2)
    online.lesson.save()
    client = client_for(online.users["learner"])
    assert client.get(reverse("learning:item", args=[online.lesson.pk])).status_code == 403
    resource = reverse("learning:resource", args=[online.resource.pk])
    assert client.get(resource).status_code == 403
    assert client_for(online.users["manager"]).get(resource).status_code == 200


def test_learner_completes_the_course_and_gets_the_certificate(online):
    client = client_for(online.users["learner"])
    page = client.get(reverse("learning:take", args=[online.course.pk]))
    assert page.context["view"].progress.required == 2
    assert page.context["view"].resume_id == online.lesson.pk
    response = client.post(reverse("learning:item_complete", args=[online.lesson.pk]))
    assert response["Location"] == reverse("learning:item", args=[online.quiz.pk])
    # A quiz is completed by its app through item_record_result.
    item_record_result(enrolment=online.enrolment, item=online.quiz, completed=True, score=85)
    online.enrolment.refresh_from_db()
    assert online.enrolment.status == Enrolment.Status.COMPLETED
    assert Certificate.objects.filter(enrolment=online.enrolment).exists()
    page = client.get(reverse("learning:take", args=[online.course.pk]))
    assert page.context["view"].progress.percent == 100
    assert "Descargar su constancia" in page.content.decode()


def test_mark_done_and_continue_goes_to_the_next_item_not_the_last_one_opened(online):
    """Opened the optional reading (last in the module) first, then finished lesson 1: continue
    is the quiz right after lesson 1, not the reading."""
    client = client_for(online.users["learner"])
    client.get(reverse("learning:item", args=[online.optional.pk]))
    response = client.post(reverse("learning:item_complete", args=[online.lesson.pk]))
    assert response["Location"] == reverse("learning:item", args=[online.quiz.pk])


def test_quiz_cannot_be_completed_by_the_lesson_button(online):
    response = client_for(online.users["learner"]).post(
        reverse("learning:item_complete", args=[online.quiz.pk])
    )
    assert response.status_code == 302
    assert not ItemProgress.objects.filter(item=online.quiz, completed_at__isnull=False).exists()


def test_preview_records_nothing(online):
    client = client_for(online.users["manager"])
    assert client.get(reverse("learning:preview", args=[online.course.pk])).status_code == 200
    assert client.get(reverse("learning:item_preview", args=[online.lesson.pk])).status_code == 200
    assert not ItemProgress.objects.exists()


def test_resource_upload_refuses_unknown_types_and_sanitises_names(online):
    client = client_for(online.users["trainer"])
    url = reverse("learning:resource_add", args=[online.lesson.pk])
    client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ")})
    assert not Resource.objects.filter(filename__endswith=".exe").exists()
    client.post(url, {"file": SimpleUploadedFile('../../a"b.pdf', b"%PDF")})
    resource = Resource.objects.latest("pk")
    assert resource.filename == "ab.pdf" and resource.content_type == "application/pdf"
    response = client.get(reverse("learning:resource", args=[resource.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_copy_into_another_programme_keeps_content_and_release_rules(online, world):
    online.quiz.release_after = online.lesson
    online.quiz.save()
    copy = portability.course_copy(
        course=online.course, programme=world.other_programme, title="Copia"
    )
    assert copy.programme == world.other_programme
    items = list(CourseItem.objects.filter(module__course=copy).order_by("position"))
    assert [i.title for i in items] == ["Lección 1", "Cuestionario", "Lectura extra"]
    assert items[1].release_after == items[0]
    assert items[0].resources.get().file.read() == b"%PDF-1.4 guia"
    assert not copy.workshops.exists()


def test_copy_page_offers_only_programmes_the_author_may_write(online, world):
    client = client_for(online.users["trainer"])
    page = client.get(reverse("learning:copy", args=[online.course.pk]))
    assert list(page.context["form"].fields["programme"].queryset) == [world.programme]
    response = client.post(
        reverse("learning:copy", args=[online.course.pk]),
        {"programme": world.other_programme.pk, "title": "X"},
    )
    assert response.status_code == 200 and not Course.objects.filter(title="X").exists()


def test_export_then_import_round_trip(online, world):
    online.quiz.release_after = online.lesson
    online.quiz.save()
    package = client_for(online.users["manager"]).get(
        reverse("learning:export", args=[online.course.pk])
    )
    assert package["Content-Type"] == "application/zip"
    document = json.loads(zipfile.ZipFile(io.BytesIO(package.content)).read("course.json"))
    assert document["format"] == "fortalece-course" and document["schema_version"] == 1
    response = client_for(world.users["admin"]).post(
        reverse("learning:import"),
        {
            "programme": world.other_programme.pk,
            "package": SimpleUploadedFile("c.zip", package.content),
        },
    )
    assert response.status_code == 302
    course = Course.objects.filter(programme=world.other_programme).latest("pk")
    items = list(CourseItem.objects.filter(module__course=course).order_by("position"))
    assert [i.title for i in items] == ["Lección 1", "Cuestionario", "Lectura extra"]
    assert items[1].release_after == items[0]
    assert items[0].resources.get().file.read() == b"%PDF-1.4 guia"


def _zip(document, files=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course.json", json.dumps(document))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _needs_zip_version_6_4(package: bytes) -> bytes:
    """A damaged central directory entry that zipfile refuses with NotImplementedError."""
    entry = package.index(b"PK\x01\x02") + 6  # "version needed to extract"
    return package[:entry] + bytes([64]) + package[entry + 1 :]


def test_import_is_all_or_nothing_with_every_error_located(online, world):
    document = json.loads(
        zipfile.ZipFile(io.BytesIO(portability.course_export(course=online.course))).read(
            "course.json"
        )
    )
    document["modules"][0]["items"][1]["kind"] = "video"
    document["modules"][0]["items"][2]["release_after"] = "m9.i9"
    document["modules"][0]["items"][0]["resources"][0]["file"] = "resources/missing.pdf"
    before = (Course.objects.count(), CourseItem.objects.count(), Resource.objects.count())
    with translation.override("en"), pytest.raises(portability.PackageError) as error:
        portability.course_import(package=_zip(document), programme=world.programme)
    messages = error.value.messages
    assert any("modules[0].items[1].kind" in m for m in messages)
    assert any("modules[0].items[2].release_after" in m for m in messages)
    assert any("modules[0].items[0].resources[0].file" in m for m in messages)
    assert (Course.objects.count(), CourseItem.objects.count(), Resource.objects.count()) == before


@pytest.mark.parametrize(
    ("package", "message"),
    [
        (b"not a zip", "not a ZIP"),
        (_needs_zip_version_6_4(_zip({"format": "fortalece-course"})), "not a ZIP"),
        (_zip({"format": "other"}), "not a Fortalece course package"),
        (_zip({"format": "fortalece-course", "schema_version": 99}), "Schema version 99"),
        (_zip({"format": "fortalece-course", "schema_version": 1}), "'course' must be"),
    ],
)
def test_import_refuses_foreign_or_future_packages(world, package, message):
    with translation.override("en"), pytest.raises(portability.PackageError, match=message):
        portability.course_import(package=package, programme=world.programme)


def test_import_refuses_unsafe_paths_and_bombs(world, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course.json", "{}")
        archive.writestr("../evil.txt", "x")
    with translation.override("en"), pytest.raises(portability.PackageError, match="unsafe path"):
        portability.course_import(package=buffer.getvalue(), programme=world.programme)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("course.json", "{}")
        archive.writestr("big.pdf", b"\0" * (portability.MAX_RESOURCE_BYTES + 1))
    with translation.override("en"), pytest.raises(portability.PackageError, match="larger than"):
        portability.course_import(package=buffer.getvalue(), programme=world.programme)


def test_import_page_shows_the_errors(world):
    response = client_for(world.users["admin"]).post(
        reverse("learning:import"),
        {"programme": world.programme.pk, "package": SimpleUploadedFile("c.zip", b"nope")},
    )
    assert response.status_code == 400
    assert "ZIP" in response.content.decode()


def test_release_after_must_be_the_same_course_and_never_loop(online):
    other = CourseItemFactory()
    with translation.override("en"), pytest.raises(Exception, match="same course"):
        content.item_update(item=online.quiz, release_after=other)
    content.item_update(item=online.quiz, release_after=online.lesson)
    with translation.override("en"), pytest.raises(Exception, match="loop"):
        content.item_update(item=online.lesson, release_after=online.quiz)


def test_deleting_a_completed_item_is_refused(online):
    item_record_result(enrolment=online.enrolment, item=online.lesson, completed=True)
    with translation.override("en"), pytest.raises(Exception, match="completed"):
        content.item_delete(item=online.lesson)


def _grow_cohort(online, n):
    for _ in range(n):
        enrolment = EnrolmentFactory(workshop=online.workshop, person=PersonFactory())
        ItemProgress.objects.create(
            enrolment=enrolment,
            item=online.lesson,
            started_at=timezone.now(),
            last_seen_at=timezone.now(),
            completed_at=timezone.now(),
        )


def test_list_pages_run_a_fixed_number_of_queries(online):
    from fortalece.core.testing import query_count

    manager = client_for(online.users["manager"])
    learner = client_for(online.users["learner"])
    urls = [
        (manager, reverse("learning:home")),
        (manager, reverse("learning:course", args=[online.course.pk])),
        (manager, reverse("learning:cohort", args=[online.workshop.pk])),
        (manager, reverse("learning:diploma_list")),
        (learner, reverse("learning:take", args=[online.course.pk])),
        (learner, reverse("learning:mine")),
    ]
    before = [query_count(c, u) for c, u in urls]
    _grow_cohort(online, 12)
    for module in range(3):
        m = CourseModuleFactory(course=online.course)
        for _ in range(4):
            CourseItemFactory(module=m, release_after=online.lesson)
        del module
    after = [query_count(c, u) for c, u in urls]
    assert before == after, list(zip([u for _, u in urls], before, after, strict=True))
