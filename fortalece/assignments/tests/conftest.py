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
