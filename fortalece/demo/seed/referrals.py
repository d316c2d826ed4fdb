"""The referral directory and pathways in the demo (issue #11). Safe to run twice.

Every entry is marked ``is_demo`` and named "(demo) …"; the phone numbers are made up
(``000`` after the area code, which no Mexican line uses) except the national lines 911 and 089
and Línea Mujeres. Places and kinds follow seeds 000 and 002: Women's Justice Centres, DIF,
shelters, specialised prosecutors, health services, for the demo's states (Michoacán, Quintana
Roo for the tourists of Cancún, Jalisco for Puerto Vallarta, Mexico City, the State of Mexico,
Chihuahua, Guerrero).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from fortalece.geography.models import Country, Municipality, Subdivision
from fortalece.referrals.models import OpeningHours, Pathway, PathwayStep, Service

K = Service.Kind
WEEKDAYS = [0, 1, 2, 3, 4]
OFFICE = [(d, "09:00", "17:00") for d in WEEKDAYS]
LONG = [(d, "08:00", "20:00") for d in WEEKDAYS] + [(5, "09:00", "14:00")]
NIGHTS = [(d, "20:00", "08:00") for d in range(7)]  # across midnight

# name, kind, state, municipality code, lat, lon, phone, open 24 h, hours, populations,
# languages, offer; verified this many days ago (None: never)
SERVICES: list[dict[str, Any]] = [
    {
        "name": "(demo) Centro de Justicia para las Mujeres de Morelia",
        "kind": K.JUSTICE_CENTRE,
        "state": "MX-MIC",
        "town": "16053",
        "lat": 19.7008,
        "lon": -101.1844,
        "phone": "443 000 0101",
        "whatsapp": "443 000 0102",
        "open_24h": True,
        "populations": ["women", "girls", "indigenous"],
        "languages": "español, purépecha",
        "offer": "Legal, psychological and medical care, the prosecutor and shelter referral "
        "under one roof.",
        "verified": 20,
    },
    {
        "name": "(demo) Fiscalía Especializada en Delitos Sexuales, Morelia",
        "kind": K.PROSECUTOR,
        "state": "MX-MIC",
        "town": "16053",
        "lat": 19.7060,
        "lon": -101.1950,
        "phone": "443 000 0111",
        "open_24h": True,
        "populations": ["women", "girls", "children"],
        "languages": "español",
        "offer": "Receives reports of sexual violence; orders protection measures.",
        "verified": 45,
    },
    {
        "name": "(demo) Refugio para mujeres, Michoacán",
        "kind": K.SHELTER,
        "state": "MX-MIC",
        "town": "16053",
        "lat": None,
        "lon": None,
        "phone": "443 000 0121",
        "open_24h": True,
        "populations": ["women", "girls", "children"],
        "languages": "español",
        "offer": "Confidential shelter; its address is never given out. Call first.",
        "verified": 90,
    },
    {
        "name": "(demo) Hospital General de Morelia, atención a violencia sexual",
        "kind": K.HEALTH,
        "state": "MX-MIC",
        "town": "16053",
        "lat": 19.6925,
        "lon": -101.2035,
        "phone": "443 000 0131",
        "open_24h": True,
        "populations": ["women", "girls"],
        "languages": "español",
        "offer": "Emergency contraception and HIV prophylaxis within 72 hours (NOM-046).",
        "verified": 200,
    },
    {
        "name": "(demo) DIF Municipal de Morelia",
        "kind": K.DIF,
        "state": "MX-MIC",
        "town": "16053",
        "lat": 19.7031,
        "lon": -101.1920,
        "phone": "443 000 0141",
        "hours": OFFICE,
        "populations": ["children", "girls", "women"],
        "languages": "español",
        "offer": "Protection of girls, boys and adolescents (Procuraduría de Protección).",
        "verified": 30,
    },
    {
        "name": "(demo) Unidad de atención a víctimas, Uruapan",
        "kind": K.LEGAL_AID,
        "state": "MX-MIC",
        "town": "16102",
        "lat": 19.4166,
        "lon": -102.0573,
        "phone": "452 000 0151",
        "hours": LONG,
        "populations": ["women", "indigenous"],
        "languages": "español, purépecha",
        "offer": "Legal advice and accompaniment.",
        "verified": None,
    },
    {
        "name": "(demo) Línea nocturna de apoyo, Lázaro Cárdenas",
        "kind": K.HOTLINE,
        "state": "MX-MIC",
        "town": "16052",
        "lat": 17.9583,
        "lon": -102.2000,
        "phone": "753 000 0161",
        "hours": NIGHTS,
        "populations": ["women"],
        "languages": "español",
        "offer": "Listening and referral at night.",
        "verified": 60,
    },
    {
        "name": "(demo) Centro de Justicia para las Mujeres de Cancún",
        "kind": K.JUSTICE_CENTRE,
        "state": "MX-ROO",
        "town": "23005",
        "lat": 21.1619,
        "lon": -86.8515,
        "phone": "998 000 0201",
        "whatsapp": "998 000 0202",
        "open_24h": True,
        "populations": ["women", "girls", "tourists", "migrants"],
        "languages": "español, English, maya",
        "offer": "Care for local and foreign women; interpreters on call.",
        "verified": 15,
    },
    {
        "name": "(demo) Fiscalía Especializada para la Atención al Turista, Cancún",
        "kind": K.PROSECUTOR,
        "state": "MX-ROO",
        "town": "23005",
        "lat": 21.1385,
        "lon": -86.7470,
        "phone": "998 000 0211",
        "open_24h": True,
        "populations": ["tourists", "women"],
        "languages": "español, English",
        "offer": "Reports from tourists, with interpreters and fast procedures.",
        "verified": 40,
    },
    {
        "name": "(demo) Hospital General de Cancún, urgencias",
        "kind": K.HEALTH,
        "state": "MX-ROO",
        "town": "23005",
        "lat": 21.1470,
        "lon": -86.8330,
        "phone": "998 000 0221",
        "open_24h": True,
        "populations": ["women", "girls", "tourists"],
        "languages": "español, English",
        "offer": "Emergency care after sexual violence (NOM-046).",
        "verified": 120,
    },
    {
        "name": "(demo) Oficina consular de apoyo a visitantes, Cancún",
        "kind": K.OTHER,
        "state": "MX-ROO",
        "town": "23005",
        "lat": 21.1330,
        "lon": -86.7460,
        "phone": "998 000 0231",
        "hours": OFFICE,
        "populations": ["tourists"],
        "languages": "English, français, español",
        "offer": "Stands for a consulate: contacts the visitor's consulate and family.",
        "verified": 25,
    },
    {
        "name": "(demo) DIF Benito Juárez",
        "kind": K.DIF,
        "state": "MX-ROO",
        "town": "23005",
        "lat": 21.1600,
        "lon": -86.8470,
        "phone": "998 000 0241",
        "hours": OFFICE,
        "populations": ["children", "girls"],
        "languages": "español",
        "offer": "Protection of girls and adolescents, including foreign ones.",
        "verified": 300,
    },
    {
        "name": "(demo) Centro de Justicia para las Mujeres, Puerto Vallarta",
        "kind": K.JUSTICE_CENTRE,
        "state": "MX-JAL",
        "town": "14067",
        "lat": 20.6534,
        "lon": -105.2253,
        "phone": "322 000 0301",
        "open_24h": True,
        "populations": ["women", "girls", "tourists"],
        "languages": "español, English",
        "offer": "Comprehensive care; liaison with hotels.",
        "verified": 50,
    },
    {
        "name": "(demo) Refugio temporal, Guadalajara",
        "kind": K.SHELTER,
        "state": "MX-JAL",
        "town": "14039",
        "lat": None,
        "lon": None,
        "phone": "33 000 0311",
        "open_24h": True,
        "populations": ["women", "children"],
        "languages": "español",
        "offer": "Confidential shelter (call first).",
        "verified": 10,
    },
    {
        "name": "(demo) Centro de Justicia para las Mujeres, Cuauhtémoc",
        "kind": K.JUSTICE_CENTRE,
        "state": "MX-CMX",
        "town": "09015",
        "lat": 19.4326,
        "lon": -99.1332,
        "phone": "55 000 0401",
        "hours": LONG,
        "populations": ["women", "girls", "lgbti"],
        "languages": "español, náhuatl",
        "offer": "Legal, psychological and medical care.",
        "verified": 5,
    },
    {
        "name": "(demo) Fiscalía de la mujer, Ecatepec",
        "kind": K.PROSECUTOR,
        "state": "MX-MEX",
        "town": "15033",
        "lat": 19.6010,
        "lon": -99.0500,
        "phone": "55 000 0501",
        "open_24h": True,
        "populations": ["women", "girls"],
        "languages": "español",
        "offer": "Reports of gender violence and feminicide attempts.",
        "verified": 75,
    },
    {
        "name": "(demo) Centro de Justicia para las Mujeres, Ciudad Juárez",
        "kind": K.JUSTICE_CENTRE,
        "state": "MX-CHH",
        "town": "08037",
        "lat": 31.6904,
        "lon": -106.4245,
        "phone": "656 000 0601",
        "open_24h": True,
        "populations": ["women", "girls", "migrants"],
        "languages": "español, English",
        "offer": "Comprehensive care; migrant women welcome.",
        "verified": 35,
    },
    {
        "name": "(demo) DIF Acapulco",
        "kind": K.DIF,
        "state": "MX-GRO",
        "town": "12001",
        "lat": 16.8531,
        "lon": -99.8237,
        "phone": "744 000 0701",
        "hours": OFFICE,
        "populations": ["children", "girls", "tourists"],
        "languages": "español",
        "offer": "Protection of girls, boys and adolescents.",
        "verified": 400,
    },
    # National lines: real numbers, no address.
    {
        "name": "911 — Emergencias",
        "kind": K.HOTLINE,
        "state": "MX-CMX",
        "town": None,
        "lat": None,
        "lon": None,
        "phone": "911",
        "open_24h": True,
        "populations": ["women", "girls", "children", "tourists", "migrants"],
        "languages": "español",
        "offer": "Police, ambulance and fire emergencies, free from any phone.",
        "verified": 1,
    },
    {
        "name": "089 — Denuncia anónima",
        "kind": K.HOTLINE,
        "state": "MX-CMX",
        "town": None,
        "lat": None,
        "lon": None,
        "phone": "089",
        "open_24h": True,
        "populations": ["women", "girls", "children"],
        "languages": "español",
        "offer": "Anonymous reports, free, 24 hours.",
        "verified": 1,
    },
    {
        "name": "Línea Mujeres",
        "kind": K.HOTLINE,
        "state": "MX-CMX",
        "town": None,
        "lat": None,
        "lon": None,
        "phone": "55 5658 1111",
        "open_24h": True,
        "populations": ["women"],
        "languages": "español",
        "offer": "Free legal and psychological advice for women, 24 hours (Consejo Ciudadano).",
        "verified": 1,
    },
]

# state, municipality code (None: the whole state), kind, notes, steps:
# (what to do, what never to do, names of services)
PATHWAYS: list[dict[str, Any]] = [
    {
        "state": "MX-MIC",
        "town": None,
        "kind": Pathway.CaseKind.SEXUAL_VIOLENCE,
        "notes": "Demo pathway drawn from the first-responder protocol of seed 002.",
        "steps": [
            (
                "Make sure she is safe; call 911 if the aggressor is near or she is injured.",
                "Never leave her alone with the aggressor or with people who doubt her.",
                ["911 — Emergencias"],
            ),
            (
                "Within 72 hours, take her to health care for emergency contraception and HIV "
                "prophylaxis; care does not depend on reporting.",
                "Never make medical care wait for a report.",
                ["(demo) Hospital General de Morelia, atención a violencia sexual"],
            ),
            (
                "Refer her to the Women's Justice Centre or the specialised prosecutor; write "
                "down what she says once, in her words.",
                "Never make her repeat her account; never question her credibility.",
                [
                    "(demo) Centro de Justicia para las Mujeres de Morelia",
                    "(demo) Fiscalía Especializada en Delitos Sexuales, Morelia",
                ],
            ),
        ],
    },
    {
        "state": "MX-MIC",
        "town": None,
        "kind": Pathway.CaseKind.FAMILY_VIOLENCE,
        "notes": "",
        "steps": [
            (
                "Assess the risk (weapons, threats, previous attacks, strangulation).",
                "Never mediate or suggest reconciliation.",
                [],
            ),
            (
                "Ask for protection orders and offer the shelter if going home is unsafe.",
                "Never give out the shelter's address.",
                [
                    "(demo) Refugio para mujeres, Michoacán",
                    "(demo) Centro de Justicia para las Mujeres de Morelia",
                ],
            ),
        ],
    },
    {
        "state": "MX-MIC",
        "town": None,
        "kind": Pathway.CaseKind.GIRL,
        "notes": "",
        "steps": [
            (
                "Notify the Procuraduría de Protección (DIF) at once and stay with the girl.",
                "Never interview the girl in detail: specialists do it once.",
                ["(demo) DIF Municipal de Morelia"],
            ),
        ],
    },
    {
        "state": "MX-ROO",
        "town": None,
        "kind": Pathway.CaseKind.FOREIGN_TOURIST,
        "notes": "For hotel staff and police in Cancún and the Riviera Maya (seed 000).",
        "steps": [
            (
                "Take her to a private place in the hotel with a woman colleague; ask which "
                "language she wants to use and call an interpreter if needed.",
                "Never let hotel security question her, and never ask her to leave the hotel.",
                [],
            ),
            (
                "Call 911 or the Tourist Prosecutor; offer health care within 72 hours.",
                "Never discourage a report to protect the hotel's name.",
                [
                    "911 — Emergencias",
                    "(demo) Fiscalía Especializada para la Atención al Turista, Cancún",
                    "(demo) Hospital General de Cancún, urgencias",
                ],
            ),
            (
                "With her consent, contact her consulate; keep the room and evidence as they are.",
                "Never share her name or room with other guests or the press.",
                ["(demo) Oficina consular de apoyo a visitantes, Cancún"],
            ),
        ],
    },
    {
        "state": "MX-ROO",
        "town": None,
        "kind": Pathway.CaseKind.SEXUAL_VIOLENCE,
        "notes": "",
        "steps": [
            (
                "Refer her to the Women's Justice Centre of Cancún (open 24 hours).",
                "Never make her repeat her account.",
                ["(demo) Centro de Justicia para las Mujeres de Cancún"],
            ),
        ],
    },
]


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def seed(say: Callable[[str], None] = print) -> bool:
    """Services and pathways, unless the demo's are already there."""
    if Service.objects.filter(is_demo=True).exists():
        say("  referral directory: already there, left as it is")
        return False
    mexico = Country.objects.get(code="MX")
    states = {s.code: s for s in Subdivision.objects.filter(country=mexico)}
    towns = {m.code: m for m in Municipality.objects.filter(subdivision__country=mexico)}
    today = timezone.localdate()
    by_name: dict[str, Service] = {}
    for row in SERVICES:
        state = states.get(row["state"])
        if state is None:
            continue
        days = row.get("verified")
        service = Service.objects.create(
            name=row["name"],
            kind=row["kind"],
            offer=row.get("offer", ""),
            populations=row.get("populations", []),
            languages=row.get("languages", ""),
            address="" if row["lat"] is None else "(demo) " + row["name"].split(", ")[-1],
            country=mexico,
            subdivision=state,
            municipality=towns.get(row["town"] or ""),
            latitude=row["lat"],
            longitude=row["lon"],
            phone=row["phone"],
            whatsapp=row.get("whatsapp", ""),
            open_24h=row.get("open_24h", False),
            open_on_holidays=row.get("open_24h", False),
            verified_on=None if days is None else today - datetime.timedelta(days=days),
            is_demo=True,
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(service=service, weekday=d, opens=_time(o), closes=_time(c))
            for d, o, c in row.get("hours", [])
        )
        by_name[service.name] = service
    for row in PATHWAYS:
        state = states.get(row["state"])
        if state is None:
            continue
        pathway = Pathway.objects.create(
            country=mexico,
            subdivision=state,
            municipality=towns.get(row["town"] or ""),
            case_kind=row["kind"],
            notes=row["notes"],
            is_demo=True,
        )
        for order, (action, never, names) in enumerate(row["steps"], start=1):
            step = PathwayStep.objects.create(
                pathway=pathway, order=order, action=action, never=never
            )
            step.services.set([by_name[n] for n in names if n in by_name])
    say(f"  referral directory: {len(by_name)} services, {len(PATHWAYS)} pathways")
    return True
