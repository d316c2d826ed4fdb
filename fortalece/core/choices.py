"""Vocabularies shared across apps (reported by sex and profession everywhere)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    NOT_STATED = "not_stated", _("Not stated")


class Profession(models.TextChoices):
    POLICE = "police", _("Police officer")
    EMERGENCY_OPERATOR = "emergency_operator", _("911 / emergency call operator")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    JUDGE = "judge", _("Judge")
    FORENSIC = "forensic", _("Forensic doctor / expert")
    LEGAL_AID = "legal_aid", _("Legal aid")
    VICTIM_SERVICES = "victim_services", _("Victim service provider")
    TOURISM = "tourism", _("Hotel / tourism staff")
    CIVIL_SOCIETY = "civil_society", _("Civil-society liaison")
    PUBLIC_OFFICIAL = "public_official", _("Public official")
    OTHER = "other", _("Other")
