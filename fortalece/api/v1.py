"""Version 1 of the REST API (django-ninja; OpenAPI 3 at /api/v1/openapi.json, docs at
/api/v1/docs). Every endpoint asks the same permission policies as the web pages, for the
token's user, and then narrows to the token's programmes; writes need a token that may write.
"""

import base64
import binascii
import datetime
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Router, Status
from ninja.errors import HttpError
from ninja.pagination import CursorPagination, paginate
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from fortalece.api import schemas
from fortalece.api.models import ApiToken, KoboFeed
from fortalece.api.schemas import Id
from fortalece.api.services import (
    SubmissionError,
    kobo_secret_matches,
    kobo_submission_receive,
    token_authenticate,
)
from fortalece.credentials.policies import certificate_policy
from fortalece.people.models import Person
from fortalece.people.policies import institution_policy, person_policy
from fortalece.people.services import person_create
from fortalece.programmes.policies import programme_policy
from fortalece.reporting.selectors import DashboardFilters, dashboard, sees_exact_figures
from fortalece.training.models import Attendance, Enrolment, Session
from fortalece.training.policies import course_policy, workshop_policy
from fortalece.training.services.attendance import attendance_record
from fortalece.training.services.enrolments import enrolment_create


class TokenAuth(HttpBearer):
    openapi_description = "A personal access token (Account → API tokens): `Bearer ftk_…`."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token)
        if found is not None:
            request.user = found.user
        return found


_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_INVALID = {
    "type": "object",
    "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
    "required": ["detail"],
}
# Answers every operation can give besides its own (ninja does not list them by itself).
COMMON_RESPONSES = {
    "400": ("A value is out of range, or the change breaks a rule (which one is said).", _DETAIL),
    "401": ("Missing, unknown, revoked or expired token.", _DETAIL),
    "403": ("The token's user (or the token) may not do this.", _DETAIL),
    "404": ("Not found, or outside what the token may see.", _DETAIL),
    "422": ("A parameter or the body is not valid (which one is said).", _INVALID),
    "429": ("Too many requests for this token; try again later.", _DETAIL),
}


class FortaleceAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, (text, body) in COMMON_RESPONSES.items():
                    responses.setdefault(
                        code,
                        {"description": text, "content": {"application/json": {"schema": body}}},
                    )
        return schema


api = FortaleceAPI(
    title="Fortalece API",
    version="1",
    description=(
        "Programmes, institutions, people, courses, workshops, sessions, enrolments, "
        "attendance, certificates and reach indicators. Each token acts for its user with "
        "the user's own rights (the same permission policies as the web pages), read-only "
        "unless created with write access, optionally limited to some programmes. Lists use "
        "cursor pagination (`next`/`previous` links). Rate limit: "
        "FORTALECE_API_RATE per token."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[AuthRateThrottle(settings.FORTALECE_API_RATE)],
    docs_url="/docs",
)

Page = {"ordering": ("pk",), "page_size": 50, "max_page_size": 500}


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Forbidden."}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "; ".join(exc.messages)}, status=400)


def _token(request: HttpRequest) -> ApiToken:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _programme_ids(request: HttpRequest) -> list[int] | None:
    ids = [p.pk for p in _token(request).programmes.all()]
    return ids or None


def _visible(
    request: HttpRequest, policy: Any, programme_path: str | None, action: str = "view"
) -> QuerySet[Any]:
    qs = policy.instances_user_has_permission_for(_token(request).user, action)
    ids = _programme_ids(request)
    if ids is not None and programme_path is not None:
        qs = qs.filter(**{f"{programme_path}__in": ids})
    return qs


def _people(request: HttpRequest) -> QuerySet[Person]:
    qs = _visible(request, person_policy, None)
    ids = _programme_ids(request)
    if ids is not None:
        qs = qs.filter(
            pk__in=Enrolment.objects.filter(workshop__programme_id__in=ids).values("person_id")
        )
    return qs


def _enrolments(request: HttpRequest) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        workshop__in=_visible(request, workshop_policy, "programme").values("pk"),
        person__in=_people(request).values("pk"),
    )


