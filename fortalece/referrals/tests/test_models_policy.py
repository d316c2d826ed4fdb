import pytest
from django.core.exceptions import ValidationError

from fortalece.referrals.models import Service
from fortalece.referrals.policies import service_policy


def make(world, subdivision, name="(demo) Centro"):
    return Service.objects.create(
        name=name, kind=Service.Kind.SHELTER, country=world.mexico, subdivision=subdivision
    )


@pytest.mark.django_db
def test_everyone_signed_in_reads_managers_edit_their_state(world):
    mic = make(world, world.michoacan)
    jal = make(world, world.jalisco, "(demo) Jalisco")
    u = world.users
    for label in ("admin", "manager", "me", "trainer", "focal", "donor", "learner"):
        assert service_policy.user_has_permission_for_instance(u[label], "view", mic), label
    assert not service_policy.instances_user_has_permission_for(u["inactive"], "view").exists()
    change = service_policy.instances_user_has_permission_for
    assert set(change(u["state_manager"], "change")) == {mic}
    assert set(change(u["other_state_manager"], "change")) == {jal}
    assert set(change(u["manager"], "change")) == {mic, jal}
    assert set(change(u["focal"], "change")) == {mic}  # institution in Michoacán
    for label in ("me", "trainer", "donor", "learner", "other_manager", "inactive"):
        assert not change(u[label], "change").exists(), label


@pytest.mark.django_db
def test_website_http_or_https_only(world):
    s = Service(
        name="x", kind=Service.Kind.OTHER, country=world.mexico, subdivision=world.michoacan
    )
    for bad in ("javascript:alert(1)", "ftp://example.org", "data:text/html,x"):
        s.website = bad
        with pytest.raises(ValidationError):
            s.full_clean()
    s.website = "https://example.org"
    s.full_clean()
