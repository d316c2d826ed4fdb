"""Accreditation rules as plain data: the criteria a candidate meets, and when a grant expires."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Criteria:
    completed_ttt: bool
    passed_assessment: bool
    cofacilitations: int
    needed_cofacilitations: int
    assessment_required: bool

    @property
    def missing(self) -> int:
        missing = 0 if self.completed_ttt else 1
        if self.assessment_required and not self.passed_assessment:
            missing += 1
        if self.cofacilitations < self.needed_cofacilitations:
            missing += 1
        return missing

    @property
    def eligible(self) -> bool:
        return self.missing == 0


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` ``months`` later, on the same day of the month or the month's last day."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")
