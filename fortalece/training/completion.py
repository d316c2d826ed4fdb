"""The completion rule, as a pure function (no Django): what status attendance implies."""

NOMINATED = "nominated"
ENROLLED = "enrolled"
ATTENDED = "attended"
COMPLETED = "completed"
DROPPED = "dropped"


def status_from_attendance(
    *, current: str, attended: int, sessions: int, threshold_pct: int
) -> str:
    """Dropped and nominated people keep their status; otherwise attendance decides.

    * no session attended → enrolled
    * attended at least ``threshold_pct`` % of the sessions → completed
    * attended some → attended
    """
    if current in (DROPPED, NOMINATED):
        return current
    if attended <= 0:
        return ENROLLED
    if sessions > 0 and attended * 100 >= threshold_pct * sessions:
        return COMPLETED
    return ATTENDED
