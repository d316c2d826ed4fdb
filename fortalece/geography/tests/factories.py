import factory

from fortalece.geography.models import Country, Municipality, Subdivision


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "MX"
    alpha3 = factory.LazyAttribute(
        lambda o: {"MX": "MEX", "GT": "GTM", "CO": "COL"}.get(o.code, o.code + "X")
    )
    name_en = factory.LazyAttribute(
        lambda o: {"MX": "Mexico", "GT": "Guatemala"}.get(o.code, o.code)
    )
    name_es = factory.LazyAttribute(
        lambda o: {"MX": "México", "GT": "Guatemala"}.get(o.code, o.code)
    )


class SubdivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdivision
        django_get_or_create = ("code",)

    country = factory.SubFactory(CountryFactory)
    code = factory.Sequence(lambda n: f"MX-Z{n:02d}")
    name = factory.Sequence(lambda n: f"Estado {n}")
    kind = "State"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    subdivision = factory.SubFactory(SubdivisionFactory)
    code = factory.Sequence(lambda n: f"{90000 + n}")
    name = factory.Sequence(lambda n: f"Municipio {n}")
