"""Import jobs: upload → mapping → check every row → save every row in one transaction."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fortalece.geography.models import Subdivision
from fortalece.imports import staging
from fortalece.imports.core.guard import Limits, check_xlsx
from fortalece.imports.core.reader import FileProblem, Table, column_letter, read_table
from fortalece.imports.core.schema import suggest_mapping
from fortalece.imports.core.validate import CleanRow, RowError, clean_rows
from fortalece.imports.core.vocab import fold
from fortalece.imports.models import ImportJob
from fortalece.people.models import Institution, Person
from fortalece.people.names import normalise
from fortalece.people.policies import institution_policy, person_policy
from fortalece.people.services import person_find_duplicates, person_normalise
from fortalece.training.models import Enrolment
from fortalece.training.services import attendance_bulk_record, enrolments_bulk_create

logger = logging.getLogger(__name__)

MAX_ERRORS = 500
PROGRESS_EVERY = 500
MAX_LIKELY = 50
# Fuzzy duplicate search costs one query per row: done for files of up to this many rows.
LIKELY_CHECK_ROWS = 2000


def _open(job: ImportJob) -> Table:
    job.file.open("rb")
    return read_table(job.original_name, job.file)


def import_upload(
    *,
    user: Any,
    kind: str,
    upload: UploadedFile,
    workshop: Any = None,
    session: Any = None,
    programme: Any = None,
    create_missing_institutions: bool = False,
    create_missing_people: bool = False,
) -> ImportJob:
    """Store the file, read its header and count its rows; suggest a column mapping."""
    name = upload.name or "upload"
    max_rows = settings.FORTALECE_IMPORT_MAX_ROWS
    try:
        if name.lower().endswith(".xlsx"):
            # Sizes, compression ratios and the declared row count, before reading anything.
            check_xlsx(upload, Limits(max_rows=max_rows))  # type: ignore[arg-type]
        table = read_table(name, upload)
        total = 0
        for row in table.rows:
            if any(cell for cell in row):
                total += 1
                if total > max_rows:
                    raise FileProblem(
                        gettext_noop(
                            "This file has more than %(max)s rows; at most %(max)s can be "
                            "imported at once. Split it into smaller files."
                        ),
                        {"max": f"{max_rows:,}"},
                    )
    except FileProblem:
        raise
    except Exception as error:  # a damaged file must give a message, not a crash
        raise FileProblem("The file could not be read.") from error
    if total == 0:
        raise FileProblem("The file has a header but no rows.")
    upload.seek(0)
    job = ImportJob.objects.create(
        kind=kind,
        created_by=user,
        workshop=workshop,
        session=session,
        programme=programme or (workshop.programme if workshop else None),
        file=upload,
        original_name=name[:255],
        headers=table.headers,
        mapping=suggest_mapping(table.headers, kind),
        total_rows=total,
        create_missing_institutions=create_missing_institutions,
        create_missing_people=create_missing_people,
    )
    return job


def _rows(job: ImportJob) -> Iterator[CleanRow | RowError]:
    table = _open(job)
    mapping = {k: int(v) for k, v in job.mapping.items()}
    return clean_rows(table.rows, table.headers, mapping, job.kind)


class Resolver:
    """Finds institutions, states and people named in the file, with few queries."""

    def __init__(self, job: ImportJob, user: Any) -> None:

        self.job = job
        self.user = user
        institutions = institution_policy.instances_user_has_permission_for(user, "view")
        self.institutions: dict[tuple[str, str], Any] = {}
        self.institutions_by_name: dict[str, list[Any]] = {}
        for institution in institutions.select_related("subdivision").iterator():
            place = fold(institution.subdivision.name) if institution.subdivision else ""
            self.institutions[(fold(institution.name), place)] = institution
            self.institutions_by_name.setdefault(fold(institution.name), []).append(institution)
        self.states: dict[str, Any] = {}
        for state in Subdivision.objects.filter(country__code="MX").only(
            "pk", "name", "code", "country_id"
        ):
            self.states[fold(state.name)] = state
            self.states[fold(state.code)] = state
            self.states[fold(state.code.split("-")[-1])] = state

    def institution(self, name: str, state: str) -> Any:
        key = fold(name)
        found = self.institutions.get((key, fold(state))) if state else None
        if found is None:
            candidates = self.institutions_by_name.get(key, [])
            if len(candidates) == 1:
                found = candidates[0]
        return found

    def state(self, text: str) -> Any:
        return self.states.get(fold(text)) if text else None


def _person_lookup(values: dict[str, Any], workshop: Any) -> Q:

    if values.get("email"):
        return Q(email__iexact=values["email"])
    condition = Q(search_name=normalise(f"{values['given_names']} {values['family_names']}"))
    if values.get("institution"):
        condition &= Q(institution__name__iexact=values["institution"])
    return condition


CHUNK = 5000


def _chunked(items: Iterator[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _registered(values_list: list[dict[str, Any]]) -> list[bool]:
    """For each people row, is the person already in the registry (same email, or same name
    at an institution of the same name)? Two queries per chunk, whatever its size: the same
    rule as ``_person_lookup``, set-based."""
    from django.db.models.functions import Lower

    emails = {v["email"].lower() for v in values_list if v.get("email")}
    names = {
        normalise(f"{v['given_names']} {v['family_names']}")
        for v in values_list
        if not v.get("email")
    }
    known_emails: set[str] = set()
    if emails:
        known_emails = {
            e.lower()
            for e in Person.objects.annotate(e=Lower("email"))
            .filter(e__in=emails)
            .values_list("e", flat=True)
        }
    known_names: set[tuple[str, str]] = set()
    if names:
        known_names = {
            (name, (institution or "").lower())
            for name, institution in Person.objects.filter(search_name__in=names).values_list(
                "search_name", "institution__name"
            )
        }
    found = []
    for v in values_list:
        if v.get("email"):
            found.append(v["email"].lower() in known_emails)
        else:
            name = normalise(f"{v['given_names']} {v['family_names']}")
            institution = (v.get("institution") or "").lower()
            found.append(
                (name, institution) in known_names
                if institution
                else any(n == name for n, _ in known_names)
            )
    return found


def _likely_duplicates(
    row: int, values: dict[str, Any], people: Any, institution: Any
) -> list[dict[str, Any]]:

    candidates = person_find_duplicates(
        given_names=values["given_names"],
        family_names=values["family_names"],
        email=values["email"],
        phone=values.get("phone", ""),
        institution_id=institution.pk if institution else None,
        limit=1,
        queryset=people,
    )
    return [
        {
            "row": row,
            "name": f"{values['given_names']} {values['family_names']}",
            "person_id": c.person.pk,
            "person_name": c.person.full_name,
            "score": c.score,
        }
        for c in candidates
    ]


# Normalising each part once and joining gives what normalising the joined text gives (the
# space between is collapsed like any other run of punctuation), and the parts repeat: the
# same given names, family names and institutions come back row after row.
_part = lru_cache(maxsize=65536)(normalise)


def _joined(*parts: str) -> str:
    return " ".join(n for n in map(_part, parts) if n)


def _new_person_key(values: dict[str, Any]) -> str:

    return values["email"] or _joined(
        values["given_names"], values["family_names"], values["institution"]
    )


def _new_person_problems(
    values: dict[str, Any], resolver: Resolver, seen: set[str]
) -> list[tuple[str, str, dict[str, str]]]:
    """Why a row of an enrolment list cannot become a new person (empty when it can)."""

    problems: list[tuple[str, str, dict[str, str]]] = []
    for key, label in (
        ("given_names", gettext_noop("The given name")),
        ("family_names", gettext_noop("The family name")),
        ("sex", gettext_noop("Sex")),
        ("profession", gettext_noop("Profession")),
        ("institution", gettext_noop("The institution")),
    ):
        if not values.get(key):
            problems.append(
                (
                    key,
                    gettext_noop(
                        "Nobody in the registry matches this row, and %(field)s is needed to "
                        "add the person: fill it in."
                    ),
                    {"field": label},
                )
            )
    if problems:
        return problems
    if resolver.institution(values["institution"], values["state"]) is None:
        return [
            (
                "institution",
                gettext_noop("Unknown institution '%(value)s': create it first."),
                {"value": values["institution"]},
            )
        ]
    key = _new_person_key(values)
    if key in seen:
        return [("given_names", gettext_noop("This person appears twice in the file."), {})]
    seen.add(key)
    if Person.objects.filter(_person_lookup(values, None)).exists():
        return [
            (
                "email" if values["email"] else "family_names",
                gettext_noop(
                    "This person is already in the registry, outside the people you can "
                    "see: ask the manager of their place to enrol them."
                ),
                {},
            )
        ]
    return []


def _set_based() -> bool:
    """People imports check and save set-based (a staging table) on PostgreSQL; elsewhere
    (SQLite: laptops, the demo) row by row in Python. Both give the same errors."""
    return connection.vendor == "postgresql"


def _progress(job: ImportJob, rows: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=min(rows, job.total_rows))


def _error(
    job: ImportJob, errors: list[dict[str, Any]], row: int, key: str, message: str, **params: str
) -> None:
    index = int(job.mapping.get(key, 0))
    column = f"{column_letter(index)} ({job.headers[index]})" if job.headers else ""
    errors.append({"row": row, "column": column, "message": message, "params": params})


DUPLICATE_IN_FILE = gettext_noop("This person appears twice in the file.")


def _duplicate(job: ImportJob, errors: list[dict[str, Any]], row: int, has_email: bool) -> None:
    _error(job, errors, row, "email" if has_email else "given_names", DUPLICATE_IN_FILE)


@dataclass
class _PersonRow:
    row: int
    values: dict[str, Any]
    institution: Any  # None: to be created (its state is known)
    state: Any
    key: str  # the same person twice in the file has the same key


def _people_rows(
    job: ImportJob,
    resolver: Resolver,
    errors: list[dict[str, Any]],
    counts: dict[str, int],
    progress: bool = True,
) -> Iterator[_PersonRow]:
    """The checks of one people row at a time (values, state, institution); the rows that
    pass go on to the checks across rows. Stops once MAX_ERRORS errors are found."""
    for count, item in enumerate(_rows(job), start=1):
        if len(errors) >= MAX_ERRORS:
            return
        if progress and count % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=min(count, job.total_rows))
        if isinstance(item, RowError):
            errors.append(item.as_dict())
            continue
        values = item.values
        state = resolver.state(values["state"])
        if values["state"] and state is None:
            _error(
                job,
                errors,
                item.row,
                "state",
                gettext_noop("'%(value)s' is not a state of Mexico."),
                value=values["state"],
            )
        institution = resolver.institution(values["institution"], values["state"])
        if institution is None:
            if not (job.create_missing_institutions and state is not None):
                _error(
                    job,
                    errors,
                    item.row,
                    "institution",
                    gettext_noop(
                        "Unknown institution '%(value)s': create it first, or tick “create "
                        "missing institutions” and give its state."
                    ),
                    value=values["institution"],
                )
                continue
            counts["new_institutions"] += 1
        yield _PersonRow(item.row, values, institution, state, _new_person_key(values))


def _staged(person: _PersonRow) -> tuple[Any, ...]:
    """A row of the staging table (``staging.COLUMNS``), normalised as ``person_normalise``
    does."""
    values = person.values
    given = " ".join(values["given_names"].split())
    family = " ".join(values["family_names"].split())
    family_normalised = _part(family)
    return (
        person.row,
        person.key,
        given,
        family,
        values["sex"],
        values["profession"],
        values["rank"],
        values["email"].strip().lower(),
        values["phone"],
        _joined(given, family),
        family_normalised.split(" ", 1)[0],
        person.institution.pk if person.institution is not None else None,
        values["institution"],
        (values["institution"] or "").lower(),
        fold(values["institution"]),
        person.state.pk if person.state is not None else None,
    )


def _check_people(
    job: ImportJob, user: Any, errors: list[dict[str, Any]], visible_people: Any
) -> dict[str, Any]:
    resolver = Resolver(job, user)
    counts = {"new": 0, "existing": 0, "new_institutions": 0}
    likely: list[dict[str, Any]] = []
    hints = job.total_rows <= LIKELY_CHECK_ROWS
    if _set_based():
        with staging.staging_table():
            staging.stage(
                (_staged(p) for p in _people_rows(job, resolver, errors, counts, progress=False)),
                lambda row: _progress(job, row - 1),
            )
            for row, has_email in staging.repeated_rows():
                _duplicate(job, errors, row, has_email)
            errors.sort(key=lambda e: e["row"])  # stable: a row's own errors stay in order
            staging.mark_registered()
            counts["new"], counts["existing"] = staging.counts()
            if hints:
                new_rows = staging.new_rows(LIKELY_CHECK_ROWS)
                institutions = Institution.objects.in_bulk(
                    {r["institution_id"] for r in new_rows if r["institution_id"]}
                )
                for values in new_rows:
                    if len(likely) >= MAX_LIKELY:
                        break
                    institution = institutions.get(values["institution_id"])
                    likely.extend(
                        _likely_duplicates(values["row"], values, visible_people, institution)
                    )
        return {**counts, "likely": likely}

    # Rows that passed the row checks wait here, a chunk at a time, for one set-based lookup
    # of who is registered already.
    pending: list[tuple[dict[str, Any], Any, int]] = []
    seen: set[str] = set()

    def settle() -> None:
        found = _registered([values for values, _, _ in pending])
        for (values, institution, row), match in zip(pending, found, strict=True):
            match = match and institution is not None
            counts["existing" if match else "new"] += 1
            if not match and len(likely) < MAX_LIKELY and hints:
                likely.extend(_likely_duplicates(row, values, visible_people, institution))
        pending.clear()

    for person in _people_rows(job, resolver, errors, counts):
        if len(pending) >= CHUNK:
            settle()
        if person.key in seen:
            _duplicate(job, errors, person.row, bool(person.values["email"]))
            continue
        seen.add(person.key)
        pending.append((person.values, person.institution, person.row))
    settle()
    return {**counts, "likely": likely}


def import_check(*, job: ImportJob, user: Any) -> ImportJob:
    """Validate every row; store the errors or a summary. Writes nothing else."""

    job.status = ImportJob.Status.VALIDATING
    job.processed_rows = 0
    job.save(update_fields=["status", "processed_rows", "updated_at"])
    visible_people = person_policy.instances_user_has_permission_for(user, "view")
    errors: list[dict[str, Any]] = []
    if job.kind == "people":
        people = _check_people(job, user, errors, visible_people)
        new, existing = people["new"], people["existing"]
        missing_institutions, likely, new_people = people["new_institutions"], people["likely"], 0
    else:
        new, existing, missing_institutions, new_people, likely = _check_listed(
            job, user, errors, visible_people
        )
    job.errors = errors[:MAX_ERRORS]
    job.summary = {
        "new": new,
        "existing": existing,
        "new_institutions": missing_institutions,
        "new_people": new_people,
        "likely_duplicates": likely[:MAX_LIKELY],
    }
    job.processed_rows = job.total_rows
    job.status = ImportJob.Status.INVALID if errors else ImportJob.Status.READY
    job.save(update_fields=["errors", "summary", "processed_rows", "status", "updated_at"])
    return job


def _check_listed(
    job: ImportJob, user: Any, errors: list[dict[str, Any]], visible_people: Any
) -> tuple[int, int, int, int, list[dict[str, Any]]]:
    """Enrolment and attendance lists: each row names someone in the registry."""
    adding_people = (
        job.kind == "enrolments"
        and job.create_missing_people
        and person_policy.user_has_permission(user, "import")
    )
    resolver = Resolver(job, user) if adding_people else None
    new_people = 0
    new = existing = 0
    likely: list[dict[str, Any]] = []
    seen: set[str] = set()

    def error(row: int, column_key: str, message: str, **params: str) -> None:
        _error(job, errors, row, column_key, message, **params)

    for count, item in enumerate(_rows(job), start=1):
        if count % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=min(count, job.total_rows))
        if isinstance(item, RowError):
            errors.append(item.as_dict())
        else:
            values = item.values
            person_ids = list(
                visible_people.filter(_person_lookup(values, job.workshop)).values_list(
                    "pk", flat=True
                )[:2]
            )
            if not person_ids and adding_people:
                assert resolver is not None  # noqa: S101
                problems = _new_person_problems(values, resolver, seen)
                for column_key, message, params in problems:
                    error(item.row, column_key, message, **params)
                if problems:
                    continue
                institution = resolver.institution(values["institution"], values["state"])
                if len(likely) < MAX_LIKELY and job.total_rows <= LIKELY_CHECK_ROWS:
                    likely.extend(_likely_duplicates(item.row, values, visible_people, institution))
                new_people += 1
                new += 1
                continue
            if len(person_ids) != 1:
                message = (
                    gettext_noop(
                        "Nobody in the registry matches this row: import the people first."
                    )
                    if not person_ids
                    else gettext_noop(
                        "Several people match this row: add their email to tell them apart."
                    )
                )
                error(item.row, "email" if values.get("email") else "family_names", message)
                continue
            workshop: Any = job.workshop
            if job.kind == "attendance":
                if not workshop.enrolments.filter(person_id=person_ids[0]).exists():
                    error(
                        item.row,
                        "email" if values.get("email") else "family_names",
                        gettext_noop("This person is not enrolled in the workshop."),
                    )
                    continue
            elif workshop.enrolments.filter(person_id=person_ids[0]).exists():
                existing += 1
                continue
            new += 1
        if len(errors) >= MAX_ERRORS:
            break
    return new, existing, 0, new_people, likely


def job_set_mapping(
    *, job: ImportJob, mapping: dict[str, Any], session: Any, queued: bool
) -> ImportJob:
    """The mapping (and session) to check the file with; old errors go. ``queued``: the worker
    checks it later (``QUEUED``), else the caller checks it now (``VALIDATING``)."""
    job.mapping = mapping
    job.session = session
    job.errors = []
    job.status = ImportJob.Status.QUEUED if queued else ImportJob.Status.VALIDATING
    job.save(update_fields=["mapping", "session", "errors", "status", "updated_at"])
    return job


def job_claim(*, job: ImportJob) -> bool:
    """Move a READY job to QUEUED in one UPDATE; ``True`` only for the caller that moved it, so
    two clicks on "save" cannot enqueue the file twice."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
            status=ImportJob.Status.QUEUED
        )
    )


