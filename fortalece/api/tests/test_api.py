"""The REST API: tokens, the same permission policies as the web pages, token scopes,
cursor pagination, writes through the services, and KoboToolbox pushes."""

import base64
import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import matrix
from fortalece.api.models import ApiToken, KoboSubmission
from fortalece.api.services import (
    kobo_feed_create,
    token_authenticate,
    token_create,
    token_revoke,
)
from fortalece.core.testing import assert_permission_matrix, client_for
from fortalece.impact.models import SurveyInstrument, SurveyResponse
from fortalece.training.models import Attendance, Enrolment

pytestmark = pytest.mark.django_db

API = "/api/v1"


def api_client(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def token_for(user, **kwargs) -> str:
    return token_create(user=user, name="sync", **kwargs)[1]


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:500]
    return {row["id"] for row in response.json()["results"]}


# --- tokens ---------------------------------------------------------------------------------


def test_token_is_stored_as_a_hash_and_authenticates(world):
    token, raw = token_create(user=world.users["manager"], name="registry")
    assert raw.startswith("ftk_") and raw not in token.key_hash
    assert token_authenticate(raw) == token
    assert token_authenticate(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert token_authenticate("ftk_nothing") is None


def test_revoked_expired_and_inactive_users_tokens_are_refused(world):
    revoked, raw_revoked = token_create(user=world.users["manager"], name="a")
    token_revoke(token=revoked, by=world.users["manager"])
    expired, raw_expired = token_create(
        user=world.users["manager"], name="b", expires_at=timezone.now() + datetime.timedelta(1)
    )
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    raw_inactive = token_for(world.users["inactive"])
    for raw in (raw_revoked, raw_expired, raw_inactive):
        assert api_client(raw).get(f"{API}/programmes/").status_code == 401


def test_requests_without_a_token_are_refused(world):
    assert Client().get(f"{API}/people").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer nonsense").get(f"{API}/people").status_code == 401
    # A signed-in browser session is not an API credential.
    assert client_for(world.users["admin"]).get(f"{API}/people").status_code == 401


# --- reads follow the policies ------------------------------------------------------------------


def test_each_role_lists_what_the_web_pages_show_it(world):
    manager = api_client(token_for(world.users["manager"]))
    assert ids(manager.get(f"{API}/programmes/")) == {world.programme.pk}
    assert world.person.pk in ids(manager.get(f"{API}/people"))
    assert world.stranger.pk not in ids(manager.get(f"{API}/people"))
    assert ids(manager.get(f"{API}/workshops")) == {world.workshop.pk}
    assert ids(manager.get(f"{API}/enrolments")) == {world.enrolment.pk}

    other = api_client(token_for(world.users["other_manager"]))
    assert ids(other.get(f"{API}/programmes/")) == {world.other_programme.pk}
    assert world.person.pk not in ids(other.get(f"{API}/people"))
    assert other.get(f"{API}/people/{world.person.pk}").status_code == 404
    assert other.get(f"{API}/programmes/{world.programme.pk}").status_code == 404

    donor = api_client(token_for(world.users["donor"]))
    assert ids(donor.get(f"{API}/people")) == set()
    assert ids(donor.get(f"{API}/enrolments")) == set()
    assert ids(donor.get(f"{API}/programmes/")) == {world.programme.pk}

    learner = api_client(token_for(world.users["learner"]))
    assert ids(learner.get(f"{API}/people")) == set()


def test_token_limited_to_a_programme_sees_only_that_programme(world):
    raw = token_for(world.users["admin"], programmes=[world.other_programme])
    client = api_client(raw)
    assert ids(client.get(f"{API}/programmes/")) == {world.other_programme.pk}
    assert ids(client.get(f"{API}/workshops")) == {world.other_workshop.pk}
    assert world.person.pk not in ids(client.get(f"{API}/people"))
    assert client.get(f"{API}/programmes/{world.programme.pk}/reach").status_code == 404


def test_reach_is_suppressed_for_donors_and_exact_for_managers(world):
    from fortalece.training.services.attendance import attendance_record

    attendance_record(
        session=world.session, enrolment=world.enrolment, present=True, by=world.users["admin"]
    )
    url = f"{API}/programmes/{world.programme.pk}/reach"
    exact = api_client(token_for(world.users["manager"])).get(url).json()
    assert exact["suppressed"] is False and exact["reached"] == 1
    published = api_client(token_for(world.users["donor"])).get(url).json()
    assert published["suppressed"] is True
    assert all(cell["count"] is None for cell in published["by_sex"] if cell["hidden"])
    assert not any(cell["count"] == 1 for cell in published["by_sex"])


def test_bad_query_values_are_422_never_500(world):
    client = api_client(token_for(world.users["manager"]))
    for url in (
        f"{API}/people?institution=²",
        f"{API}/workshops?starts_after=yesterday",
        f"{API}/enrolments?workshop=1e9999",
        f"{API}/people?cursor=%%%",
        f"{API}/people?page_size=-5",
    ):
        assert client.get(url).status_code in (200, 400, 422), url


def test_cursor_pagination_walks_every_row_once(world):
    from fortalece.people.tests.factories import PersonFactory

    for _ in range(7):
        PersonFactory(institution=world.institution)
    client = api_client(token_for(world.users["manager"]))
    seen: list[int] = []
    url = f"{API}/people?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) >= 9


def test_list_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    from fortalece.people.tests.factories import InstitutionFactory

    for _ in range(30):
        InstitutionFactory(country=world.mexico, subdivision=world.michoacan)
    client = api_client(token_for(world.users["manager"]))
    with django_assert_max_num_queries(8):
        assert len(client.get(f"{API}/institutions?page_size=100").json()["results"]) > 30


# --- writes ---------------------------------------------------------------------------------------


def test_read_only_token_cannot_write(world):
    client = api_client(token_for(world.users["manager"]))
    response = client.post(
        f"{API}/enrolments",
        {"workshop_id": world.workshop.pk, "person_id": world.person.pk},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_enrol_and_mark_attendance_through_the_services(world):
    from fortalece.people.tests.factories import PersonFactory

    newcomer = PersonFactory(institution=world.institution)
    client = api_client(token_for(world.users["manager"], can_write=True))
    body = {"workshop_id": world.workshop.pk, "person_id": newcomer.pk}
    first = client.post(f"{API}/enrolments", body, content_type="application/json")
    again = client.post(f"{API}/enrolments", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Enrolment.objects.filter(workshop=world.workshop, person=newcomer).count() == 1
    enrolment_id = first.json()["id"]
    marked = client.post(
        f"{API}/attendance",
        {"session_id": world.session.pk, "enrolment_id": enrolment_id, "present": True},
        content_type="application/json",
    )
    assert marked.status_code == 200 and marked.json()["present"] is True
    assert Attendance.objects.get(enrolment_id=enrolment_id).present is True


def test_writes_outside_the_scope_are_refused(world):
    client = api_client(token_for(world.users["other_manager"], can_write=True))
    response = client.post(
        f"{API}/enrolments",
        {"workshop_id": world.workshop.pk, "person_id": world.person.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client.post(
        f"{API}/people",
        {
            "given_names": "Ana",
            "family_names": "Ruiz",
            "profession": "police",
            "institution_id": world.institution.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400


def test_focal_point_adds_a_person_to_their_institution(world):
    client = api_client(token_for(world.users["focal"], can_write=True))
    response = client.post(
        f"{API}/people",
        {
            "given_names": "Ana María",
            "family_names": "Ruiz Soto",
            "sex": "female",
            "profession": "police",
            "institution_id": world.institution.pk,
            "is_staff": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["institution_id"] == world.institution.pk


def test_openapi_schema_lists_the_endpoints(world):
    schema = Client().get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/people", "/api/v1/enrolments", "/api/v1/kobo/{feed_id}/submissions"):
        assert path in schema["paths"]


# --- pages ---------------------------------------------------------------------------

STAFF = {
    "admin",
    "manager",
    "state_manager",
    "other_state_manager",
    "other_manager",
    "me",
    "trainer",
    "focal",
    "donor",
}


def test_token_page_permission_matrix(world):
    assert_permission_matrix(reverse("integrations:tokens"), matrix(world, STAFF))


def test_token_is_shown_once_and_can_be_revoked_only_by_its_owner(world):
    client = client_for(world.users["manager"])
    page = client.post(reverse("integrations:tokens"), {"name": "Registro estatal"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=world.users["manager"])
    assert b"ftk_" + token.prefix.encode() in page.content
    assert b"ftk_" not in client.get(reverse("integrations:tokens")).content.split(b"<code>")[0]
    revoke = reverse("integrations:token_revoke", args=[token.pk])
    assert client_for(world.users["other_manager"]).post(revoke).status_code == 404
    assert client.post(revoke).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- KoboToolbox ---------------------------------------------------------------------------------


@pytest.fixture
def instrument(world):
    return SurveyInstrument.objects.create(
        programme=world.programme,
        title="Attitudes",
        version="1",
        xlsform=ContentFile(b"x", name="form.xlsx"),
        definition={
            "items": [
                {"name": "q1", "kind": "likert", "choices": [["1", "1"], ["2", "2"]]},
                {"name": "q2", "kind": "likert", "choices": [["1", "1"], ["2", "2"]]},
            ]
        },
    )


def kobo_post(feed, secret, payload):
    auth = base64.b64encode(f"kobo:{secret}".encode()).decode()
    return Client().post(
        reverse("api:kobo_submission", kwargs={"feed_id": feed.pk}),
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )


def test_kobo_pushes_are_stored_once_without_personal_fields(world, instrument):
    feed, secret = kobo_feed_create(
        instrument=instrument, wave="post", audience="trained", by=world.users["me"]
    )
    payload = {
        "_uuid": "7c0f-1",
        "datos/nombre": "Lucía Pérez",
        "datos/telefono": "5512345678",
        "bloque/q1": "2",
        "q2": 1,
    }
    assert kobo_post(feed, secret, payload).status_code == 201
    assert kobo_post(feed, secret, payload).status_code == 200
    [response] = SurveyResponse.objects.filter(link=feed.link)
    assert response.answers == {"q1": "2", "q2": "1"}
    assert "Lucía" not in str(response.__dict__)
    assert KoboSubmission.objects.count() == 1


def test_kobo_wrong_secret_missing_uuid_and_bad_json_are_refused(world, instrument):
    feed, secret = kobo_feed_create(
        instrument=instrument, wave="post", audience="trained", by=world.users["me"]
    )
    assert kobo_post(feed, "wrong", {"_uuid": "a", "q1": "1"}).status_code == 401
    assert kobo_post(feed, secret, {"q1": "1"}).status_code == 400
    assert kobo_post(feed, secret, {"_uuid": "b", "other": "1"}).status_code == 400
    url = reverse("api:kobo_submission", kwargs={"feed_id": feed.pk})
    auth = base64.b64encode(f"k:{secret}".encode()).decode()
    bad = Client().post(
        url, b"{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Basic {auth}"
    )
    assert bad.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_kobo_code_field_pairs_answers_and_flags_a_repeated_code(world, instrument):
    feed, secret = kobo_feed_create(
        instrument=instrument,
        wave="pre",
        audience="trained",
        code_field="datos/codigo",
        by=world.users["me"],
    )
    assert (
        kobo_post(feed, secret, {"_uuid": "u1", "datos/codigo": "LU1207", "q1": "1"}).json()[
            "duplicate_code"
        ]
        is False
    )
    second = kobo_post(feed, secret, {"_uuid": "u2", "codigo": "LU1207", "q1": "2"})
    assert second.status_code == 201 and second.json()["duplicate_code"] is True
    assert SurveyResponse.objects.get(link=feed.link).answers == {"q1": "1"}
    assert kobo_post(feed, secret, {"_uuid": "u3", "q1": "2"}).status_code == 400


def test_kobo_feed_page_permission_matrix(world, instrument):
    allowed = {"admin", "me"}
    assert_permission_matrix(
        reverse("integrations:kobo_feeds", args=[instrument.pk]), matrix(world, allowed)
    )


def test_connecting_kobo_shows_the_endpoint_and_secret_once(world, instrument):
    client = client_for(world.users["me"])
    page = client.post(
        reverse("integrations:kobo_feeds", args=[instrument.pk]),
        {"wave": "post", "audience": "control", "code_field": ""},
    )
    assert page.status_code == 200
    assert b"/api/v1/kobo/" in page.content and page["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/institutions?subdivision=MX%00",
        "/api/v1/people?sex=f%00",
        "/api/v1/people?profession=%00",
        "/api/v1/workshops?subdivision=%00x",
    ],
)
def test_a_nul_byte_in_a_filter_is_refused_not_a_server_error(world, query):
    response = api_client(token_for(world.users["manager"])).get(query)
    assert response.status_code == 400


def test_creating_and_revoking_a_token_is_in_the_audit_log(world):
    from fortalece.core.models import AuditEvent

    manager = world.users["manager"]
    token, _raw = token_create(user=manager, name="sync", can_write=True)
    token_revoke(token=token, by=world.users["admin"])
    token_revoke(token=token, by=world.users["admin"])  # already revoked: not logged again
    events = list(
        AuditEvent.objects.filter(kind__startswith="token_")
        .order_by("id")
        .values_list("kind", "user_id", "detail")
    )
    assert events == [
        ("token_created", manager.pk, {"token": token.prefix, "can_write": True}),
        ("token_revoked", world.users["admin"].pk, {"token": token.prefix, "owner": manager.pk}),
    ]
