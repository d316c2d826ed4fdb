import factory

from fortalece.core.choices import Profession, Sex
from fortalece.geography.tests.factories import CountryFactory, SubdivisionFactory
from fortalece.people.models import Institution, Person
from fortalece.people.names import family_key, normalise


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Secretaría de Seguridad {n}")
    kind = Institution.Kind.SECURITY_SECRETARIAT
    country = factory.SubFactory(CountryFactory)
    subdivision = factory.SubFactory(SubdivisionFactory, country=factory.SelfAttribute("..country"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_names = factory.Faker("first_name", locale="es_MX")
    family_names = factory.Faker("last_name", locale="es_MX")
    sex = factory.Iterator([Sex.FEMALE, Sex.MALE])
    profession = Profession.POLICE
    institution = factory.SubFactory(InstitutionFactory)
    search_name = factory.LazyAttribute(lambda o: normalise(f"{o.given_names} {o.family_names}"))
    family_key = factory.LazyAttribute(lambda o: family_key(o.family_names))