def job_fail(*, job: ImportJob) -> None:
    """Mark the job failed (an UPDATE, outside the failed save's rolled-back transaction)."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED)


class ImportFailed(Exception):
    """The save failed on something other than the file: nothing is saved, the job is failed."""


def import_save_or_fail(*, job: ImportJob, user: Any) -> ImportJob:
    """``import_save`` for a request: a ``FileProblem`` goes to the caller as it is; any other
    error (the database, a bug) is logged, marks the job failed and becomes ``ImportFailed``.

    The catch is broad on purpose: ``import_save``'s transaction has already taken every row
    back, and whatever went wrong the job must not stay READY as if it could be saved again.
    """
    try:
        return import_save(job=job, user=user)
    except FileProblem:
        raise
    except Exception as error:
        logger.exception("Import %s failed while saving", job.pk)
        job_fail(job=job)
        raise ImportFailed from error


@transaction.atomic
def import_save(*, job: ImportJob, user: Any) -> ImportJob:
    """Write every row in one transaction: all of them, or — on any failure — none."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status not in (ImportJob.Status.READY, ImportJob.Status.QUEUED):
        raise FileProblem(_("This import was already saved or is not checked yet."))
    locked.status = ImportJob.Status.SAVING
    locked.save(update_fields=["status", "updated_at"])
    if locked.kind == "people":
        created = _save_people(locked, user)
    elif locked.kind == "enrolments":
        created = _save_enrolments(locked, user)
    else:
        created = _save_attendance(locked, user)
    locked.status = ImportJob.Status.DONE
    locked.summary = {**locked.summary, "saved": created}
    locked.save(update_fields=["status", "summary", "updated_at"])
    return locked


