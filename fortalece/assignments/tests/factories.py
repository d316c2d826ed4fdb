from decimal import Decimal

import factory

from fortalece.assignments.models import Assignment, Criterion, Level, Rubric
from fortalece.learning.models import CourseItem
from fortalece.learning.tests.factories import CourseItemFactory

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    item = factory.SubFactory(CourseItemFactory, kind=CourseItem.Kind.ASSIGNMENT)
    instructions = "<p>Describe un caso.</p>"
    max_points = Decimal(10)
    pass_percent = Decimal(60)


def make_rubric(course, title="Rúbrica") -> Rubric:
    """Two criteria: 0/2/4 and 0/3 points (7 at most)."""
    rubric = Rubric.objects.create(course=course, title=title)
    first = Criterion.objects.create(rubric=rubric, title="Identifica el riesgo", position=0)
    second = Criterion.objects.create(rubric=rubric, title="Canaliza", position=1)
    for i, (name, points) in enumerate([("Insuficiente", 0), ("Adecuado", 2), ("Excelente", 4)]):
        Level.objects.create(criterion=first, title=name, points=points, position=i)
    for i, (name, points) in enumerate([("No", 0), ("Sí", 3)]):
        Level.objects.create(criterion=second, title=name, points=points, position=i)
    return rubric


def levels(rubric: Rubric, *names: str) -> dict[int, int]:
    """Selections {criterion id: level id} choosing the named level of each criterion."""
    chosen = {}
    for criterion, name in zip(rubric.criteria.order_by("position"), names, strict=True):
        chosen[criterion.pk] = criterion.levels.get(title=name).pk
    return chosen
