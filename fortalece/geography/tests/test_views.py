import pytest
from django import forms
from django.urls import reverse

from fortalece.accounts.models import Role
from fortalece.core.testing import (
    Expect,
    assert_permission_matrix,
    client_for,
    make_user,
    query_count,
)
from fortalece.geography.forms import PlaceFieldsMixin
from fortalece.geography.models import Municipality
from fortalece.geography.tests.factories import (
    CountryFactory,
    MunicipalityFactory,
    SubdivisionFactory,
)
from fortalece.people.models import Institution

pytestmark = pytest.mark.django_db


class PlaceForm(PlaceFieldsMixin, forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["country", "subdivision", "municipality"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_place_fields()

    def clean(self):
        cleaned = super().clean()
        self.clean_places(cleaned)
        return cleaned


@pytest.fixture
def people():
    mexico = CountryFactory(code="MX")
    return {
        "admin": make_user(Role.ADMINISTRATOR),
        "manager": make_user(Role.PROGRAMME_MANAGER, country=mexico),
        "learner": make_user(Role.LEARNER),
        "inactive": make_user(Role.ADMINISTRATOR, active=False),
    }


def test_form_lists_only_the_states_of_the_chosen_country_and_rejects_mismatches():
    mexico = CountryFactory(code="MX")
    guatemala = CountryFactory(code="GT")
    jalisco = SubdivisionFactory(country=mexico, code="MX-JAL")
    peten = SubdivisionFactory(country=guatemala, code="GT-PE")
    vallarta = MunicipalityFactory(subdivision=jalisco)
    form = PlaceForm(data={"country": mexico.pk, "subdivision": peten.pk})
    assert list(form.fields["subdivision"].queryset) == [jalisco]
    assert not form.is_valid()
    assert "subdivision" in form.errors
    form = PlaceForm(
        data={"country": mexico.pk, "subdivision": jalisco.pk, "municipality": vallarta.pk}
    )
    assert form.is_valid(), form.errors
    assert 'hx-get="/geography/options/subdivisions/"' in str(form["country"])


def test_option_endpoints_return_the_children(people):
    state = SubdivisionFactory()
    MunicipalityFactory(subdivision=state, name="Morelia")
    client = client_for(people["manager"])
    states = client.get(reverse("geography:subdivision_options"), {"country": state.country_id})
    assert state.name in states.content.decode()
    towns = client.get(reverse("geography:municipality_options"), {"subdivision": state.pk})
    assert "Morelia" in towns.content.decode()
    assert (
        client.get(reverse("geography:municipality_options"), {"subdivision": "x"}).status_code
        == 200
    )


@pytest.mark.parametrize("name", ["country_list", "subdivision_options", "municipality_options"])
def test_browsing_geography_permission_matrix(people, name):
    assert_permission_matrix(
        reverse(f"geography:{name}"),
        [
            Expect("anonymous", None, False),
            Expect("inactive", people["inactive"], False),
            Expect("admin", people["admin"], True),
            Expect("manager", people["manager"], True),
            Expect("learner", people["learner"], False),
        ],
    )


def test_country_and_state_pages(people):
    state = SubdivisionFactory()
    for url in (
        reverse("geography:country_detail", args=[state.country.code]),
        reverse("geography:subdivision_detail", args=[state.pk]),
    ):
        assert_permission_matrix(
            url,
            [
                Expect("anonymous", None, False),
                Expect("admin", people["admin"], True),
                Expect("manager", people["manager"], True),
                Expect("learner", people["learner"], False),
            ],
        )


def test_only_administrators_add_municipalities(people):
    state = SubdivisionFactory()
    url = reverse("geography:municipality_create", args=[state.pk])
    client_for(people["manager"]).post(url, {"code": "16053", "name": "Morelia"})
    assert not Municipality.objects.exists()
    client_for(people["admin"]).post(url, {"code": "16053", "name": "Morelia"})
    assert Municipality.objects.get().name == "Morelia"


def test_country_list_query_count_does_not_grow_with_rows(people):
    client = client_for(people["admin"])
    url = reverse("geography:country_list")
    CountryFactory(code="AA", alpha3="AAZ")
    before = query_count(client, url)
    for i in range(30):
        code = f"{chr(66 + i // 26)}{chr(65 + i % 26)}"
        CountryFactory(code=code, alpha3=code + "Z")
    assert query_count(client, url) == before


def test_the_municipality_list_is_searchable_within_the_chosen_state(people):
    state = SubdivisionFactory()
    other = SubdivisionFactory(country=state.country)
    MunicipalityFactory(subdivision=state, name="Naucalpan de Juárez", code="15057")
    MunicipalityFactory(subdivision=state, name="Ecatepec de Morelos", code="15033")
    MunicipalityFactory(subdivision=other, name="Naucalpan elsewhere", code="99001")
    client = client_for(people["manager"])
    url = reverse("geography:municipality_options")
    found = client.get(url, {"subdivision": state.pk, "municipality_search": "nauc"}).content
    assert b"Naucalpan de Ju" in found and b"Ecatepec" not in found and b"elsewhere" not in found
    by_key = client.get(url, {"subdivision": state.pk, "q": "15033"}).content.decode()
    assert "Ecatepec" in by_key and "Naucalpan" not in by_key

    form = PlaceForm(initial={"country": state.country_id, "subdivision": state.pk})
    names = list(form.fields)
    assert names.index("municipality_search") == names.index("municipality") - 1
    box = str(form["municipality_search"])
    assert 'hx-get="/geography/options/municipalities/"' in box
    assert 'hx-target="#id_municipality"' in box and "[name=&#x27;subdivision&#x27;]" in box
