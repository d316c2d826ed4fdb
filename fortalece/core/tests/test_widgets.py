import datetime

from django import forms
from django.utils import translation

from fortalece.core.widgets import DateInput, DateTimeInput


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput())
    at = forms.DateTimeField(widget=DateTimeInput())


def test_date_fields_hold_iso_values_on_spanish_pages_and_read_them_back():
    with translation.override("es"):
        html = str(
            _Form(
                initial={
                    "day": datetime.date(2026, 12, 2),
                    "at": datetime.datetime(2026, 12, 2, 9, 5),  # noqa: DTZ001 - a typed local time
                }
            )
        )
        assert 'value="2026-12-02"' in html and 'type="date"' in html
        assert 'value="2026-12-02T09:05"' in html
        form = _Form({"day": "2026-12-02", "at": "2026-12-02T09:05"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2026, 12, 2)


def test_english_dates_put_the_day_first_and_name_the_month():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }} · {{ d|date:"DATE_FORMAT" }}')
    day = Context({"d": datetime.date(2026, 10, 5)})
    with translation.override("en"):
        assert template.render(day) == "5 Oct 2026 · 5 October 2026"
    with translation.override("es"):
        assert template.render(day) == "05/10/2026 · 5 de octubre de 2026"