def _since(value: datetime.datetime | None) -> datetime.datetime | None:
    """A timestamp filter in UTC (any offset is accepted; a naive one is taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError as error:
        raise HttpError(400, "updated_since is out of range.") from error


def _require_write(request: HttpRequest) -> None:
    if not _token(request).can_write:
        raise PermissionDenied


# --- programmes ---------------------------------------------------------------------------

programmes = Router(tags=["programmes"])


@programmes.get("/", response=list[schemas.ProgrammeOut])
@paginate(CursorPagination, **Page)
def programme_list(request: HttpRequest) -> Any:
    return _visible(request, programme_policy, "pk").prefetch_related("countries")


@programmes.get("/{programme_id}", response={200: schemas.ProgrammeOut, 404: schemas.Error})
def programme_detail(request: HttpRequest, programme_id: Id) -> Any:
    qs = _visible(request, programme_policy, "pk").prefetch_related("countries")
    return get_object_or_404(qs, pk=programme_id)


@programmes.get("/{programme_id}/reach", response={200: schemas.ReachOut, 404: schemas.Error})
def programme_reach(
    request: HttpRequest,
    programme_id: Id,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> Any:
    """People reached and completed, by sex, profession, state and month — the dashboard's
    figures, with small cells suppressed for those who see published figures only."""
    user = _token(request).user
    qs = _visible(request, programme_policy, "pk", action="view_dashboard")
    programme = get_object_or_404(qs, pk=programme_id)
    exact = sees_exact_figures(user, programme)
    figures = dashboard(
        programme, DashboardFilters(date_from=date_from, date_to=date_to), suppress_small=not exact
    )

    def cells(pairs: list[tuple[str, Any]]) -> list[dict[str, Any]]:
        return [
            {"label": str(label), "count": v if isinstance(v, int) else None}
            | ({} if isinstance(v, int) else {"hidden": str(v)})
            for label, v in pairs
        ]

    return {
        "programme_id": programme.pk,
        "suppressed": figures["suppressed"],
        "minimum_cell_size": figures["minimum"],
        "reached": figures["reached"],
        "completed": figures["completed"],
        "workshops_held": figures["workshops_held"],
        "by_sex": cells(figures["by_sex"]),
        "by_profession": cells(figures["by_profession"]),
        "by_state": cells(figures["by_state"]),
        "by_month": [
            {"month": m, "count": v if isinstance(v, int) else None}
            | ({} if isinstance(v, int) else {"hidden": str(v)})
            for m, v in figures["by_month"]
        ],
    }


def _text(value: str, name: str) -> str:
    """A filter value with a NUL byte (PostgreSQL cannot compare it) is refused with 400."""
    if "\x00" in value or len(value) > 200:
        raise HttpError(400, f"{name}: not a valid value")
    return value


def _code(value: str) -> str:
    """A subdivision code as typed (any case); a NUL byte (which PostgreSQL cannot compare)
    or an absurd length is refused, never passed to the database."""
    if "\x00" in value or len(value) > 20:
        raise HttpError(400, "subdivision: not a subdivision code (e.g. MX-MIC)")
    return value.upper()


# --- institutions and people ------------------------------------------------------------------

people = Router(tags=["people"])


@people.get("/institutions", response=list[schemas.InstitutionOut])
@paginate(CursorPagination, **Page)
def institution_list(request: HttpRequest, subdivision: str | None = None) -> Any:
    qs = _visible(request, institution_policy, None)
    ids = _programme_ids(request)
    if ids is not None:
        qs = qs.filter(country__programmes__in=ids).distinct()
    if subdivision:
        qs = qs.filter(subdivision__code=_code(subdivision))
    return qs.select_related("country", "subdivision")


@people.get("/people", response=list[schemas.PersonOut])
@paginate(CursorPagination, **Page)
def person_list(
    request: HttpRequest,
    institution: Id | None = None,
    sex: str | None = None,
    profession: str | None = None,
    updated_since: datetime.datetime | None = None,
) -> Any:
    qs = _people(request)
    if institution is not None:
        qs = qs.filter(institution_id=institution)
    if sex:
        qs = qs.filter(sex=_text(sex, "sex"))
    if profession:
        qs = qs.filter(profession=_text(profession, "profession"))
    if updated_since:
        qs = qs.filter(updated_at__gte=_since(updated_since))
    return qs


@people.get("/people/{person_id}", response={200: schemas.PersonOut, 404: schemas.Error})
def person_detail(request: HttpRequest, person_id: Id) -> Any:
    return get_object_or_404(_people(request), pk=person_id)


@people.post(
    "/people",
    response={201: schemas.PersonOut, 400: schemas.Error, 403: schemas.Error},
)
def person_add(request: HttpRequest, payload: schemas.PersonIn) -> Any:
    """Add a person to an institution the token's user may add people to. Duplicates are not
    merged here: check with a search first, or import a file through the web page."""
    _require_write(request)
    user = _token(request).user
    if not person_policy.user_has_permission(user, "add"):
        raise PermissionDenied
    institutions = institution_policy.instances_user_has_permission_for(user, "view")
    institution = institutions.filter(pk=payload.institution_id).first()
    if institution is None:
        raise ValidationError("Unknown institution, or outside your scope.")
    fields = payload.dict()
    fields["institution"] = institution
    del fields["institution_id"]
    with transaction.atomic():
        person = person_create(by=user, **fields)
        # The same rule as the web form: the new person must be one the user may manage.
        if not person_policy.user_has_permission_for_instance(user, "add", person):
            raise PermissionDenied  # rolls the creation back
    return Status(201, person)


# --- courses, workshops, sessions ---------------------------------------------------------------

training = Router(tags=["training"])


@training.get("/courses", response=list[schemas.CourseOut])
@paginate(CursorPagination, **Page)
def course_list(request: HttpRequest, programme: Id | None = None) -> Any:
    qs = _visible(request, course_policy, "programme")
    if programme is not None:
        qs = qs.filter(programme_id=programme)
    return qs


@training.get("/workshops", response=list[schemas.WorkshopOut])
@paginate(CursorPagination, **Page)
def workshop_list(
    request: HttpRequest,
    programme: Id | None = None,
    course: Id | None = None,
    subdivision: str | None = None,
    starts_after: datetime.date | None = None,
    starts_before: datetime.date | None = None,
) -> Any:
    qs = _visible(request, workshop_policy, "programme")
    if programme is not None:
        qs = qs.filter(programme_id=programme)
    if course is not None:
        qs = qs.filter(course_id=course)
    if subdivision:
        qs = qs.filter(subdivision__code=_code(subdivision))
    if starts_after:
        qs = qs.filter(start_date__gte=starts_after)
    if starts_before:
        qs = qs.filter(start_date__lte=starts_before)
    return qs.select_related("country", "subdivision")


@training.get("/workshops/{workshop_id}", response={200: schemas.WorkshopOut, 404: schemas.Error})
def workshop_detail(request: HttpRequest, workshop_id: Id) -> Any:
    return get_object_or_404(_visible(request, workshop_policy, "programme"), pk=workshop_id)


@training.get("/sessions", response=list[schemas.SessionOut])
@paginate(CursorPagination, **Page)
def session_list(request: HttpRequest, workshop: Id | None = None) -> Any:
    qs = Session.objects.filter(
        workshop__in=_visible(request, workshop_policy, "programme").values("pk")
    )
    if workshop is not None:
        qs = qs.filter(workshop_id=workshop)
    return qs


@training.get("/enrolments", response=list[schemas.EnrolmentOut])
@paginate(CursorPagination, **Page)
def enrolment_list(
    request: HttpRequest,
    workshop: Id | None = None,
    person: Id | None = None,
    status: str | None = None,
    updated_since: datetime.datetime | None = None,
) -> Any:
    qs = _enrolments(request)
    if workshop is not None:
        qs = qs.filter(workshop_id=workshop)
    if person is not None:
        qs = qs.filter(person_id=person)
    if status:
        qs = qs.filter(status=_text(status, "status"))
    if updated_since:
        qs = qs.filter(updated_at__gte=_since(updated_since))
    return qs


@training.post(
    "/enrolments",
    response={200: schemas.EnrolmentOut, 201: schemas.EnrolmentOut, 400: schemas.Error},
)
def enrolment_add(request: HttpRequest, payload: schemas.EnrolmentIn) -> Any:
    """Enrol (or nominate) a person; enrolling twice returns the existing enrolment (200)."""
    _require_write(request)
    user = _token(request).user
    workshop = get_object_or_404(
        _visible(request, workshop_policy, "programme"), pk=payload.workshop_id
    )
    if not workshop_policy.user_has_permission_for_instance(user, "manage_enrolment", workshop):
        raise PermissionDenied
    person = get_object_or_404(_people(request), pk=payload.person_id)
    enrolment, created = enrolment_create(
        workshop=workshop, person=person, by=user, status=payload.status
    )
    return Status((201 if created else 200), enrolment)


@training.get("/attendance", response=list[schemas.AttendanceOut])
@paginate(CursorPagination, **Page)
def attendance_list(
    request: HttpRequest, session: Id | None = None, workshop: Id | None = None
) -> Any:
    qs = Attendance.objects.filter(enrolment__in=_enrolments(request).values("pk"))
    if session is not None:
        qs = qs.filter(session_id=session)
    if workshop is not None:
        qs = qs.filter(session__workshop_id=workshop)
    return qs


@training.post("/attendance", response={200: schemas.AttendanceOut, 400: schemas.Error})
def attendance_mark(request: HttpRequest, payload: schemas.AttendanceIn) -> Any:
    """Record whether a participant attended a session (idempotent: the last mark counts)."""
    _require_write(request)
    user = _token(request).user
    workshops = _visible(request, workshop_policy, "programme")
    session = get_object_or_404(
        Session.objects.filter(workshop__in=workshops.values("pk")), pk=payload.session_id
    )
    if not workshop_policy.user_has_permission_for_instance(
        user, "take_attendance", session.workshop
    ):
        raise PermissionDenied
    enrolment = get_object_or_404(
        Enrolment.objects.filter(workshop_id=session.workshop_id), pk=payload.enrolment_id
    )
    attendance_record(session=session, enrolment=enrolment, present=payload.present, by=user)
    return Attendance.objects.get(session=session, enrolment=enrolment)


# --- certificates -------------------------------------------------------------------------------

credentials = Router(tags=["certificates"])


@credentials.get("/certificates", response=list[schemas.CertificateOut])
@paginate(CursorPagination, **Page)
def certificate_list(
    request: HttpRequest, workshop: Id | None = None, person: Id | None = None
) -> Any:
    qs = _visible(request, certificate_policy, "enrolment__workshop__programme")
    if workshop is not None:
        qs = qs.filter(enrolment__workshop_id=workshop)
    if person is not None:
        qs = qs.filter(enrolment__person_id=person)
    return qs


# --- KoboToolbox REST Services ------------------------------------------------------------------


class KoboSecret:
    """Kobo's REST Service sends the feed's secret as HTTP Basic auth (any user name) or as a
    bearer token; checked against the feed named in the URL."""

    openapi_type = "http"

    def __call__(self, request: HttpRequest) -> str | None:
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer":
            return value.strip() or None
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                return None
            return decoded.partition(":")[2] or None
        return None


kobo = Router(tags=["kobotoolbox"])


@kobo.post(
    "/kobo/{feed_id}/submissions",
    url_name="kobo_submission",
    auth=None,
    throttle=[AnonRateThrottle(settings.FORTALECE_KOBO_RATE)],
    response={
        200: schemas.KoboReceipt,
        201: schemas.KoboReceipt,
        400: schemas.Error,
        401: schemas.Error,
    },
)
def kobo_submission(request: HttpRequest, feed_id: Id) -> Any:
    """Receive one KoboToolbox submission (REST Services, JSON). Idempotent on `_uuid`: a
    repeated push answers 200 and stores nothing new."""
    secret = KoboSecret()(request)
    feed = KoboFeed.objects.select_related("link__instrument").filter(pk=feed_id).first()
    if feed is None or secret is None or not kobo_secret_matches(feed, secret):
        return Status(401, {"detail": "Unknown feed or wrong secret."})
    if len(request.body) > settings.FORTALECE_KOBO_MAX_BYTES:
        return Status(400, {"detail": "The submission is too large."})
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return Status(400, {"detail": "The body is not JSON."})
    try:
        submission, created = kobo_submission_receive(feed=feed, payload=payload)
    except SubmissionError as error:
        return Status(400, {"detail": str(error)})
    receipt = {
        "uuid": submission.uuid,
        "stored": created,
        "duplicate_code": submission.duplicate_code,
    }
    return Status((201 if created else 200), receipt)


for prefix, router in (
    ("/programmes", programmes),
    ("", people),
    ("", training),
    ("", credentials),
    ("", kobo),
):
    api.add_router(prefix, router)
