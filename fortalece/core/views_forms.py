"""How a form view calls a service: validate, call, turn the service's refusal into form errors.

A view writes::

    programme = call_service(form, lambda data: services.programme_create(**data))
    if programme is not None:
        return redirect(programme)
    return render(request, "programmes/programme_form.html", {"form": form})

The service gets the form's ``cleaned_data``; a ``ValidationError`` it raises ends up on the
form, which the view renders again. Services return what they wrote, so ``None`` means "not
done".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseForm, BaseFormSet

T = TypeVar("T")


def add_service_errors(form: BaseForm, error: ValidationError, field: str | None = None) -> None:
    """Put a service's ``ValidationError`` on ``form``.

    Errors keyed by a field the form shows go on that field; the rest (and an error with no
    keys) go on ``field``, or on top of the form when ``field`` is ``None``.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(field, error)
        return
    for name, errors in error.error_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        else:
            form.add_error(None if name == NON_FIELD_ERRORS else field, errors)


def call_service(
    form: BaseForm,
    service: Callable[[dict[str, Any]], T],
    *,
    formsets: Iterable[BaseFormSet[Any]] = (),
    field: str | None = None,
) -> T | None:
    """``service(form.cleaned_data)`` once ``form`` and every formset are valid.

    Returns the service's result, or ``None`` when a form is invalid (the service is not
    called) or the service refused with a ``ValidationError`` (its messages are now on
    ``form``, see ``add_service_errors``).
    """
    valid = form.is_valid()
    # Every formset is validated, not only up to the first invalid one, so all errors show.
    valid = all([formset.is_valid() for formset in formsets]) and valid
    if not valid:
        return None
    try:
        return service(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error, field)
        return None
