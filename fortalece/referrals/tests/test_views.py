import datetime as dt
import gzip
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fortalece.core.testing import client_for
from fortalece.geography.models import Municipality
from fortalece.referrals.models import OpeningHours, Pathway, PathwayStep, Service

pytestmark = pytest.mark.django_db


def svc(world, name="(demo) Centro", state=None, **kw):
    return Service.objects.create(
        name=name,
        kind=kw.pop("kind", Service.Kind.SHELTER),
        country=world.mexico,
        subdivision=state or world.michoacan,
        **kw,
    )


def form_data(world, **overrides):
    data = {
        "name": "Refugio Nueva Esperanza",
        "kind": "shelter",
        "offer": "Alojamiento",
        "populations": ["women", "girls"],
        "languages": "español, purépecha",
        "address": "Calle 1, Morelia",
        "subdivision": world.michoacan.pk,
        "municipality": "",
        "latitude": "19.70",
        "longitude": "-101.19",
        "phone": "443 000 0001",
        "whatsapp": "",
        "website": "https://example.org",
        "verified_on": "2026-11-01",
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "50",
        "hours-0-weekday": "4",
        "hours-0-opens": "20:00",
        "hours-0-closes": "06:00",
        "hours-1-weekday": "",
    }
    data.update(overrides)
    return data


def test_directory_pages_refuse_anonymous_and_let_every_signed_in_role_read(world):
    s = svc(world)
    for name, kwargs in (("service_list", {}), ("service_detail", {"pk": s.pk})):
        url = reverse(f"referrals:{name}", kwargs=kwargs)
        assert Client().get(url).status_code == 302
        assert client_for(world.users["learner"]).get(url).status_code == 200
    assert client_for(world.users["inactive"]).get(
        reverse("referrals:service_list")
    ).status_code in (
        302,
        403,
    )


