"""Writes of headcounts: a return typed in a form, or a file imported all-or-nothing."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from fortalece.core.choices import Profession, Sex
from fortalece.imports.core import vocab
from fortalece.imports.core.guard import Limits, check_xlsx
from fortalece.imports.core.reader import FileProblem, read_table
from fortalece.imports.core.vocab import fold
from fortalece.reporting import headcounts
from fortalece.reporting.models import Headcount

MAX_ROWS = 5000


@transaction.atomic
def headcount_record(
    *,
    institution: Any,
    as_of: datetime.date,
    counts: Mapping[tuple[str, str], int],
    by: Any,
) -> int:
    """Replace the institution's headcount on ``as_of`` with ``counts`` ((profession, sex) →
    people); zeros are kept so that "none" differs from "not recorded"."""
    Headcount.objects.filter(institution=institution, as_of=as_of).delete()
    rows = [
        Headcount(
            institution=institution,
            as_of=as_of,
            profession=profession,
            sex=sex,
            count=count,
            recorded_by=by,
        )
        for (profession, sex), count in counts.items()
    ]
    Headcount.objects.bulk_create(rows)
    return len(rows)


def _vocabularies() -> tuple[dict[str, str], dict[str, str]]:
    professions = {code: code for code in Profession.values}
    professions.update({fold(str(label)): code for code, label in Profession.choices})
    professions.update(vocab.PROFESSION)
    professions.pop("desercion", None)
    sexes = {code: code for code in Sex.values}
    sexes.update({fold(str(label)): code for code, label in Sex.choices})
    sexes.update(vocab.SEX)
    return professions, sexes


def institution_lookup(institutions: Any) -> dict[str, int | None]:
    """Folded name (and number) → id among ``institutions``; a shared name → ``None``."""
    lookup: dict[str, int | None] = {}
    for pk, name in institutions.values_list("pk", "name"):
        lookup[str(pk)] = pk
        key = fold(name)
        lookup[key] = None if key in lookup and lookup[key] != pk else pk
    return lookup


def headcount_import(
    *, name: str, upload: Any, institutions: Any, by: Any
) -> tuple[int, list[headcounts.Problem]]:
    """Read a CSV/XLSX headcount file and save every line, or nothing when any line has a
    problem. Returns (lines saved, problems)."""
    try:
        if name.lower().endswith(".xlsx"):
            check_xlsx(upload, Limits(max_rows=MAX_ROWS))
        table = read_table(name, upload)
        professions, sexes = _vocabularies()
        lines, problems = headcounts.parse(
            table.headers,
            table.rows,
            institutions=institution_lookup(institutions),
            professions=professions,
            sexes=sexes,
            max_rows=MAX_ROWS,
        )
    except FileProblem as problem:
        return 0, [headcounts.Problem(None, "", problem.message, tuple(problem.params.items()))]
    if problems:
        return 0, problems
    if not lines:
        return 0, [headcounts.Problem(None, "", headcounts.gettext_noop("The file has no rows."))]
    return _save(lines, by), []


@transaction.atomic
def _save(lines: list[headcounts.Line], by: Any) -> int:
    returns = {(line.institution_id, line.as_of) for line in lines}
    for institution_id, as_of in returns:
        Headcount.objects.filter(institution_id=institution_id, as_of=as_of).delete()
    Headcount.objects.bulk_create(
        Headcount(
            institution_id=line.institution_id,
            as_of=line.as_of,
            profession=line.profession,
            sex=line.sex,
            count=line.count,
            recorded_by=by,
        )
        for line in lines
    )
    return len(lines)
