from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fortalece.assignments.core.grading import (
    PENALTY,
    REFUSE,
    Criterion,
    GradingError,
    LatePolicy,
    Level,
    Rubric,
    Weighted,
    apply_penalty,
    days_late,
    lateness,
    percent,
    rubric_score,
    weighted_total,
    weighted_totals,
)

# A shared machine can be slow: no deadlines, no slow-generation health check.
LOADED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

D = Decimal
DUE = datetime(2026, 3, 1, 23, 59, tzinfo=UTC)


def rubric() -> Rubric:
    return Rubric(
        (
            Criterion(1, (Level(11, D(0)), Level(12, D(2)), Level(13, D(4)))),
            Criterion(2, (Level(21, D(1)), Level(22, D("3.5")))),
        )
    )


def test_rubric_scores_the_chosen_levels_out_of_the_best_levels():
    r = rubric()
    assert r.max_points == D("7.5")
    assert rubric_score(r, {1: 12, 2: 22}) == D("5.5")


@pytest.mark.parametrize(
    "selections",
    [{1: 12}, {1: 12, 2: 13}, {1: 12, 2: 22, 3: 31}, {}],
    ids=["missing", "level-of-other-criterion", "foreign-criterion", "none"],
)
def test_rubric_refuses_incomplete_or_foreign_selections(selections):
    with pytest.raises(GradingError):
        rubric_score(rubric(), selections)


def test_rubric_without_points_cannot_be_scored():
    with pytest.raises(GradingError):
        rubric_score(Rubric((Criterion(1, (Level(1, D(0)),)),)), {1: 1})


def test_percent_rounds_half_up_and_refuses_points_out_of_range():
    assert percent(D(2), D(3)) == D("66.67")
    assert percent(D(1), D(8)) == D("12.50")
    with pytest.raises(GradingError):
        percent(D(11), D(10))
    with pytest.raises(GradingError):
        percent(D(-1), D(10))
    with pytest.raises(GradingError):
        percent(D(1), D(0))


def test_days_late_counts_started_days():
    assert days_late(DUE, DUE) == 0
    assert days_late(DUE, DUE - timedelta(hours=5)) == 0
    assert days_late(DUE, DUE + timedelta(minutes=1)) == 1
    assert days_late(DUE, DUE + timedelta(days=1)) == 1
    assert days_late(DUE, DUE + timedelta(days=1, seconds=1)) == 2
    assert days_late(None, DUE) == 0


def test_accept_policy_takes_late_work_as_it_is():
    late = lateness(LatePolicy(), DUE, DUE + timedelta(days=9))
    assert late.accepted and late.days_late == 9 and late.penalty_percent == 0


def test_penalty_policy_takes_a_share_per_day_and_can_refuse_after_n_days():
    policy = LatePolicy(PENALTY, D(10), refuse_after_days=3)
    two = lateness(policy, DUE, DUE + timedelta(days=1, hours=2))
    assert two.accepted and two.penalty_percent == D(20)
    assert apply_penalty(D(8), two.penalty_percent) == D("6.40")
    assert not lateness(policy, DUE, DUE + timedelta(days=3, hours=1)).accepted


def test_penalty_is_capped_at_everything():
    late = lateness(LatePolicy(PENALTY, D(30)), DUE, DUE + timedelta(days=5))
    assert late.penalty_percent == 100
    assert apply_penalty(D(9), late.penalty_percent) == 0


def test_refuse_policy_with_zero_days_refuses_any_late_work():
    policy = LatePolicy(REFUSE, refuse_after_days=0)
    assert lateness(policy, DUE, DUE).accepted
    assert not lateness(policy, DUE, DUE + timedelta(seconds=1)).accepted


def test_bad_policies_are_refused():
    with pytest.raises(GradingError):
        LatePolicy("sometimes")
    with pytest.raises(GradingError):
        LatePolicy(PENALTY, D(101))
    with pytest.raises(GradingError):
        LatePolicy(REFUSE)


def test_weighted_total_counts_missing_as_zero_or_leaves_it_out():
    items = [Weighted(D(1), D(100)), Weighted(D(3), D(50)), Weighted(D(1), None)]
    assert weighted_total(items) == D(50)
    assert weighted_total(items, missing_as_zero=False) == D("62.50")
    assert weighted_total([Weighted(D(0), D(80))]) is None
    assert weighted_total([]) is None
    with pytest.raises(GradingError):
        weighted_total([Weighted(D(-1), D(1))])


def test_weighted_totals_per_learner():
    totals = weighted_totals(
        [(10, D(1)), (20, D(1))], {(1, 10): D(80), (1, 20): D(60), (2, 10): D(90)}, [1, 2, 3]
    )
    assert totals == {1: D(70), 2: D(45), 3: D(0)}


percents = st.decimals(min_value=0, max_value=100, places=2)
weights = st.decimals(min_value=0, max_value=50, places=1)


@LOADED
@given(st.lists(st.tuples(weights, st.one_of(st.none(), percents)), max_size=40))
def test_weighted_total_stays_between_the_lowest_and_highest_result(pairs):
    items = [Weighted(w, p) for w, p in pairs]
    total = weighted_total(items)
    counted = [p or D(0) for w, p in pairs if w > 0]
    if total is None:
        assert not counted
    else:
        assert min(counted) - D("0.01") <= total <= max(counted) + D("0.01")


@LOADED
@given(
    st.decimals(min_value=0, max_value=1000, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
    st.integers(min_value=0, max_value=400),
)
def test_penalty_never_raises_a_score_or_takes_it_below_zero(points, per_day, minutes_late):
    late = lateness(LatePolicy(PENALTY, per_day), DUE, DUE + timedelta(hours=minutes_late))
    kept = apply_penalty(points, late.penalty_percent)
    assert D(0) <= kept <= points
    assert late.accepted


@LOADED
@given(st.data())
def test_rubric_score_is_within_zero_and_the_maximum(data):
    criteria = []
    level_id = 0
    for c in range(data.draw(st.integers(1, 6))):
        levels = []
        for _ in range(data.draw(st.integers(1, 5))):
            level_id += 1
            levels.append(Level(level_id, data.draw(st.decimals(0, 20, places=1))))
        criteria.append(Criterion(c, tuple(levels)))
    r = Rubric(tuple(criteria))
    choice = {c.id: data.draw(st.sampled_from(c.levels)).id for c in r.criteria}
    if r.max_points <= 0:
        with pytest.raises(GradingError):
            rubric_score(r, choice)
        return
    score = rubric_score(r, choice)
    assert D(0) <= score <= r.max_points
    assert D(0) <= percent(score, r.max_points) <= D(100)
