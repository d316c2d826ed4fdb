"""Narrative lines for a donor report, in English and Spanish, in the style of the UNODC
reports (seed 004): "In Namibia, UNODC trained 103 participants (76 female and 27 male) in 3
training-of-trainers workshops in 2019." Pure Python: the figures come in a ``Facts``, each
sentence keeps them (so it can be traced back), and nothing here reads the database.

Numbers follow each language's rules: English groups thousands with commas (7,500); Spanish
(RAE, *Ortografía* 2010) writes four-digit numbers without a separator (7500) and groups longer
ones with a non-breaking space (12 000).
"""

from __future__ import annotations

from dataclasses import dataclass, field

NBSP = "\u00a0"
CRIMINAL_JUSTICE = {"police", "prosecutor", "judge", "legal_aid", "forensic"}

AUDIENCE = {
    "en": {
        "police": ("police officer", "police officers"),
        "prosecutor": ("prosecutor", "prosecutors"),
        "judge": ("judge", "judges"),
        "emergency_operator": ("emergency call operator", "emergency call operators"),
        "legal_aid": ("legal aid professional", "legal aid professionals"),
        "forensic": ("forensic expert", "forensic experts"),
        "victim_services": ("victim service provider", "victim service providers"),
        "criminal_justice": ("criminal justice officer", "criminal justice officers"),
        "participants": ("participant", "participants"),
    },
    "es": {
        "police": ("agente de policía", "agentes de policía"),
        "prosecutor": ("fiscal", "fiscales"),
        "judge": ("persona juzgadora", "personas juzgadoras"),
        "emergency_operator": (
            "operadora u operador de llamadas de emergencia",
            "operadoras y operadores de llamadas de emergencia",
        ),
        "legal_aid": ("defensora o defensor", "defensoras y defensores"),
        "forensic": ("perita o perito forense", "peritas y peritos forenses"),
        "victim_services": (
            "persona de atención a víctimas",
            "personas de atención a víctimas",
        ),
        "criminal_justice": (
            "profesional de la justicia penal",
            "profesionales de la justicia penal",
        ),
        "participants": ("participante", "participantes"),
    },
}
# Spanish takes the article with some acronyms: "la UNODC" (la Oficina), "la UE".
SPANISH_NAMES = {"UNODC": "la UNODC", "EU": "la UE", "UN Women": "ONU Mujeres"}


def number(value: int, language: str) -> str:
    """A whole number as written in running text in ``language``."""
    if language.startswith("es"):
        digits = str(abs(value))
        if len(digits) > 4:
            groups: list[str] = []
            while digits:
                groups.insert(0, digits[-3:])
                digits = digits[:-3]
            digits = NBSP.join(groups)
        return ("-" if value < 0 else "") + digits
    return f"{value:,}"


def _join(parts: list[str], language: str) -> str:
    word = " y " if language.startswith("es") else " and "
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + word + parts[-1]


@dataclass(frozen=True)
class Facts:
    """What one sentence says, with where it came from."""

    place: str  # the country's name in the sentence's language
    implementer: str  # e.g. "UNODC"; empty: "the programme"
    people: int
    female: int | None = None
    male: int | None = None
    other: int | None = None  # other or not stated
    workshops: int = 0
    train_the_trainer: bool = False
    professions: tuple[str, ...] = ()
    states: int = 0  # first-level subdivisions reached, when more than one
    year_from: int | None = None
    year_to: int | None = None
    source: dict[str, object] = field(default_factory=dict)  # ids and filters behind it


def audience(facts: Facts, language: str) -> str:
    professions = set(facts.professions)
    if len(professions) == 1 and next(iter(professions)) in AUDIENCE["en"]:
        key = next(iter(professions))
    elif professions and professions <= CRIMINAL_JUSTICE:
        key = "criminal_justice"
    else:
        key = "participants"
    singular, plural = AUDIENCE["es" if language.startswith("es") else "en"][key]
    return singular if facts.people == 1 else plural


def _sexes(facts: Facts, language: str) -> str:
    """ "76 female and 27 male" / "76 mujeres y 27 hombres"; empty when a figure is missing."""
    if facts.female is None or facts.male is None:
        return ""
    spanish = language.startswith("es")
    parts = []
    for value, en, es_one, es_many in (
        (facts.female, "female", "mujer", "mujeres"),
        (facts.male, "male", "hombre", "hombres"),
    ):
        if spanish:
            parts.append(f"{number(value, language)} {es_one if value == 1 else es_many}")
        else:
            parts.append(f"{number(value, language)} {en}")
    if facts.other:
        parts.append(
            f"{number(facts.other, language)} "
            + ("de otro sexo o sin indicar" if spanish else "other or not stated")
        )
    return _join(parts, language)


def _period(facts: Facts, language: str) -> str:
    spanish = language.startswith("es")
    start, end = facts.year_from, facts.year_to
    if start and end and start == end:
        return f" en {start}" if spanish else f" in {start}"
    if start and end:
        return f" entre {start} y {end}" if spanish else f" between {start} and {end}"
    if start:
        return f" desde {start}" if spanish else f" since {start}"
    if end:
        return f" hasta {end}" if spanish else f" up to {end}"
    return ""


def sentence(facts: Facts, language: str) -> str:
    """One line in the report's style, in English (``en``) or Spanish (``es``)."""
    spanish = language.startswith("es")
    who = audience(facts, language)
    sexes = _sexes(facts, language)
    bracket = f" ({sexes})" if sexes else ""
    count = number(facts.people, language)
    if spanish:
        implementer = SPANISH_NAMES.get(facts.implementer, facts.implementer) or "el programa"
        text = f"En {facts.place}, {implementer} capacitó a {count} {who}{bracket}"
        if facts.workshops:
            kind = "taller" if facts.workshops == 1 else "talleres"
            ttt = " de formación de formadores" if facts.train_the_trainer else ""
            text += f" en {number(facts.workshops, language)} {kind}{ttt}"
        if facts.states > 1:
            text += f" de {number(facts.states, language)} estados"
    else:
        implementer = facts.implementer or "the programme"
        text = f"In {facts.place}, {implementer} trained {count} {who}{bracket}"
        if facts.workshops:
            kind = "workshop" if facts.workshops == 1 else "workshops"
            ttt = " training-of-trainers" if facts.train_the_trainer else ""
            text += f" in {number(facts.workshops, language)}{ttt} {kind}"
        if facts.states > 1:
            text += f" in {number(facts.states, language)} states"
    return text + _period(facts, language) + "."
