"""What the API returns and accepts (OpenAPI 3 is generated from these)."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from ninja import Schema
from pydantic import Field

# Database ids: positive and within a 64-bit integer (bigger numbers are a 422, not a 500).
Id = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]


class Error(Schema):
    detail: str


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    description: str
    start_date: datetime.date
    end_date: datetime.date | None
    country_codes: list[str]

    @staticmethod
    def resolve_country_codes(obj: Any) -> list[str]:
        return sorted(c.code for c in obj.countries.all())  # prefetched


class InstitutionOut(Schema):
    id: int
    name: str
    kind: str
    country_code: str | None
    subdivision_code: str | None
    municipality_id: int | None

    @staticmethod
    def resolve_country_code(obj: Any) -> str | None:
        return obj.country.code if obj.country_id else None

    @staticmethod
    def resolve_subdivision_code(obj: Any) -> str | None:
        return obj.subdivision.code if obj.subdivision_id else None


class PersonOut(Schema):
    id: int
    given_names: str
    family_names: str
    sex: str
    profession: str
    rank: str
    institution_id: int | None
    email: str
    phone: str
    updated_at: datetime.datetime


class PersonIn(Schema):
    given_names: str
    family_names: str
    sex: str = "not_stated"
    profession: str
    rank: str = ""
    institution_id: Id
    email: str = ""
    phone: str = ""


class CourseOut(Schema):
    id: int
    programme_id: int | None
    title: str
    modality: str
    hours: Decimal
    is_train_the_trainer: bool


class WorkshopOut(Schema):
    id: int
    programme_id: int
    course_id: int
    title: str
    start_date: datetime.date
    end_date: datetime.date
    country_code: str | None
    subdivision_code: str | None
    municipality_id: int | None
    venue: str
    capacity: int | None

    @staticmethod
    def resolve_country_code(obj: Any) -> str | None:
        return obj.country.code if obj.country_id else None

    @staticmethod
    def resolve_subdivision_code(obj: Any) -> str | None:
        return obj.subdivision.code if obj.subdivision_id else None


class SessionOut(Schema):
    id: int
    workshop_id: Id
    date: datetime.date
    start_time: datetime.time | None
    topic: str


class EnrolmentOut(Schema):
    id: int
    workshop_id: Id
    person_id: Id
    status: str
    sessions_attended: int
    completed_on: datetime.date | None
    updated_at: datetime.datetime


class EnrolmentIn(Schema):
    workshop_id: Id
    person_id: Id
    status: str = "enrolled"


class AttendanceOut(Schema):
    id: int
    session_id: Id
    enrolment_id: Id
    present: bool
    recorded_at: datetime.datetime


class AttendanceIn(Schema):
    session_id: Id
    enrolment_id: Id
    present: bool


class CertificateOut(Schema):
    id: int
    code: str
    enrolment_id: Id
    holder_name: str
    course_title: str
    completed_on: datetime.date
    issued_on: datetime.date
    revoked: bool
    verify_url: str

    @staticmethod
    def resolve_revoked(obj: Any) -> bool:
        return obj.revoked_at is not None

    @staticmethod
    def resolve_verify_url(obj: Any) -> str:
        return f"{settings.FORTALECE_PUBLIC_URL.rstrip('/')}/verify/{obj.code}/"


class Cell(Schema):
    label: str
    count: int | None
    hidden: str | None = None


class MonthCell(Schema):
    month: str
    count: int | None
    hidden: str | None = None


class ReachOut(Schema):
    programme_id: int
    suppressed: bool
    minimum_cell_size: int
    reached: int | None
    completed: int | None
    workshops_held: int
    by_sex: list[Cell]
    by_profession: list[Cell]
    by_state: list[Cell]
    by_month: list[MonthCell]


class KoboReceipt(Schema):
    uuid: str
    stored: bool
    duplicate_code: bool
