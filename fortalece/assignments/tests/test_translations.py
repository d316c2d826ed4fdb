import polib
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from fortalece.core.testing import client_for

CATALOGUE = settings.BASE_DIR / "assignments" / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_spanish_translation_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_the_learners_page_speaks_spanish_by_default(course_work):
    client = client_for(course_work.users["learner"])
    with translation.override("es"):
        html = client.get(
            reverse("assignments:detail", args=[course_work.assignment.pk]),
            HTTP_ACCEPT_LANGUAGE="es",
        ).content.decode()
    assert "Entregue su trabajo" in html and "Fecha de entrega" in html
