import datetime

import pytest

from fortalece.core.choices import Profession
from fortalece.people.tests.factories import PersonFactory
from fortalece.programmes.models import SdgTarget, Target
from fortalece.programmes.selectors import target_progress
from fortalece.programmes.services import sdg_targets_load
from fortalece.training.models import ProgrammeReach

pytestmark = pytest.mark.django_db


def test_target_progress_counts_people_with_state_and_profession_filters(world):
    for i in range(6):
        person = PersonFactory(
            institution=world.institution,
            profession=Profession.POLICE if i < 4 else Profession.JUDGE,
        )
        ProgrammeReach.objects.create(
            programme=world.programme,
            person=person,
            sex=person.sex,
            profession=person.profession,
            subdivision=world.michoacan if i % 2 == 0 else world.jalisco,
            first_reached_on=datetime.date(2021, 1, 1),
            completed=i < 2,
        )
    police = Target.objects.create(
        programme=world.programme, description="police", value=8, profession=Profession.POLICE
    )
    michoacan = Target.objects.create(programme=world.programme, description="mic", value=3)
    michoacan.subdivisions.set([world.michoacan])
    completed = Target.objects.create(
        programme=world.programme, description="done", value=2, metric="people_completed"
    )
    rows = {row["target"].pk: row for row in target_progress(world.programme)}
    assert rows[police.pk]["current"] == 4 and rows[police.pk]["percent"] == 50.0
    assert rows[michoacan.pk]["current"] == 3 and rows[michoacan.pk]["done"]
    assert rows[completed.pk]["current"] == 2


def test_sdg_targets_load_is_idempotent():
    sdg_targets_load()
    sdg_targets_load()
    assert SdgTarget.objects.filter(goal=5).count() == 9
    assert SdgTarget.objects.filter(goal=16).count() == 12
    assert "violencia" in SdgTarget.objects.get(code="5.2").title_es
