from hypothesis import given
from hypothesis import strategies as st

from fortalece.training.completion import status_from_attendance


def test_exactly_80_percent_completes():
    assert (
        status_from_attendance(current="enrolled", attended=4, sessions=5, threshold_pct=80)
        == "completed"
    )
    assert (
        status_from_attendance(current="enrolled", attended=3, sessions=5, threshold_pct=80)
        == "attended"
    )


def test_no_sessions_means_not_completed():
    assert (
        status_from_attendance(current="enrolled", attended=0, sessions=0, threshold_pct=80)
        == "enrolled"
    )


@given(
    current=st.sampled_from(["nominated", "enrolled", "attended", "completed", "dropped"]),
    sessions=st.integers(0, 30),
    data=st.data(),
    threshold=st.integers(1, 100),
)
def test_status_is_consistent_with_attendance(current, sessions, data, threshold):
    attended = data.draw(st.integers(0, sessions))
    status = status_from_attendance(
        current=current, attended=attended, sessions=sessions, threshold_pct=threshold
    )
    if current in ("dropped", "nominated"):
        assert status == current
    elif attended == 0:
        assert status == "enrolled"
    elif status == "completed":
        assert attended * 100 >= threshold * sessions
    else:
        assert status == "attended" and attended * 100 < threshold * sessions
