"""``call_service``: a form view's validate → call → errors-on-the-form, without a database."""

from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory

from fortalece.core.views_forms import add_service_errors, call_service


class NameForm(forms.Form):
    name = forms.CharField()
    age = forms.IntegerField(required=False)


class LineForm(forms.Form):
    amount = forms.IntegerField()


LineFormSet = formset_factory(LineForm, extra=0)


def lines(*amounts: str) -> Any:
    data = {"lines-TOTAL_FORMS": str(len(amounts)), "lines-INITIAL_FORMS": "0"}
    data |= {f"lines-{i}-amount": amount for i, amount in enumerate(amounts)}
    return LineFormSet(data, prefix="lines")


def refuse(error: ValidationError) -> Any:
    def service(data: dict[str, Any]) -> Any:
        raise error

    return service


def test_success_returns_what_the_service_returns_and_it_gets_the_cleaned_data():
    form = NameForm({"name": "Ana", "age": "30"})
    assert call_service(form, lambda data: (data["name"], data["age"])) == ("Ana", 30)
    assert not form.errors


def test_an_invalid_form_does_not_call_the_service():
    called: list[Any] = []
    form = NameForm({"name": ""})
    assert call_service(form, called.append) is None
    assert called == []
    assert "name" in form.errors


def test_a_service_message_goes_on_top_of_the_form():
    form = NameForm({"name": "Ana"})
    assert call_service(form, refuse(ValidationError("Already taken."))) is None
    assert form.non_field_errors() == ["Already taken."]
    assert not form.is_valid()


def test_a_list_of_messages_all_go_on_top_of_the_form():
    form = NameForm({"name": "Ana"})
    call_service(form, refuse(ValidationError(["One.", "Two."])))
    assert form.non_field_errors() == ["One.", "Two."]


def test_a_message_goes_on_the_field_named_by_the_view():
    form = NameForm({"name": "Ana"})
    call_service(form, refuse(ValidationError("Too long.")), field="name")
    assert form.errors["name"] == ["Too long."]
    assert not form.non_field_errors()


def test_messages_keyed_by_a_field_of_the_form_go_on_that_field():
    form = NameForm({"name": "Ana"})
    call_service(form, refuse(ValidationError({"age": "Too young.", "name": ["Taken."]})))
    assert form.errors["age"] == ["Too young."]
    assert form.errors["name"] == ["Taken."]
    assert not form.non_field_errors()


def test_messages_keyed_by_a_field_the_form_does_not_show_go_on_top():
    form = NameForm({"name": "Ana"})
    call_service(form, refuse(ValidationError({"country": "Not yours.", "age": "Too young."})))
    assert form.non_field_errors() == ["Not yours."]
    assert form.errors["age"] == ["Too young."]


def test_messages_keyed_by_an_unknown_field_go_on_the_field_named_by_the_view():
    form = NameForm({"name": "Ana"})
    error = ValidationError({"country": "Not yours.", "__all__": "Closed."})
    call_service(form, refuse(error), field="name")
    assert form.errors["name"] == ["Not yours."]
    assert form.non_field_errors() == ["Closed."]


def test_an_invalid_formset_does_not_call_the_service_and_every_form_is_checked():
    called: list[Any] = []
    form = NameForm({"name": ""})
    formset = lines("1", "x")
    assert call_service(form, called.append, formsets=[formset]) is None
    assert called == []
    assert "name" in form.errors
    assert formset.errors[1]["amount"]


def test_valid_formsets_let_the_service_run():
    form = NameForm({"name": "Ana"})
    formset = lines("1", "2")
    total = call_service(
        form, lambda data: sum(f["amount"] for f in formset.cleaned_data), formsets=[formset]
    )
    assert total == 3


def test_add_service_errors_on_its_own():
    form = NameForm({"name": "Ana"})
    assert form.is_valid()
    add_service_errors(form, ValidationError("No."), field="age")
    assert form.errors["age"] == ["No."]
    assert "age" not in form.cleaned_data


def test_other_exceptions_are_not_swallowed():
    form = NameForm({"name": "Ana"})
    with pytest.raises(ZeroDivisionError):
        call_service(form, lambda data: 1 / 0)
