import datetime

import factory

from fortalece.people.tests.factories import PersonFactory
from fortalece.programmes.tests.factories import ProgrammeFactory
from fortalece.training.models import Course, Enrolment, Session, Workshop


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Atención a víctimas {n}")
    modality = Course.Modality.IN_PERSON
    hours = 16


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    course = factory.SubFactory(CourseFactory)
    programme = factory.SelfAttribute("course.programme")
    title = factory.Sequence(lambda n: f"Taller {n}")
    start_date = datetime.date(2021, 11, 22)
    end_date = datetime.date(2021, 11, 24)
    country = factory.LazyAttribute(lambda o: o.programme.countries.first())


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    workshop = factory.SubFactory(WorkshopFactory)
    date = factory.Sequence(lambda n: datetime.date(2021, 11, 22) + datetime.timedelta(days=n))


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    workshop = factory.SubFactory(WorkshopFactory)
    person = factory.SubFactory(PersonFactory)
    status = Enrolment.Status.ENROLLED
