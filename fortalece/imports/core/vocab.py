"""Spanish and English words people put in spreadsheets, mapped to our codes."""

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no accents, single spaces: 'Profesión ' -> 'profesion'."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


SEX = {
    "f": "female",
    "female": "female",
    "mujer": "female",
    "femenino": "female",
    "fem": "female",
    "m": "male",
    "male": "male",
    "hombre": "male",
    "masculino": "male",
    "masc": "male",
    "h": "male",
    "otro": "other",
    "other": "other",
    "o": "other",
    "no binario": "other",
    "no especificado": "not_stated",
    "prefiero no decir": "not_stated",
    "not stated": "not_stated",
    "nd": "not_stated",
    "ne": "not_stated",
    "x": "not_stated",
}

PROFESSION = {
    "police": "police",
    "police officer": "police",
    "policia": "police",
    "policía": "police",
    "oficial de policia": "police",
    "agente": "police",
    "elemento": "police",
    "911": "emergency_operator",
    "operador 911": "emergency_operator",
    "operadora 911": "emergency_operator",
    "emergency call operator": "emergency_operator",
    "operador de emergencias": "emergency_operator",
    "telefonista 911": "emergency_operator",
    "prosecutor": "prosecutor",
    "fiscal": "prosecutor",
    "ministerio publico": "prosecutor",
    "agente del ministerio publico": "prosecutor",
    "judge": "judge",
    "juez": "judge",
    "jueza": "judge",
    "magistrado": "judge",
    "magistrada": "judge",
    "forensic": "forensic",
    "perito": "forensic",
    "perita": "forensic",
    "medico forense": "forensic",
    "forensic doctor": "forensic",
    "forensic expert": "forensic",
    "legal aid": "legal_aid",
    "defensor publico": "legal_aid",
    "defensora publica": "legal_aid",
    "asesor juridico": "legal_aid",
    "victim services": "victim_services",
    "victim service provider": "victim_services",
    "atencion a victimas": "victim_services",
    "psicologa": "victim_services",
    "trabajadora social": "victim_services",
    "hotel": "tourism",
    "tourism": "tourism",
    "turismo": "tourism",
    "hotelero": "tourism",
    "personal hotelero": "tourism",
    "hotel tourism staff": "tourism",
    "civil society": "civil_society",
    "sociedad civil": "civil_society",
    "osc": "civil_society",
    "enlace": "civil_society",
    "ong": "civil_society",
    "public official": "public_official",
    "servidor publico": "public_official",
    "servidora publica": "public_official",
    "funcionario": "public_official",
    "other": "other",
    "otro": "other",
    "otra": "other",
}

PRESENT = {
    "1": True,
    "si": True,
    "yes": True,
    "x": True,
    "p": True,
    "presente": True,
    "present": True,
    "asistio": True,
    "true": True,
    "verdadero": True,
    "0": False,
    "no": False,
    "a": False,
    "ausente": False,
    "absent": False,
    "falta": False,
    "false": False,
    "falso": False,
    "": False,
}

STATUS = {
    "nominated": "nominated",
    "nominado": "nominated",
    "nominada": "nominated",
    "propuesto": "nominated",
    "enrolled": "enrolled",
    "inscrito": "enrolled",
    "inscrita": "enrolled",
    "registrado": "enrolled",
    "attended": "attended",
    "asistio": "attended",
    "completed": "completed",
    "concluyo": "completed",
    "completo": "completed",
    "acredito": "completed",
    "aprobado": "completed",
    "terminado": "completed",
    "dropped": "dropped",
    "baja": "dropped",
    "abandono": "dropped",
    "desercion": "dropped",
}


def lookup(vocabulary: Mapping[str, Any], value: str) -> Any:
    key = fold(value)
    if key in vocabulary:
        return vocabulary[key]
    for word, code in vocabulary.items():
        if fold(word) == key:
            return code
    return None
