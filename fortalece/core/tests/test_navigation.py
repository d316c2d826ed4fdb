"""The main menu marks the entry of the page being read, and only that one."""

import re

import pytest

from fortalece.accounts.models import Role
from fortalece.core.context_processors import arrange_menu
from fortalece.core.testing import client_for, make_user

pytestmark = pytest.mark.django_db


def _current(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', page)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "/"),
        ("/reports/saved/", "/reports/saved/"),
        ("/people/", "/people/"),
    ],
)
def test_the_menu_marks_the_longest_matching_entry(path, current):
    client = client_for(make_user(Role.ADMINISTRATOR))
    response = client.get(path)
    assert response.status_code == 200
    assert _current(response.content.decode()) == [current]


# The header's arrangement: some entries gathered in disclosure menus, admin pages in the
# account menu; together always exactly the role's flat menu.


def _leaves(menu) -> list[str]:
    return [leaf.key for entry in menu for leaf in (entry.entries or [entry])]


def test_a_group_forms_from_two_entries_and_sits_where_its_first_would():
    items = [
        ("home", "Home", "/"),
        ("reporting", "Indicators", "/reports/"),
        ("workshops", "Workshops", "/workshops/"),
        ("coverage", "Coverage", "/reports/coverage/"),
    ]
    menu, account = arrange_menu(items, "coverage")
    assert [entry.key for entry in menu] == ["home", "group_reports", "workshops"]
    group = menu[1]
    assert [leaf.key for leaf in group.entries] == ["reporting", "coverage"]
    assert group.current and [leaf.current for leaf in group.entries] == [False, True]
    assert account == []


def test_a_lone_entry_of_a_group_stays_a_plain_link():
    items = [("home", "Home", "/"), ("coverage", "Coverage", "/reports/coverage/")]
    menu, _account = arrange_menu(items, "core")
    assert [(entry.key, entry.entries, entry.current) for entry in menu] == [
        ("home", [], True),
        ("coverage", [], False),
    ]


def test_administration_entries_go_to_the_account_menu():
    items = [("home", "Home", "/"), ("geography", "Geography", "/geo/"), ("users", "Users", "/u/")]
    menu, account = arrange_menu(items, "users")
    assert _leaves(menu) == ["home"]
    assert [(entry.key, entry.current) for entry in account] == [
        ("geography", False),
        ("users", True),
    ]


@pytest.fixture
def users(db):
    from fortalece.geography.tests.factories import CountryFactory
    from fortalece.people.tests.factories import InstitutionFactory, PersonFactory

    mexico = CountryFactory()
    return {
        "admin": make_user(Role.ADMINISTRATOR),
        "manager": make_user(Role.PROGRAMME_MANAGER, country=mexico),
        "focal": make_user(Role.FOCAL_POINT, institution=InstitutionFactory()),
        "learner": make_user(Role.LEARNER, person=PersonFactory()),
    }


GROUPS = {
    "admin": {"group_reports", "group_registry", "group_courses"},
    "manager": {"group_reports", "group_registry", "group_courses"},
    "focal": {"group_registry"},
    "learner": set(),
}


@pytest.mark.parametrize("who", list(GROUPS))
def test_the_header_offers_exactly_the_roles_menu_with_its_groups(users, who):
    response = client_for(users[who]).get("/people/" if who == "focal" else "/", follow=True)
    context = response.context
    menu, account = context["nav_menu"], context["nav_account"]
    # Every page of the role's menu, once: nothing hidden, nothing added.
    assert sorted(_leaves(menu) + [entry.key for entry in account]) == sorted(
        key for key, _label, _url in context["nav_items"]
    )
    assert {entry.key for entry in menu if entry.entries} == GROUPS[who]
    page = response.content.decode()
    assert page.count('<details class="navmenu"') == len(GROUPS[who])
    assert page.count("navmenu--account") == 1
    assert [entry.key for entry in account] == (["geography", "users"] if who == "admin" else [])
    for _key, _label, url in context["nav_items"]:
        assert f'<a href="{url}"' in page


def test_a_page_inside_a_group_is_marked_and_so_is_its_group(users):
    page = client_for(users["manager"]).get("/reports/saved/").content.decode()
    assert _current(page) == ["/reports/saved/"]
    summary = re.search(r"<summary class=\"navmenu__toggle([^\"]*)\">([^<]*)</summary>", page)
    assert summary and summary.group(1) == " is-current" and summary.group(2) == "Reportes"
    assert page.count("is-current") == 1


def test_the_account_menu_holds_language_security_and_sign_out(users):
    page = client_for(users["learner"]).get("/", follow=True).content.decode()
    start = page.index("navmenu--account")
    account = page[start : page.index("</details>", start)]
    for expected in ('value="es"', 'value="en"', "/accounts/mfa/recovery-codes/", "Cerrar sesión"):
        assert expected in account
    assert "Administración" not in account


def test_signed_out_pages_show_the_language_switch_without_an_account_menu(db):
    page = client_for(None).get("/accounts/login/").content.decode()
    assert 'name="language" value="en"' in page
    assert "navmenu" not in page


def test_the_home_page_links_to_every_programme_when_it_shows_only_the_latest():
    from fortalece.programmes.tests.factories import ProgrammeFactory

    admin = make_user(Role.ADMINISTRATOR)
    for _ in range(6):
        ProgrammeFactory()
    page = client_for(admin).get("/").content.decode()
    assert "programas" not in page.split('id="home-programmes"')[1].split("</section>")[0]
    ProgrammeFactory()
    page = client_for(admin).get("/").content.decode()
    assert 'href="/programmes/">Ver los 7 programas</a>' in page
