"""Narrative lines in seed 004's style, in both languages (pure: no database)."""

from hypothesis import given
from hypothesis import strategies as st

from fortalece.reporting.narrative import NBSP, Facts, number, sentence

NAMIBIA = Facts(
    place="Namibia",
    implementer="UNODC",
    people=103,
    female=76,
    male=27,
    other=0,
    workshops=3,
    train_the_trainer=True,
    professions=("prosecutor", "police", "victim_services"),
    year_from=2019,
    year_to=2019,
)


def test_namibia_103_participants_76_female_and_27_male_in_english_and_spanish():
    assert sentence(NAMIBIA, "en") == (
        "In Namibia, UNODC trained 103 participants (76 female and 27 male) "
        "in 3 training-of-trainers workshops in 2019."
    )
    assert sentence(NAMIBIA, "es") == (
        "En Namibia, la UNODC capacitó a 103 participantes (76 mujeres y 27 hombres) "
        "en 3 talleres de formación de formadores en 2019."
    )


def test_viet_nam_166_criminal_justice_officers_in_english_and_spanish():
    facts = Facts(
        place="Viet Nam",
        implementer="UNODC",
        people=166,
        workshops=5,
        professions=("police", "prosecutor", "legal_aid"),
        year_from=2019,
        year_to=2020,
    )
    assert sentence(facts, "en") == (
        "In Viet Nam, UNODC trained 166 criminal justice officers in 5 workshops "
        "between 2019 and 2020."
    )
    spanish = Facts(**{**facts.__dict__, "place": "Vietnam"})
    assert sentence(spanish, "es") == (
        "En Vietnam, la UNODC capacitó a 166 profesionales de la justicia penal en 5 talleres "
        "entre 2019 y 2020."
    )


def test_mexico_thousands_states_and_other_sexes():
    facts = Facts(
        place="Mexico",
        implementer="UNODC",
        people=7500,
        female=2100,
        male=5390,
        other=10,
        workshops=310,
        professions=("police", "emergency_operator"),
        states=26,
    )
    assert sentence(facts, "en") == (
        "In Mexico, UNODC trained 7,500 participants (2,100 female, 5,390 male and 10 other or "
        "not stated) in 310 workshops in 26 states."
    )
    assert sentence(Facts(**{**facts.__dict__, "place": "México"}), "es") == (
        "En México, la UNODC capacitó a 7500 participantes (2100 mujeres, 5390 hombres y 10 de "
        "otro sexo o sin indicar) en 310 talleres de 26 estados."
    )


def test_one_person_and_one_workshop_are_singular():
    facts = Facts(place="Egypt", implementer="UNODC", people=1, workshops=1, professions=("judge",))
    assert sentence(facts, "en") == "In Egypt, UNODC trained 1 judge in 1 workshop."
    assert sentence(facts, "es") == "En Egypt, la UNODC capacitó a 1 persona juzgadora en 1 taller."


def test_numbers_are_written_the_way_each_language_writes_them():
    assert number(7500, "en") == "7,500" and number(7500, "es") == "7500"
    assert number(12000, "en") == "12,000" and number(12000, "es") == f"12{NBSP}000"
    assert number(1234567, "es") == f"1{NBSP}234{NBSP}567"
    assert number(999, "es") == "999"


@given(st.integers(0, 10**12))
def test_spanish_and_english_numbers_read_back_to_the_same_value(value):
    assert int(number(value, "en").replace(",", "")) == value
    spanish = number(value, "es")
    assert int(spanish.replace(NBSP, "")) == value
    assert (NBSP in spanish) == (value >= 10000)