def _save_people(job: ImportJob, user: Any) -> int:
    if _set_based():
        return _save_people_staged(job, user)
    resolver = Resolver(job, user)
    created = 0
    for count, chunk in enumerate(_chunked(_rows(job)), start=1):
        rows: list[tuple[dict[str, Any], Any]] = []
        for item in chunk:
            if isinstance(item, RowError):
                raise FileProblem(_("The file changed since it was checked."))
            values = item.values
            institution = resolver.institution(values["institution"], values["state"])
            if institution is None:
                state = resolver.state(values["state"])
                institution = Institution.objects.create(
                    name=values["institution"],
                    kind=Institution.Kind.OTHER,
                    country_id=state.country_id,
                    subdivision=state,
                )
                resolver.institutions[(fold(institution.name), fold(state.name))] = institution
                resolver.institutions_by_name.setdefault(fold(institution.name), []).append(
                    institution
                )
            rows.append((values, institution))
        found = _registered([values for values, _ in rows])
        batch = [
            person_normalise(
                Person(
                    given_names=values["given_names"],
                    family_names=values["family_names"],
                    sex=values["sex"],
                    profession=values["profession"],
                    rank=values["rank"],
                    institution=institution,
                    email=values["email"],
                    phone=values["phone"],
                )
            )
            for (values, institution), known in zip(rows, found, strict=True)
            if not known
        ]
        _insert_people(batch)
        created += len(batch)
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=min(count * CHUNK, job.total_rows)
        )
    return created


