"""Refusals and missing pages speak the reader's language inside the site's layout."""

import pytest
from django.test import Client
from django.utils import translation

from fortalece.accounts.models import Role
from fortalece.core.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def test_a_page_that_does_not_exist_answers_404_in_the_site_layout_in_spanish():
    response = client_for(make_user(Role.ADMINISTRATOR)).get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Página no encontrada" in text
    assert 'href="/"' in text


def test_an_anonymous_404_is_a_page_too():
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_refused_page_answers_403_with_a_way_back():
    user = make_user(Role.LEARNER)
    with translation.override("es"):
        response = client_for(user).get("/training/courses/new/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "No puede abrir esta página" in text
    assert "Volver a la página de inicio" in text
