import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from fortalece.referrals.hours import (
    Candidate,
    Slot,
    bounding_box,
    haversine_km,
    is_open,
    next_opening,
    rank,
    state_tz,
)

MX = ZoneInfo("America/Mexico_City")
CUN = ZoneInfo("America/Cancun")
T = dt.time


def at(tz, y, m, d, h, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=tz)


def test_state_time_zones_and_default():
    assert state_tz("MX-ROO") == CUN
    assert state_tz("MX-BCN") == ZoneInfo("America/Tijuana")
    assert state_tz("MX-SON") == ZoneInfo("America/Hermosillo")
    assert state_tz("MX-MIC") == MX
    assert state_tz(None) == MX


def test_across_midnight_open_after_midnight_of_next_day():
    # Friday 22:00 to Saturday 06:00 (2026-12-04 is a Friday).
    slots = [Slot(4, T(22), T(6))]
    assert is_open(slots, at(MX, 2026, 12, 4, 23), MX)
    assert is_open(slots, at(MX, 2026, 12, 5, 5, 59), MX)
    assert not is_open(slots, at(MX, 2026, 12, 5, 6), MX)
    assert not is_open(slots, at(MX, 2026, 12, 4, 21, 59), MX)


def test_sunday_night_slot_runs_into_monday():
    slots = [Slot(6, T(20), T(2))]
    assert is_open(slots, at(MX, 2026, 11, 30, 1), MX)  # Monday 01:00


def test_time_zone_of_the_state_decides():
    # 09:00-17:00 in Cancún; 16:30 in Mexico City is 17:30 in Cancún: closed.
    slots = [Slot(2, T(9), T(17))]  # Wednesday
    now = at(MX, 2026, 12, 2, 16, 30)
    assert is_open(slots, now, MX)
    assert not is_open(slots, now, CUN)


def test_24h_and_next_opening_when_closed():
    assert is_open([], at(MX, 2026, 12, 2, 3), MX, open_24h=True)
    slots = [Slot(0, T(9), T(14))]
    nxt = next_opening(slots, at(MX, 2026, 12, 2, 3), MX)  # Wednesday -> next Monday 09:00
    assert nxt == dt.datetime(2026, 12, 7, 9, tzinfo=MX)
    assert next_opening([], at(MX, 2026, 12, 2, 3), MX) is None


def test_all_day_slot():
    slots = [Slot(2, T(0), T(0), all_day=True)]
    assert is_open(slots, at(MX, 2026, 12, 2, 3), MX)
    assert not is_open(slots, at(MX, 2026, 12, 3, 0, 1), MX)


def test_rank_ties_by_name_then_pk_and_unplaced_last():
    cands = [
        Candidate(3, "Beta", 19.7, -101.2),
        Candidate(2, "Alfa", 19.7, -101.2),
        Candidate(1, "Alfa", 19.7, -101.2),
        Candidate(4, "Aaa sin mapa", None, None),
        Candidate(5, "Lejos", 21.1, -86.8),
    ]
    ranked = rank(cands, 19.7, -101.2)
    assert [c.pk for c, _ in ranked] == [1, 2, 3, 5, 4]
    assert ranked[-1][1] is None
    assert [c.pk for c, _ in rank(cands, None, None)] == [4, 1, 2, 3, 5]


times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
START = dt.datetime(2024, 1, 1)  # noqa: DTZ001 - naive bounds; the zone is added below
END = dt.datetime(2030, 1, 1)  # noqa: DTZ001
moments = st.datetimes(min_value=START, max_value=END).map(lambda d: d.replace(tzinfo=MX))


@given(st.integers(0, 6), times, times, moments)
def test_open_iff_next_opening_is_now(weekday, opens, closes, now):
    slots = [Slot(weekday, opens, closes)]
    nxt = next_opening(slots, now, MX)
    assert nxt is not None
    if is_open(slots, now, MX):
        assert nxt == now
    else:
        assert nxt > now
        assert nxt - now <= dt.timedelta(days=7)
        assert is_open(slots, nxt, MX)


@given(st.integers(0, 6), times, times, moments)
def test_slot_across_midnight_is_union_of_two_parts(weekday, opens, closes, now):
    local = now.astimezone(MX)
    slot_open = is_open([Slot(weekday, opens, closes)], now, MX)
    if closes <= opens:
        late = local.weekday() == weekday and local.time() >= opens
        early = local.weekday() == (weekday + 1) % 7 and local.time() < closes
        assert slot_open == (late or early)
    else:
        assert slot_open == (local.weekday() == weekday and opens <= local.time() < closes)


@given(
    st.floats(-60, 60),
    st.floats(-179, 179),
    st.floats(-60, 60),
    st.floats(-179, 179),
    st.floats(1, 500),
)
def test_bounding_box_contains_every_point_within_radius(lat, lon, lat2, lon2, km):
    if haversine_km(lat, lon, lat2, lon2) <= km:
        lo_lat, hi_lat, lo_lon, hi_lon = bounding_box(lat, lon, km)
        assert lo_lat - 1e-9 <= lat2 <= hi_lat + 1e-9
        assert (
            lo_lon - 1e-9 <= lon2 <= hi_lon + 1e-9
            or hi_lon - lo_lon >= 360
            or (lo_lon < -180 or hi_lon > 180)
        )


def test_mexican_holidays():
    from fortalece.referrals.hours import is_holiday, mx_holidays

    assert dt.date(2027, 2, 1) in mx_holidays(2027)  # first Monday of February
    assert dt.date(2027, 3, 15) in mx_holidays(2027)  # third Monday of March
    assert dt.date(2026, 11, 16) in mx_holidays(2026)  # third Monday of November
    assert dt.date(2030, 10, 1) in mx_holidays(2030) and dt.date(2027, 10, 1) not in mx_holidays(
        2027
    )
    assert is_holiday(dt.date(2026, 9, 16)) and not is_holiday(dt.date(2026, 9, 17))


def test_closed_on_a_holiday_unless_it_opens_on_holidays():
    from zoneinfo import ZoneInfo

    from fortalece.referrals.hours import Slot, open_state

    mx = ZoneInfo("America/Mexico_City")
    monday = [Slot(0, dt.time(9), dt.time(17))]
    holiday = dt.datetime(2027, 2, 1, 10, 0, tzinfo=mx)  # Constitution Day, a Monday
    assert open_state(monday, holiday, mx, open_on_holidays=True) == (True, holiday)
    is_open, opens = open_state(monday, holiday, mx, open_on_holidays=False)
    assert not is_open and opens == dt.datetime(2027, 2, 8, 9, 0, tzinfo=mx)
    # The Sunday before, the next opening skips the holiday too.
    sunday = dt.datetime(2027, 1, 31, 20, 0, tzinfo=mx)
    assert open_state(monday, sunday, mx, open_on_holidays=False)[1] == dt.datetime(
        2027, 2, 8, 9, 0, tzinfo=mx
    )
    # A night slot begun the evening before runs on into the holiday.
    night = [Slot(6, dt.time(20), dt.time(6))]
    early = dt.datetime(2027, 2, 1, 3, 0, tzinfo=mx)
    assert open_state(night, early, mx, open_on_holidays=False)[0] is True
    assert open_state([], holiday, mx, open_24h=True) == (True, holiday)