def _staged_for_save(job: ImportJob, resolver: Resolver) -> Iterator[tuple[Any, ...]]:
    changed = FileProblem(_("The file changed since it was checked."))
    for item in _rows(job):
        if isinstance(item, RowError):
            raise changed
        values = item.values
        institution = resolver.institution(values["institution"], values["state"])
        state = resolver.state(values["state"])
        if institution is None and state is None:
            raise changed
        yield _staged(_PersonRow(item.row, values, institution, state, _new_person_key(values)))


def _save_people_staged(job: ImportJob, user: Any) -> int:
    """The rows are staged with COPY, then written with one INSERT … SELECT, all inside the
    import's transaction: a failure anywhere leaves the registry as it was."""
    resolver = Resolver(job, user)
    with staging.staging_table():
        staging.stage(_staged_for_save(job, resolver), lambda row: _progress(job, row - 1))
        if staging.repeated_rows():
            raise FileProblem(_("The file changed since it was checked."))
        if staging.create_missing_institutions():
            raise FileProblem(_("The registry changed since the file was checked: check it again."))
        staging.mark_registered()
        return staging.insert_people()


def _insert_people(people: list[Any]) -> None:
    """Insert a chunk of new people: PostgreSQL's COPY (inside the import's transaction, so
    still all or nothing), a multi-row INSERT elsewhere."""
    from django.db import connection
    from django.utils import timezone

    if not people:
        return
    if connection.vendor != "postgresql":
        Person.objects.bulk_create(people, batch_size=1000)
        return
    now = timezone.now()
    defaults = staging.person_defaults()
    names = [*staging.PERSON_COLUMNS, "created_at", "updated_at", *defaults]
    table = connection.ops.quote_name(Person._meta.db_table)
    sql = f"COPY {table} ({', '.join(connection.ops.quote_name(c) for c in names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for p in people:
            copy.write_row(
                [
                    *(getattr(p, column) for column in staging.PERSON_COLUMNS),
                    now,
                    now,
                    *defaults.values(),
                ]
            )


