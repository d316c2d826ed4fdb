import datetime

import factory

from fortalece.geography.tests.factories import CountryFactory
from fortalece.programmes.models import Organisation, Programme, Target


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Donor {n}")
    kind = Organisation.Kind.GOVERNMENT


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programme {n}")
    code = factory.Sequence(lambda n: f"programme-{n}")
    start_date = datetime.date(2021, 1, 1)

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if not create:
            return
        self.countries.set(extracted or [CountryFactory()])


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    programme = factory.SubFactory(ProgrammeFactory)
    description = "75 people in 3 cities"
    value = 75
