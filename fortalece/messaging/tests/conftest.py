import pytest

from fortalece.learning.tests.conftest import online  # noqa: F401  (the shared fixture)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits count in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def users(online):  # noqa: F811
    return online.users
