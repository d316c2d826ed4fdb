from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from fortalece.core.testing import client_for
from fortalece.messaging.models import Kind
from fortalece.messaging.notify import notify

PO = Path(__file__).parents[1] / "locale/es/LC_MESSAGES/django.po"


def test_every_string_has_a_spanish_translation():
    catalogue = polib.pofile(str(PO))
    assert not catalogue.untranslated_entries()
    assert not catalogue.fuzzy_entries()
    assert PO.with_suffix(".mo").exists()


@pytest.mark.django_db
def test_pages_and_notification_texts_in_spanish(online):
    learner = online.users["learner"]
    learner.language = "es"
    learner.save()
    with translation.override("en"):  # whoever triggers it, the learner reads Spanish
        notify([learner], Kind.CERTIFICATE, lambda: translation.gettext("Announcement"), "/")
    client = client_for(learner)
    client.cookies["django_language"] = "es"
    page = client.get(
        reverse("messaging:notifications"), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Marcar todo como leído" in page
    assert "Constancia emitida" in page  # the kind
    assert "Anuncio" in page  # the text, rendered in the recipient's language
    assert "Notificaciones: 1 sin leer" in page
