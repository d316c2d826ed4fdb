"""Uploaded files are never served without an authorisation check (Kobo attachments were
readable by anyone who knew the path): no URL serves the media folder at all; files reach
people only through views that check a policy first."""

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.static import serve

from fortalece.core.testing import client_for
from fortalece.imports.models import ImportJob


def _callbacks(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _callbacks(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def test_no_url_serves_the_media_folder(world):
    serving = [
        route for route, callback in _callbacks(get_resolver().url_patterns) if callback is serve
    ]
    assert serving == []
    job = ImportJob.objects.create(kind="people", created_by=world.users["admin"], headers=["a"])
    job.file.save("people.csv", ContentFile(b"Nombre\nAna\n"))
    for user in (None, world.users["admin"]):
        for prefix in ("/media/", "/", "/static/"):
            response = client_for(user).get(prefix + job.file.name)
            assert response.status_code in (302, 404), (prefix, response.status_code)
            assert b"Ana" not in response.content
