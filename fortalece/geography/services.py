"""Writes to the geography tables (the loaders fill them; administrators add what they lack)."""

from __future__ import annotations

from fortalece.geography.models import Municipality, Subdivision


def municipality_create(*, subdivision: Subdivision, code: str, name: str) -> Municipality:
    """A municipality of ``subdivision``; code and name are cut to the columns' lengths."""
    return Municipality.objects.create(subdivision=subdivision, code=code[:12], name=name[:160])