def _resolve_person(job: ImportJob, user: Any, values: dict[str, Any]) -> int:

    ids = list(
        person_policy.instances_user_has_permission_for(user, "view")
        .filter(_person_lookup(values, job.workshop))
        .values_list("pk", flat=True)[:2]
    )
    if len(ids) != 1:
        raise FileProblem(_("The registry changed since the file was checked: check it again."))
    return ids[0]


def _save_enrolments(job: ImportJob, user: Any) -> int:

    workshop: Any = job.workshop
    visible = person_policy.instances_user_has_permission_for(user, "view")
    resolver = (
        Resolver(job, user)
        if job.create_missing_people and person_policy.user_has_permission(user, "import")
        else None
    )
    by_status: dict[str, list[int]] = {}
    for item in _rows(job):
        if isinstance(item, RowError):
            raise FileProblem(_("The file changed since it was checked."))
        values = item.values
        if resolver is not None and not visible.filter(_person_lookup(values, None)).exists():
            # Checked before: a new person (the checks run again, in this transaction).
            if _new_person_problems(values, resolver, set()):
                raise FileProblem(
                    _("The registry changed since the file was checked: check it again.")
                )
            person = person_normalise(
                Person(
                    given_names=values["given_names"],
                    family_names=values["family_names"],
                    sex=values["sex"],
                    profession=values["profession"],
                    rank=values["rank"],
                    institution=resolver.institution(values["institution"], values["state"]),
                    email=values["email"],
                    phone=values["phone"],
                )
            )
            person.save()
            by_status.setdefault(values["status"], []).append(person.pk)
            continue
        by_status.setdefault(values["status"], []).append(_resolve_person(job, user, values))
    created = 0
    for status, person_ids in by_status.items():
        created += enrolments_bulk_create(
            workshop=workshop, person_ids=person_ids, status=status, by=user
        )
    return created


def _save_attendance(job: ImportJob, user: Any) -> int:

    present: list[int] = []
    absent: list[int] = []
    enrolments = dict(
        Enrolment.objects.filter(workshop=job.workshop).values_list("person_id", "pk")
    )
    for item in _rows(job):
        if isinstance(item, RowError):
            raise FileProblem(_("The file changed since it was checked."))
        enrolment_id = enrolments[_resolve_person(job, user, item.values)]
        (present if item.values["present"] else absent).append(enrolment_id)
    return attendance_bulk_record(
        session=job.session,  # type: ignore[arg-type]
        present_enrolment_ids=present,
        absent_enrolment_ids=absent,
        by=user,
    )
