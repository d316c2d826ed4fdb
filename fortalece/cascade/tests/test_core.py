"""The cascade's pure core, without a database."""

import datetime

from fortalece.cascade.core.accreditation import Criteria, add_months


def test_add_months_keeps_the_day_or_falls_to_the_months_last_day():
    assert add_months(datetime.date(2026, 1, 15), 12) == datetime.date(2027, 1, 15)
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 12, 31), 6) == datetime.date(2027, 6, 30)


def test_criteria_count_each_missing_step_once():
    def criteria(**changes):
        base = {
            "completed_ttt": True,
            "passed_assessment": True,
            "cofacilitations": 2,
            "needed_cofacilitations": 2,
            "assessment_required": True,
        }
        return Criteria(**{**base, **changes})

    assert criteria().eligible
    assert criteria(passed_assessment=False, assessment_required=False).eligible
    assert criteria(passed_assessment=False).missing == 1
    assert criteria(completed_ttt=False, cofacilitations=1).missing == 2