def test_state_manager_adds_a_service_with_hours_past_midnight(world):
    client = client_for(world.users["state_manager"])
    assert client.get(reverse("referrals:service_create")).status_code == 200
    response = client.post(reverse("referrals:service_create"), form_data(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(name="Refugio Nueva Esperanza")
    assert service.country == world.mexico
    assert service.populations == ["women", "girls"]
    hours = list(service.hours.all())
    assert [(h.weekday, h.opens, h.closes) for h in hours] == [(4, dt.time(20), dt.time(6))]


def test_learner_and_other_state_cannot_add_or_change(world):
    s = svc(world)
    assert (
        client_for(world.users["learner"]).get(reverse("referrals:service_create")).status_code
        == 403
    )
    other = client_for(world.users["other_state_manager"])
    # Jalisco's manager may add in Jalisco, not in Michoacán.
    response = other.post(reverse("referrals:service_create"), form_data(world))
    assert response.status_code == 200 and not Service.objects.filter(name__startswith="Refugio")
    assert other.get(reverse("referrals:service_update", args=[s.pk])).status_code == 403
    assert other.post(reverse("referrals:service_delete", args=[s.pk])).status_code == 403
    assert other.post(reverse("referrals:service_verified", args=[s.pk])).status_code == 403
    assert Service.objects.filter(pk=s.pk).exists()


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org"])
def test_website_must_be_http_or_https(world, bad):
    client = client_for(world.users["state_manager"])
    response = client.post(reverse("referrals:service_create"), form_data(world, website=bad))
    assert response.status_code == 200
    assert not Service.objects.filter(name="Refugio Nueva Esperanza").exists()


def test_text_is_escaped_and_a_bad_stored_link_is_not_linked(world):
    s = svc(world, name="<script>alert(1)</script>", website="javascript:alert(2)")
    html = client_for(world.users["learner"]).get(reverse("referrals:service_detail", args=[s.pk]))
    body = html.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'href="javascript:' not in body


def test_stale_flag_reverify_list_and_mark_verified(world, settings):
    settings.FORTALECE_REFERRALS_STALE_MONTHS = 6
    today = timezone.localdate()
    old = svc(world, "Viejo", verified_on=today - dt.timedelta(days=200))
    never = svc(world, "Nunca")
    fresh = svc(world, "Reciente", verified_on=today - dt.timedelta(days=10))
    jalisco_old = svc(world, "Jalisco viejo", state=world.jalisco)
    client = client_for(world.users["state_manager"])
    page = client.get(reverse("referrals:service_reverify"))
    listed = [s.pk for s in page.context["object_list"]]
    assert listed == [old.pk, never.pk] or set(listed) == {old.pk, never.pk}
    assert fresh.pk not in listed and jalisco_old.pk not in listed
    stale = client.get(reverse("referrals:service_list"), {"stale": "on"})
    assert {s.pk for s in stale.context["object_list"]} == {old.pk, never.pk, jalisco_old.pk}
    response = client.post(
        reverse("referrals:service_verified", args=[old.pk]), {"next": "reverify"}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.verified_on == today
    assert client.get(reverse("referrals:service_verified", args=[old.pk])).status_code == 405
    assert (
        client_for(world.users["learner"]).get(reverse("referrals:service_reverify")).status_code
        == 403
    )


def test_setting_changes_the_months(world, settings):
    today = timezone.localdate()
    s = svc(world, "Dos meses", verified_on=today - dt.timedelta(days=70))
    client = client_for(world.users["state_manager"])
    settings.FORTALECE_REFERRALS_STALE_MONTHS = 6
    assert s not in client.get(reverse("referrals:service_reverify")).context["object_list"]
    settings.FORTALECE_REFERRALS_STALE_MONTHS = 2
    assert s in client.get(reverse("referrals:service_reverify")).context["object_list"]


def test_delete(world):
    s = svc(world)
    client = client_for(world.users["state_manager"])
    assert client.get(reverse("referrals:service_delete", args=[s.pk])).status_code == 200
    assert client.post(reverse("referrals:service_delete", args=[s.pk])).status_code == 302
    assert not Service.objects.filter(pk=s.pk).exists()


# --- search, card ---------------------------------------------------------------------------


def test_search_by_location_open_first_with_call_links_and_geolocation_allowed_here(world):
    closed = svc(world, "Cerrado cerca", latitude=19.70, longitude=-101.19, phone="443 111 2222")
    OpeningHours.objects.create(
        service=closed, weekday=0, opens=dt.time(0, 0), closes=dt.time(0, 1)
    )
    svc(
        world,
        "Abierto",
        latitude=19.72,
        longitude=-101.19,
        open_24h=True,
        phone="+52 443 333 4444",
        whatsapp="+52 443 555 6666",
    )
    client = client_for(world.users["learner"])
    posted = client.post(
        reverse("referrals:search"), {"kind": "shelter", "lat": "19.70", "lon": "-101.19"}
    )
    # The location never shows in the address (nor the logs): a token stands for it.
    assert posted.status_code == 302 and "19.7" not in posted.url and "?s=" in posted.url
    response = client.get(posted.url)
    assert response.status_code == 200
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=(self)"
    names = [r.found.service.name for r in response.context["results"]]
    assert names == ["Abierto", "Cerrado cerca"]
    body = response.content.decode()
    assert 'href="tel:+524433334444"' in body
    assert 'href="https://wa.me/524435556666"' in body
    assert "2.2 km" in body
    # Elsewhere the site still refuses geolocation.
    other = client.get(reverse("referrals:service_list"))
    assert "geolocation=()" in other["Permissions-Policy"]


def test_search_by_municipality_works_without_javascript(world):
    morelia = Municipality.objects.create(subdivision=world.michoacan, code="16053", name="Morelia")
    svc(world, "En Morelia", municipality=morelia, latitude=19.70, longitude=-101.19, open_24h=True)
    svc(world, "Lejos", latitude=19.9, longitude=-101.5, open_24h=True)
    svc(world, "Línea", kind=Service.Kind.HOTLINE, phone="800 000 0000", open_24h=True)
    client = client_for(world.users["learner"])
    first = client.get(reverse("referrals:search"), {"subdivision": world.michoacan.pk})
    assert morelia in first.context["form"].fields["municipality"].queryset
    response = client.get(
        reverse("referrals:search"),
        {"subdivision": world.michoacan.pk, "municipality": morelia.pk, "kind": ""},
    )
    assert response.context["origin"] == "municipality"
    assert [r.found.service.name for r in response.context["results"]] == ["En Morelia", "Lejos"]
    assert [r.found.service.name for r in response.context["lines"]] == ["Línea"]


def test_a_municipality_of_another_state_searches_the_whole_state_and_keeps_the_hotlines(world):
    """The officer changed the state but the municipality list had not refreshed yet."""
    morelia = Municipality.objects.create(subdivision=world.michoacan, code="16053", name="Morelia")
    svc(world, "En Jalisco", state=world.jalisco, latitude=20.67, longitude=-103.35, open_24h=True)
    svc(world, "Línea", kind=Service.Kind.HOTLINE, phone="800 000 0000", open_24h=True)
    client = client_for(world.users["learner"])
    response = client.get(
        reverse("referrals:search"),
        {"subdivision": world.jalisco.pk, "municipality": morelia.pk, "kind": ""},
    )
    assert response.context["municipality_dropped"] is True
    assert [r.found.service.name for r in response.context["results"]] == ["En Jalisco"]
    assert [r.found.service.name for r in response.context["lines"]] == ["Línea"]
    assert "no está en este estado" in response.content.decode()


def test_search_shows_state_pathways(world):
    Pathway.objects.create(
        country=world.mexico, subdivision=world.michoacan, case_kind="sexual_violence"
    )
    client = client_for(world.users["learner"])
    response = client.get(reverse("referrals:search"), {"subdivision": world.michoacan.pk})
    assert len(response.context["pathways"]) == 1
    assert reverse("referrals:pathway_list") in response.content.decode()


def test_everything_closed_says_so_and_gives_next_opening(world):
    mx = ZoneInfo("America/Mexico_City")
    s = svc(world, "Cerrado", latitude=19.7, longitude=-101.19)
    now = timezone.now().astimezone(mx)
    later = (now + dt.timedelta(hours=3)).time().replace(second=0, microsecond=0)
    OpeningHours.objects.create(
        service=s,
        weekday=(now + dt.timedelta(hours=3)).weekday(),
        opens=later,
        closes=(now + dt.timedelta(hours=4)).time().replace(second=0, microsecond=0),
    )
    response = client_for(world.users["learner"]).get(
        reverse("referrals:search"), {"lat": "19.7", "lon": "-101.19"}, follow=True
    )
    row = response.context["results"][0]
    assert not row.found.open_now and row.opens_at is not None
    assert "No hay ningún servicio de este tipo abierto ahora" in response.content.decode()


def test_card_in_english_and_pdf(world):
    s = svc(world, "Centro de Justicia", phone="443 000 0000", open_24h=True)
    client = client_for(world.users["learner"])
    page = client.get(reverse("referrals:card"), {"s": [s.pk], "lang": "en"})
    body = page.content.decode()
    assert "Where to get help" in body and "Centro de Justicia" in body
    assert "Open 24 hours, every day" in body
    es = client.get(reverse("referrals:card"), {"s": [s.pk], "lang": "es"}).content.decode()
    assert "Dónde pedir ayuda" in es
    pdf = client.get(reverse("referrals:card_pdf"), {"s": [s.pk], "lang": "en"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = _pdf_text(pdf.content)
    assert b"Centro de Justicia" in text and b"Where to get help" in text and b"911" in text


def _pdf_text(content: bytes) -> bytes:
    """The page streams of a reportlab PDF, inflated (its text is drawn as literal strings)."""
    import base64
    import binascii
    import re
    import zlib

    out = b""
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = stream.strip()
        if data.endswith(b"~>"):  # ASCII85, then Flate
            try:
                data = base64.a85decode(data[:-2], adobe=False)
            except (ValueError, binascii.Error):
                continue
        try:
            out += zlib.decompress(data)
        except zlib.error:
            continue
    return out
    assert Client().get(reverse("referrals:card_pdf")).status_code == 302


# --- public page --------------------------------------------------------------------------


def _no_cookies(response):
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers


def test_help_page_sets_no_cookie_even_for_a_signed_in_user(world):
    svc(world, "Refugio", open_24h=True, phone="443 1")
    anonymous = Client()
    response = anonymous.get(reverse("referrals:help"))
    assert response.status_code == 200
    _no_cookies(response)
    signed_in = client_for(world.users["manager"])
    response = signed_in.get(reverse("referrals:help"), {"state": world.michoacan.pk})
    _no_cookies(response)
    assert "Refugio" in response.content.decode()
    body = response.content.decode()
    assert "csrfmiddlewaretoken" not in body
    assert 'href="https://www.google.com/search?q=clima"' in body
    assert "data-quick-exit" in body


def test_help_page_language_from_the_query_and_no_third_party_assets(world):
    es = Client().get(reverse("referrals:help"), {"lang": "es"}).content.decode()
    en = Client().get(reverse("referrals:help"), {"lang": "en"}).content.decode()
    assert '<html lang="es">' in es and "Tus derechos" in es
    assert '<html lang="en">' in en and "Your rights" in en
    import re

    for attr in re.findall(r'(?:src|href)="([^"]+)"', en):
        if attr.startswith(("http://", "https://")):
            # The only outside address is the quick exit's link (followed only when pressed).
            assert attr == "https://www.google.com/search?q=clima", attr


def test_help_page_is_small(world):
    from django.contrib.staticfiles import finders

    for i in range(20):
        svc(world, f"Servicio {i}", open_24h=True, phone="443 000 0000", address="Calle " * 5)
    html = Client().get(reverse("referrals:help"), {"state": world.michoacan.pk}).content
    total = len(gzip.compress(html))
    for asset in ("referrals/help.css", "referrals/help.js"):
        with open(finders.find(asset), "rb") as handle:
            total += len(gzip.compress(handle.read()))
    assert total <= 50 * 1024, total


def test_poster_has_a_qr_code_and_sets_no_cookie(world):
    response = Client().get(reverse("referrals:poster"))
    _no_cookies(response)
    assert "<svg" in response.content.decode()
    assert Client().post(reverse("referrals:help")).status_code == 405


# --- import and export ----------------------------------------------------------------------


def _upload(text, name="services.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


HEADER = "id,name,type,state,municipality,latitude,longitude,phone,website,open_24h,hours\n"


def test_import_is_all_or_nothing_with_row_and_column(world):
    client = client_for(world.users["state_manager"])
    text = HEADER + (
        ",Refugio A,shelter,MX-MIC,,19.7,-101.1,443 1,https://a.org,no,mon 09:00-17:00\n"
        ",Refugio B,nave espacial,Michoacán,,abc,-101.1,,javascript:x,tal vez,lunes siempre\n"
        ",Jalisco C,shelter,MX-JAL,,,,,,no,\n"
    )
    response = client.post(reverse("referrals:service_import"), {"file": _upload(text)})
    assert response.status_code == 200
    problems = {(p.row, p.column) for p in response.context["outcome"].problems}
    assert {(3, "type"), (3, "latitude"), (3, "website"), (3, "open_24h"), (3, "hours")} <= problems
    assert (4, "state") in problems  # Jalisco is not hers
    assert not Service.objects.exists()


def test_import_creates_and_updates_then_export_round_trips(world):
    existing = svc(world, "Viejo nombre")
    client = client_for(world.users["state_manager"])
    text = HEADER + (
        f"{existing.pk},Nuevo nombre,dif,MX-MIC,,,,,,yes,\n"
        ",Refugio A,Refugio,Michoacán,,19.7,-101.1,443 1,https://a.org,no,"
        "mon 09:00-17:00; fri 20:00-04:00\n"
    )
    response = client.post(reverse("referrals:service_import"), {"file": _upload(text)})
    assert response.status_code == 302, response.context["outcome"].problems
    existing.refresh_from_db()
    assert existing.name == "Nuevo nombre" and existing.open_24h and existing.kind == "dif"
    new = Service.objects.get(name="Refugio A")
    assert [(h.weekday, h.opens, h.closes) for h in new.hours.all()] == [
        (0, dt.time(9), dt.time(17)),
        (4, dt.time(20), dt.time(4)),
    ]
    export = client.get(reverse("referrals:service_export", args=["csv"]))
    content = export.content.decode("utf-8-sig")
    assert "mon 09:00-17:00; fri 20:00-04:00" in content
    again = client.post(
        reverse("referrals:service_import"), {"file": _upload(content, "again.csv")}
    )
    assert again.status_code == 302
    assert Service.objects.count() == 2


def test_export_is_formula_safe_and_xlsx_works(world):
    svc(world, '=HYPERLINK("http://evil")')
    client = client_for(world.users["learner"])
    content = client.get(reverse("referrals:service_export", args=["csv"])).content.decode()
    assert "'=HYPERLINK" in content
    xlsx = client.get(reverse("referrals:service_export", args=["xlsx"]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=2).value.startswith("'=")
    assert client.get(reverse("referrals:service_export", args=["pdf"])).status_code == 404


def test_import_refuses_learner(world):
    client = client_for(world.users["learner"])
    assert client.get(reverse("referrals:service_import")).status_code == 403


# --- pathways -------------------------------------------------------------------------------


def test_pathway_create_then_steps_then_read(world):
    shelter = svc(world, "Refugio de Morelia", phone="443 000 0000")
    client = client_for(world.users["state_manager"])
    response = client.post(
        reverse("referrals:pathway_create"),
        {"subdivision": world.michoacan.pk, "municipality": "", "case_kind": "sexual_violence"},
    )
    pathway = Pathway.objects.get()
    assert response.url == reverse("referrals:pathway_update", args=[pathway.pk])
    data = {
        "subdivision": world.michoacan.pk,
        "municipality": "",
        "case_kind": "sexual_violence",
        "notes": "",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "40",
        "steps-0-order": "1",
        "steps-0-action": "Call the shelter.",
        "steps-0-never": "Never mediate.",
        "steps-0-services": [shelter.pk],
        "steps-1-order": "",
        "steps-1-action": "",
    }
    response = client.post(reverse("referrals:pathway_update", args=[pathway.pk]), data)
    assert response.status_code == 302, response.context["steps"].errors
    step = PathwayStep.objects.get()
    assert list(step.services.all()) == [shelter]
    page = client_for(world.users["learner"]).get(pathway.get_absolute_url()).content.decode()
    assert "Never mediate." in page and "Refugio de Morelia" in page
    # The same state and kind twice is refused.
    again = client.post(
        reverse("referrals:pathway_create"),
        {"subdivision": world.michoacan.pk, "municipality": "", "case_kind": "sexual_violence"},
    )
    assert again.status_code == 200 and Pathway.objects.count() == 1


def test_pathway_out_of_scope(world):
    pathway = Pathway.objects.create(
        country=world.mexico, subdivision=world.michoacan, case_kind="girl"
    )
    other = client_for(world.users["other_state_manager"])
    assert other.get(reverse("referrals:pathway_update", args=[pathway.pk])).status_code == 403
    assert other.post(reverse("referrals:pathway_delete", args=[pathway.pk])).status_code == 403
    learner = client_for(world.users["learner"])
    assert learner.get(reverse("referrals:pathway_create")).status_code == 403
    assert learner.get(reverse("referrals:pathway_list")).status_code == 200
    assert Client().get(reverse("referrals:pathway_list")).status_code == 302


def test_opening_time_is_shown_in_the_services_own_time_zone(world):
    from fortalece.geography.tests.factories import SubdivisionFactory

    roo = SubdivisionFactory(country=world.mexico, code="MX-ROO", name="Quintana Roo")
    s = svc(world, "Cancún", state=roo, latitude=21.16, longitude=-86.85)
    cancun = ZoneInfo("America/Cancun")
    tomorrow = (timezone.now().astimezone(cancun) + dt.timedelta(days=1)).weekday()
    OpeningHours.objects.create(
        service=s, weekday=tomorrow, opens=dt.time(9, 0), closes=dt.time(9, 1)
    )
    response = client_for(world.users["learner"]).get(
        reverse("referrals:search"), {"lat": "21.16", "lon": "-86.85"}, follow=True
    )
    row = response.context["results"][0]
    assert not row.found.open_now
    assert "09:00" in response.content.decode()
    assert "08:00" not in response.content.decode()


def test_my_state_pathways_link_for_lessons(world):
    url = reverse("referrals:pathway_mine")
    focal = client_for(world.users["focal"]).get(url)
    assert focal.url == reverse("referrals:pathway_list") + f"?state={world.michoacan.pk}"
    learner = client_for(world.users["learner"]).get(url)
    assert learner.url == reverse("referrals:pathway_list")
    assert Client().get(url).url.startswith("/accounts/login/")


def test_service_worker_is_served_for_the_referral_pages():
    response = Client().get(reverse("referrals:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/referrals/"
    body = response.content.decode()
    assert 'request.method !== "GET"' in body  # forms are never replayed or kept
    assert not response.cookies


def test_shelter_addresses_stay_off_the_public_page_and_the_card(world):
    shelter = svc(world, "Refugio", address="Calle Secreta 12", open_24h=True, phone="443 1")
    svc(
        world,
        "Fiscalía",
        kind=Service.Kind.PROSECUTOR,
        address="Av. Pública 1",
        open_24h=True,
    )
    public = Client().get(reverse("referrals:help"), {"state": world.michoacan.pk})
    body = public.content.decode()
    assert "Calle Secreta" not in body and "Av. Pública 1" in body
    learner = client_for(world.users["learner"])
    card = learner.get(reverse("referrals:card"), {"s": [shelter.pk]})
    assert "Calle Secreta" not in card.content.decode()
    pdf = learner.get(reverse("referrals:card_pdf"), {"s": [shelter.pk]})
    assert b"Refugio" in _pdf_text(pdf.content) and b"Calle Secreta" not in _pdf_text(pdf.content)


def test_results_flag_entries_not_verified_recently(world):
    today = timezone.localdate()
    svc(world, "Viejo", latitude=19.7, longitude=-101.19, open_24h=True, verified_on=today)
    svc(world, "Nunca", latitude=19.7, longitude=-101.19, open_24h=True)
    response = client_for(world.users["learner"]).get(
        reverse("referrals:search"), {"subdivision": world.michoacan.pk}
    )
    stale = {r.found.service.name: r.stale for r in response.context["results"]}
    assert stale == {"Viejo": False, "Nunca": True}


def test_directory_counts_per_state_and_verified_in_six_months(world):
    today = timezone.localdate()
    svc(world, "A", verified_on=today)
    svc(world, "B", verified_on=today - dt.timedelta(days=400))
    svc(world, "C", state=world.jalisco)
    counts = (
        client_for(world.users["donor"]).get(reverse("referrals:service_list")).context["counts"]
    )
    assert [(r["subdivision__name"], r["total"], r["verified"]) for r in counts] == [
        ("Jalisco", 1, 0),
        ("Michoacán", 2, 1),
    ]
