import pytest
from django.core.management import CommandError, call_command

from fortalece.geography.models import Country, Municipality, Subdivision

pytestmark = pytest.mark.django_db


def test_load_geography_loads_mexico_with_inegi_codes_and_spanish_names():
    call_command("load_geography", country="MX")
    call_command("load_geography", country="MX")
    mexico = Country.objects.get(code="MX")
    assert mexico.name_es == "México"
    states = Subdivision.objects.filter(country=mexico)
    assert states.count() == 32
    assert {"MX-CMX", "MX-JAL", "MX-ROO", "MX-MIC"} <= set(states.values_list("code", flat=True))
    assert states.get(code="MX-CMX").national_code == "09"
    assert states.get(code="MX-ROO").national_code == "23"


def test_load_geography_loads_every_country_once():
    call_command("load_geography")
    count = Country.objects.count()
    call_command("load_geography")
    assert Country.objects.count() == count >= 249
    assert Country.objects.get(code="VN").name_es == "Vietnam"
    assert Subdivision.objects.filter(country__code="NA").exists()


def test_inegi_municipality_file_loads_all_rows_or_none(tmp_path):
    call_command("load_geography", country="MX", no_municipalities=True)
    assert not Municipality.objects.exists()
    good = tmp_path / "mun.csv"
    good.write_text(
        "CVE_ENT,CVE_MUN,NOM_MUN\n23,005,Benito Juárez\n14,067,Puerto Vallarta\n", encoding="utf-8"
    )
    call_command("load_geography", country="MX", municipalities=good)
    assert Municipality.objects.get(code="23005").subdivision.code == "MX-ROO"
    assert Municipality.objects.get(code="14067").name == "Puerto Vallarta"

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "CVE_ENT;CVE_MUN;NOM_MUN\n16;053;Morelia\n99;001;Nowhere\n16;xx;\n", encoding="utf-8"
    )
    with pytest.raises(CommandError) as error:
        call_command("load_geography", country="MX", municipalities=bad)
    assert "row 3" in str(error.value) and "CVE_ENT" in str(error.value)
    assert "row 4" in str(error.value)
    assert not Municipality.objects.filter(code="16053").exists()


def test_load_geography_loads_all_mexican_municipalities_with_2020_population_by_default():
    call_command("load_geography", country="MX")
    call_command("load_geography", country="MX")  # again: updates, never duplicates
    assert Municipality.objects.count() == 2478
    naucalpan = Municipality.objects.get(code="15057")
    assert naucalpan.name == "Naucalpan de Juárez"
    assert naucalpan.subdivision.code == "MX-MEX"
    assert (naucalpan.population, naucalpan.population_female, naucalpan.population_male) == (
        834434,
        431939,
        402495,
    )
    # Created after the census: no population rather than a made-up one.
    assert Municipality.objects.filter(population__isnull=True).count() == 9
    aguascalientes = Subdivision.objects.get(code="MX-AGU")
    assert aguascalientes.population == 1425607  # INEGI 2020: 1,425,607
    assert aguascalientes.population == (
        aguascalientes.population_female + aguascalientes.population_male
    )
    assert (
        sum(Subdivision.objects.filter(country__code="MX").values_list("population", flat=True))
        == 126014024
    )


def test_a_bad_population_is_named_by_row_and_column_and_nothing_is_loaded(tmp_path):
    call_command("load_geography", country="MX", no_municipalities=True)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "cvegeo,municipality_name,population_2020\n16053,Morelia,849053\n16102,Uruapan,12a\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("load_geography", country="MX", municipalities=bad)
    assert "row 3, column POPULATION_2020" in str(error.value)
    assert not Municipality.objects.exists()
