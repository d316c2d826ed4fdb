"""English as an international programme reads it: Django's default English short date is the
United States' month/day/year, so "10/05/2026" read as 10 May in Mexico, Europe or at UNODC.
Days come first and months are named; input formats stay Django's."""

DATE_FORMAT = "j F Y"  # 5 October 2026
SHORT_DATE_FORMAT = "j M Y"  # 5 Oct 2026
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
