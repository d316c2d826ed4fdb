import factory

from fortalece.learning.models import CourseItem, CourseModule
from fortalece.training.tests.factories import CourseFactory


class CourseModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseModule

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Módulo {n}")
    position = factory.Sequence(lambda n: n)


class CourseItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseItem

    module = factory.SubFactory(CourseModuleFactory)
    kind = CourseItem.Kind.LESSON
    title = factory.Sequence(lambda n: f"Lección {n}")
    position = factory.Sequence(lambda n: n)
    required = True
