"""Writes to the directory and the pathways (the views validate, these save)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from fortalece.referrals.models import Pathway, Service


@transaction.atomic
def service_save(*, form: Any, hours: Any) -> Service:
    """The entry and its opening hours (a formset), together or not at all."""
    service: Service = form.save()
    hours.instance = service
    hours.save()
    return service


@transaction.atomic
def service_delete(*, service: Service) -> None:
    service.delete()


def service_mark_verified(*, service: Service, on: dt.date) -> None:
    Service.objects.filter(pk=service.pk).update(verified_on=on)


@transaction.atomic
def pathway_create(*, form: Any) -> Pathway:
    """A valid ``PathwayForm``'s place and kind; the steps come later (``pathway_save``)."""
    pathway: Pathway = form.save()
    return pathway


@transaction.atomic
def pathway_save(*, form: Any, steps: Any) -> Pathway:
    pathway: Pathway = form.save()
    steps.instance = pathway
    steps.save()
    return pathway


@transaction.atomic
def pathway_delete(*, pathway: Pathway) -> None:
    pathway.delete()
