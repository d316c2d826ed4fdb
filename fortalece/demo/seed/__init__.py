"""Demo data drawn from the five seed documents (see ``fortalece seed_demo``)."""

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import transaction

from fortalece.accounts.mfa import MFA_REQUIRED_ROLES
from fortalece.accounts.models import RoleAssignment, TOTPDevice, User
from fortalece.demo.seed import (
    assignments,
    evaluation,
    learning,
    messaging,
    mexico,
    others,
    quizzes,
    reports,
    showcase,
)
from fortalece.demo.seed import referrals as referral_directory
from fortalece.demo.seed.accounts import DEFAULT_PASSWORD, DEMO_ACCOUNTS, DEMO_TOTP_SECRET
from fortalece.geography.models import Country, Municipality, Subdivision
from fortalece.people.models import Institution, Person
from fortalece.programmes.models import Organisation, Programme
from fortalece.training.models import Enrolment
from fortalece.training.services import enrolment_recompute
from fortalece.training.services.reach import reach_rebuild
from fortalece.training.services.reach_rollups import reach_year_rebuild

DATA = Path(__file__).resolve().parent.parent / "data"

ORGANISATIONS = {
    "unodc": ("United Nations Office on Drugs and Crime", "UNODC", "un"),
    "eu": ("European Union", "EU", "multilateral"),
    "inl": (
        "US Bureau of International Narcotics and Law Enforcement Affairs",
        "INL",
        "government",
    ),
    "merida": ("Mérida Initiative", "Mérida", "government"),
    "us-embassy": ("Embassy of the United States of America in Mexico", "", "government"),
    "canada": ("Embassy of Canada in Mexico", "", "government"),
    "uk": ("Embassy of the United Kingdom in Mexico", "", "government"),
    "ibero": ("Universidad Iberoamericana Ciudad de México", "IBERO", "academic"),
    "sspc": ("Secretariat of Security and Citizen Protection", "SSPC", "government"),
}


def ensure_reference_data() -> None:
    if (
        Country.objects.filter(code__in=["MX", "NA", "VN", "KG", "EG"]).count() < 5
        or not Subdivision.objects.filter(code="MX-MIC").exists()
    ):
        call_command("load_geography", verbosity=0)
    call_command("load_sdg_targets", verbosity=0)
    with (DATA / "municipalities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            state = Subdivision.objects.get(code=row["state"])
            Municipality.objects.get_or_create(
                code=row["code"], defaults={"subdivision": state, "name": row["name"]}
            )


def organisations() -> dict[str, Organisation]:
    result = {}
    for key, (name, acronym, kind) in ORGANISATIONS.items():
        result[key], _ = Organisation.objects.get_or_create(
            name=name, defaults={"acronym": acronym, "kind": kind}
        )
    return result


def programmes(orgs: dict[str, Organisation], say: Callable[[str], None]) -> None:
    steps: list[tuple[str, Callable[[], Any]]] = [
        (mexico.CODE, lambda: mexico.seed(orgs)),
        ("mx-ttt-sexual-violence-2021", lambda: others.seed_ttt_2021(orgs)),
        ("mx-spotlight-ibero-2021", lambda: others.seed_spotlight(orgs)),
        ("na-tot-court-support", lambda: others.seed_world(orgs)),
        ("ap-tot-prosecution", lambda: others.seed_asia_pacific(orgs)),
    ]
    for code, build in steps:
        if Programme.objects.filter(code=code).exists():
            say(f"  {code}: already there, left as it is")
            continue
        with transaction.atomic():
            build()
        say(f"  {code}: created")


def accounts(password: str) -> list[tuple[str, str, str]]:

    rows = []
    for email, first, last, role, scope_kind, scope_key in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        scope: dict[str, Any] = {}
        if scope_kind == "country":
            scope["country"] = Country.objects.get(code=scope_key)
        elif scope_kind == "subdivision":
            scope["subdivision"] = Subdivision.objects.get(code=scope_key)
        elif scope_kind == "programme":
            scope["programme"] = Programme.objects.get(code=scope_key)
        elif scope_kind == "institution":
            scope["institution"] = Institution.objects.get(
                subdivision__code="MX-MIC", kind=Institution.Kind.SECURITY_SECRETARIAT
            )
        RoleAssignment.objects.get_or_create(user=user, role=role, **scope)
        if role in MFA_REQUIRED_ROLES:
            TOTPDevice.objects.get_or_create(user=user, defaults={"secret": DEMO_TOTP_SECRET})
        if role == "trainer" and not hasattr(user, "person"):
            Person.objects.filter(
                given_names="Daniela", family_names="Solís Bautista", user__isnull=True
            ).update(user=user)
        if role == "learner" and not Person.objects.filter(user=user).exists():
            learner = (
                Person.objects.filter(
                    user__isnull=True,
                    enrolments__status=Enrolment.Status.COMPLETED,
                    enrolments__workshop__trainers__given_names="Daniela",
                )
                .order_by("pk")
                .first()
            )
            if learner:
                Person.objects.filter(pk=learner.pk).update(user=user, email=email)
                # The account carries the name of the person it is (and of their certificates).
                User.objects.filter(pk=user.pk).update(
                    first_name=learner.given_names, last_name=learner.family_names
                )
        label = next((str(a) for a in user.role_assignments.all()), role)
        rows.append((email, label, password))
    return rows


def run(
    *, password: str = DEFAULT_PASSWORD, say: Callable[[str], None] = print
) -> list[tuple[str, str, str]]:

    ensure_reference_data()
    orgs = organisations()
    programmes(orgs, say)
    if evaluation.seed():
        say("  impact study (seed 002): created")
    if evaluation.seed_followup():
        say("  follow-up study (six months later, with attrition): created")
    with transaction.atomic():
        enrolment_recompute(
            enrolments=Enrolment.objects.filter(workshop__programme__code__in=_codes())
        )
        reach_rebuild()

        reach_year_rebuild()
    rows = accounts(password)
    with transaction.atomic():
        showcase.run(say)
    with transaction.atomic():
        learning.seed(say)
    # Question banks and final quizzes of the online diplomas (after seed/learning.py).
    quizzes.seed(say)
    # Final assignments with rubrics, and the cohort's work (after seed/learning.py).
    assignments.seed(say)
    # Announcements, messages and lesson comments around the demo learner's cohort.
    messaging.seed(say)
    with transaction.atomic():
        reports.run(say)
    # The referral directory and pathways (issue #11).
    with transaction.atomic():
        referral_directory.seed(say)
    return rows


def _codes() -> list[str]:
    return list(Programme.objects.values_list("code", flat=True))
