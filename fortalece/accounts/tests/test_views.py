import pytest
from django.urls import reverse

from fortalece.accounts.models import Role, RoleAssignment, User
from fortalece.core.testing import Expect, assert_permission_matrix, client_for, make_user
from fortalece.geography.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    mexico = CountryFactory(code="MX")
    return {
        "admin": make_user(Role.ADMINISTRATOR),
        "manager": make_user(Role.PROGRAMME_MANAGER, country=mexico),
        "learner": make_user(Role.LEARNER),
        "inactive": make_user(Role.ADMINISTRATOR, active=False),
    }


def _matrix(people):
    return [
        Expect("anonymous", None, False),
        Expect("inactive admin", people["inactive"], False),
        Expect("admin", people["admin"], True),
        Expect("manager", people["manager"], False),
        Expect("learner", people["learner"], False),
    ]


@pytest.mark.parametrize(
    "name,needs_pk",
    [
        ("accounts:user_list", False),
        ("accounts:user_create", False),
        ("accounts:user_detail", True),
        ("accounts:user_update", True),
    ],
)
def test_user_pages_are_for_administrators_only(people, name, needs_pk):
    kwargs = {"pk": people["learner"].pk} if needs_pk else {}
    assert_permission_matrix(reverse(name, kwargs=kwargs), _matrix(people))


def test_role_removal_is_for_administrators_only(people):
    assignment = people["learner"].role_assignments.get()
    url = reverse("accounts:role_remove", args=[people["learner"].pk, assignment.pk])
    assert_permission_matrix(url, _matrix(people))


def test_admin_creates_account_with_strong_password(people):
    client = client_for(people["admin"])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "email": "new.manager@example.org",
            "first_name": "Stacy",
            "last_name": "de la Torre",
            "language": "es",
            "password": "short",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="new.manager@example.org").exists()
    assert b"errorlist" in response.content

    response = client.post(
        reverse("accounts:user_create"),
        {
            "email": "new.manager@example.org",
            "first_name": "Stacy",
            "last_name": "de la Torre",
            "language": "es",
            "password": "a long passphrase for the office",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="new.manager@example.org").count() == 1


def test_role_needs_exactly_one_scope_except_for_administrators(people):
    client = client_for(people["admin"])
    target = make_user()
    url = reverse("accounts:user_detail", args=[target.pk])

    response = client.post(url, {"role": Role.PROGRAMME_MANAGER})

    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user=target).exists()

    mexico = CountryFactory(code="MX")
    response = client.post(url, {"role": Role.PROGRAMME_MANAGER, "country": mexico.pk})
    assert response.status_code == 302
    response = client.post(url, {"role": Role.PROGRAMME_MANAGER, "country": mexico.pk})
    assert RoleAssignment.objects.filter(user=target).count() == 1


def test_deactivated_user_is_signed_out_on_next_request(people):
    client = client_for(people["manager"])
    assert client.get(reverse("core:home")).status_code == 200
    client_for(people["admin"]).post(
        reverse("accounts:user_update", args=[people["manager"].pk]),
        {"first_name": "", "last_name": "", "language": "es", "is_active": ""},
    )
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_admin_cannot_deactivate_themself(people):
    admin = people["admin"]
    client_for(admin).post(
        reverse("accounts:user_update", args=[admin.pk]),
        {"first_name": "A", "last_name": "B", "language": "es", "is_active": ""},
    )
    admin.refresh_from_db()
    assert admin.is_active
