"""What each kind of import expects, and the header words that suggest each column."""

from dataclasses import dataclass

from fortalece.imports.core.vocab import fold


def gettext_noop(message: str) -> str:
    """Marks a label for translation without importing Django."""
    return message


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    required: bool
    synonyms: tuple[str, ...]


PERSON_TARGETS = (
    Target(
        "given_names",
        "Given names",
        True,
        ("nombre", "nombres", "nombre s", "given names", "first name", "name"),
    ),
    Target(
        "family_names",
        "Family names",
        True,
        ("apellidos", "apellido", "apellido s", "family names", "last name", "surname"),
    ),
    Target("sex", gettext_noop("Sex"), True, ("sexo", "sex", "genero", "gender")),
    Target(
        "profession",
        "Profession",
        True,
        ("profesion", "perfil", "profession", "occupation", "puesto tipo"),
    ),
    Target(
        "institution",
        "Institution",
        True,
        (
            "institucion",
            "dependencia",
            "institution",
            "organizacion",
            "organisation",
            "organization",
        ),
    ),
    Target(
        "state", "State", False, ("estado", "entidad", "entidad federativa", "state", "province")
    ),
    Target(
        "rank", "Rank / position", False, ("cargo", "rango", "grado", "puesto", "rank", "position")
    ),
    Target(
        "email",
        gettext_noop("Email"),
        False,
        ("correo", "correo electronico", "email", "e mail", "mail"),
    ),
    Target(
        "phone", gettext_noop("Phone"), False, ("telefono", "celular", "phone", "mobile", "tel")
    ),
)

ENROLMENT_TARGETS = (
    Target("given_names", gettext_noop("Given names"), False, PERSON_TARGETS[0].synonyms),
    Target("family_names", gettext_noop("Family names"), False, PERSON_TARGETS[1].synonyms),
    Target("email", gettext_noop("Email"), False, PERSON_TARGETS[7].synonyms),
    Target("institution", gettext_noop("Institution"), False, PERSON_TARGETS[4].synonyms),
    Target(
        "status",
        gettext_noop("Status"),
        False,
        ("estatus", "estado inscripcion", "status", "situacion"),
    ),
    # Only to add people the registry does not have yet (the "add missing people" option).
    Target("sex", gettext_noop("Sex"), False, PERSON_TARGETS[2].synonyms),
    Target("profession", gettext_noop("Profession"), False, PERSON_TARGETS[3].synonyms),
    Target("state", gettext_noop("State"), False, PERSON_TARGETS[5].synonyms),
    Target("rank", gettext_noop("Rank / position"), False, PERSON_TARGETS[6].synonyms),
    Target("phone", gettext_noop("Phone"), False, PERSON_TARGETS[8].synonyms),
)

ATTENDANCE_TARGETS = (
    Target("given_names", gettext_noop("Given names"), False, PERSON_TARGETS[0].synonyms),
    Target("family_names", gettext_noop("Family names"), False, PERSON_TARGETS[1].synonyms),
    Target("email", gettext_noop("Email"), False, PERSON_TARGETS[7].synonyms),
    Target(
        "present",
        "Present",
        True,
        ("asistencia", "asistio", "presente", "present", "attended", "attendance"),
    ),
)

TARGETS = {
    "people": PERSON_TARGETS,
    "enrolments": ENROLMENT_TARGETS,
    "attendance": ATTENDANCE_TARGETS,
}


def suggest_mapping(headers: list[str], kind: str) -> dict[str, int]:
    """target key -> column index, from header words in Spanish or English."""
    folded = [fold(h) for h in headers]
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for target in TARGETS[kind]:
        for synonym in target.synonyms:
            matches = [i for i, h in enumerate(folded) if h == synonym and i not in used]
            if matches:
                mapping[target.key] = matches[0]
                used.add(matches[0])
                break
    return mapping


def mapping_problems(mapping: dict[str, int], kind: str, width: int) -> list[str]:
    problems = [
        f"Choose the column that holds “{target.label}”."
        for target in TARGETS[kind]
        if target.required and target.key not in mapping
    ]
    columns = list(mapping.values())
    if len(columns) != len(set(columns)):
        problems.append("A column is mapped to two fields.")
    if any(c < 0 or c >= width for c in columns):
        problems.append("A mapped column does not exist in the file.")
    if (
        kind in ("enrolments", "attendance")
        and "email" not in mapping
        and not ({"given_names", "family_names"} <= set(mapping))
    ):
        problems.append("Map the email column, or both name columns, to find each person.")
    return problems
