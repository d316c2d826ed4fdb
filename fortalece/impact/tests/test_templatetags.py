"""Template filters of the study page."""

from django.utils import translation

from fortalece.impact.templatetags.impact_texts import p_value


def test_p_values_are_never_printed_as_zero_and_follow_the_language():
    with translation.override("en"):
        assert p_value(0.0000001) == "<\u00a00.001"
        assert p_value(0.00449) == "0.004"
        assert p_value(0.0046) == "0.005"  # rounded like the headlines, not cut off
        assert p_value(0.00001, 4) == "<\u00a00.0001"
        assert p_value(None) == "—"
    with translation.override("es"):
        assert p_value(0.0046) == "0,005"
        assert p_value(0.0) == "<\u00a00,001"
