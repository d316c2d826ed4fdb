"""The main menu marks the entry of the page being read, and only that one."""

import re

import pytest

from fortalece.accounts.models import Role
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
