"""Creating and editing diplomas through their pages: what the service refuses shows on the
form."""

import datetime

import pytest
from django.urls import reverse

from fortalece.core.testing import client_for
from fortalece.learning.models import Diploma, DiplomaAward
from fortalece.learning.services.diplomas import diploma_create

pytestmark = pytest.mark.django_db


def _data(diploma, **extra):
    data = {
        "programme": diploma.programme_id,
        "title": diploma.title,
        "title_en": "",
        "description": "",
        "hours": "120",
        "completion_rule": Diploma.Rule.ALL,
        "courses_needed": "",
        "awarding_body": "",
    }
    data.update(extra)
    return data


def test_an_awarded_diploma_keeps_its_programme(world):
    diploma = diploma_create(programme=world.programme, title="Diplomado", hours=120)
    DiplomaAward.objects.create(
        diploma=diploma,
        person=world.person,
        code="ABCD-EFGH-JKL",
        holder_name=world.person.full_name,
        diploma_title=diploma.title,
        hours=diploma.hours,
        completed_on=datetime.date(2026, 1, 5),
        issued_on=datetime.date(2026, 1, 5),
    )
    client = client_for(world.users["admin"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(
        reverse("learning:diploma_edit", args=[diploma.pk]),
        _data(diploma, programme=world.other_programme.pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["programme"] == ["This diploma has been awarded."]
    diploma.refresh_from_db()
    assert diploma.programme == world.programme


def test_a_diploma_not_yet_awarded_may_change_programme(world):
    diploma = diploma_create(programme=world.programme, title="Diplomado", hours=120)
    response = client_for(world.users["admin"]).post(
        reverse("learning:diploma_edit", args=[diploma.pk]),
        _data(diploma, programme=world.other_programme.pk),
    )
    assert response.status_code == 302
    diploma.refresh_from_db()
    assert diploma.programme == world.other_programme


def test_what_diploma_create_refuses_shows_on_the_form(world, monkeypatch):
    from django.core.exceptions import ValidationError

    from fortalece.learning.services import diplomas

    def refuse(**fields):
        raise ValidationError("Refused by the service.")

    monkeypatch.setattr(diplomas, "diploma_create", refuse)
    data = _data(Diploma(programme=world.programme, title="Diplomado"))
    response = client_for(world.users["admin"]).post(reverse("learning:diploma_add"), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Refused by the service."]
    assert b"Refused by the service." in response.content
