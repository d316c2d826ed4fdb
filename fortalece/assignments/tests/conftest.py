import pytest

from fortalece.assignments.tests.factories import AssignmentFactory
from fortalece.learning.tests.factories import CourseModuleFactory


@pytest.fixture
def course_work(world):
    """The world's course with one module holding a points-graded assignment."""
    module = CourseModuleFactory(course=world.course)
    assignment = AssignmentFactory(item__module=module)
    world.module = module
    world.assignment = assignment
    return world


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are matched in English here; Spanish is checked in test_translations."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
