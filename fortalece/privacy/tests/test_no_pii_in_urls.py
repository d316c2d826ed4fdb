"""No personal data in URLs (SECURITY.md): searching for a name leaves the name in no URL that a
browser history, a proxy or a server log would keep."""

import re

from django.test import Client
from django.urls import reverse

from fortalece.core.figures import record
from fortalece.core.testing import client_for
from fortalece.people.tests.factories import PersonFactory


class RecordingClient(Client):
    """Keeps every URL requested, query string included, as an access log would."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.log: list[str] = []

    def request(self, **request):
        query = request.get("QUERY_STRING", "")
        self.log.append(request["PATH_INFO"] + (f"?{query}" if query else ""))
        return super().request(**request)


def _client(user) -> RecordingClient:
    base = client_for(user)
    client = RecordingClient()
    client.cookies = base.cookies
    return client


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_searching_people_and_accounts_puts_no_name_in_any_url(world):
    # A surname Faker never gives: the world's random people are sometimes called Zamudio.
    for i in range(30):
        PersonFactory(
            given_names="Guadalupe", family_names=f"Zamudiotl {i}", institution=world.institution
        )
    client = _client(world.users["admin"])
    page = client.post(reverse("people:person_list"), {"q": "Zamudiotl"}, follow=True)
    assert page.status_code == 200
    assert len(page.context["object_list"]) == 25  # the search worked
    next_link = next(link for link in _links(page.content.decode()) if "page=2" in link)
    page_two = client.get(reverse("people:person_list") + next_link.replace("&amp;", "&"))
    assert len(page_two.context["object_list"]) == 5
    # A hand-typed URL with a name is turned into a token at once.
    typed = client.get(reverse("people:person_list") + "?q=Zamudiotl", follow=True)
    assert len(typed.context["object_list"]) == 25
    users = client.post(
        reverse("accounts:user_list"), {"q": world.users["manager"].email}, follow=True
    )
    assert [u.pk for u in users.context["object_list"]] == [world.users["manager"].pk]

    rendered = [link for p in (page, page_two, typed, users) for link in _links(p.content.decode())]
    typed_url = "/people/?q=Zamudiotl"
    leaked = [
        url
        for url in client.log + rendered
        if url != typed_url and re.search(r"zamudio|guadalupe|%40|@example", url, re.IGNORECASE)
    ]
    record("no_pii_in_urls", urls_checked=len(client.log) + len(rendered), leaked=len(leaked))
    assert leaked == []


def test_a_token_from_another_session_finds_nothing(world):
    PersonFactory(given_names="Guadalupe", family_names="Zamudiotl", institution=world.institution)
    mine = client_for(world.users["admin"])
    url = mine.post(reverse("people:person_list"), {"q": "Zamudiotl"}).url
    other = client_for(world.users["manager"]).get(url)
    assert other.status_code == 200
    assert not other.context["filter_form"]["q"].value()
    assert 'value="Zamudiotl"' not in other.content.decode()
