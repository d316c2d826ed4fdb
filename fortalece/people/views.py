from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core import search_tokens
from fortalece.core.pagination import paginate
from fortalece.core.query import query_int
from fortalece.core.views_forms import call_service
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.people import services
from fortalece.people.forms import InstitutionForm, PersonFilterForm, PersonForm
from fortalece.people.models import Institution, Person
from fortalece.people.policies import institution_policy, person_policy
from fortalece.people.selectors import (
    institution_list,
    institution_people_counts,
    person_enrolments,
    person_list,
)

FIELDS = services.PERSON_FIELDS


# Institutions


class InstitutionListView(PolicyRequiredMixin, View):
    policy = institution_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()
        kind = request.GET.get("kind", "")
        if kind not in Institution.Kind.values:
            kind = ""
        institutions = institution_list(queryset=self.get_queryset(), query=query, kind=kind)
        context = {
            "query": query,
            "kind": kind,
            "kinds": Institution.Kind.choices,
            "can_add": institution_policy.user_has_permission(request.user, "add"),
            **paginate(request, institutions),
        }
        context["object_list"] = institution_people_counts(list(context["object_list"]))
        return render(request, "people/institution_list.html", context)


class InstitutionDetailView(PolicyRequiredMixin, View):
    policy = institution_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        institution = self.get_object()
        people = person_policy.instances_user_has_permission_for(request.user, "view").filter(
            institution=institution
        )
        context = {
            "institution": institution,
            "can_change": institution_policy.user_has_permission_for_instance(
                request.user, "change", institution
            ),
            "can_add_person": person_policy.user_has_permission(request.user, "add"),
            **paginate(request, people.order_by("family_names", "given_names", "pk")),
        }
        return render(request, "people/institution_detail.html", context)


class InstitutionCreateView(PolicyRequiredMixin, View):
    policy = institution_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        countries = institution_policy.country_choices(request.user)
        initial = {"country": countries.first()} if countries.count() == 1 else {}
        form = InstitutionForm(countries=countries, initial=initial)
        return render(request, "people/institution_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InstitutionForm(
            request.POST, countries=institution_policy.country_choices(request.user)
        )
        institution = call_service(form, lambda data: services.institution_create(**data))
        if institution is not None:
            messages.success(request, _("Institution added."))
            return redirect(institution)
        return render(request, "people/institution_form.html", {"form": form})


class InstitutionUpdateView(PolicyRequiredMixin, View):
    policy = institution_policy
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        institution = self.get_object()
        form = InstitutionForm(
            instance=institution, countries=institution_policy.country_choices(request.user)
        )
        return render(
            request, "people/institution_form.html", {"form": form, "institution": institution}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        institution = self.get_object()
        form = InstitutionForm(
            request.POST,
            # The form edits a copy: the service compares the place with the saved one.
            instance=Institution.objects.get(pk=institution.pk),
            countries=institution_policy.country_choices(request.user),
        )
        saved = call_service(
            form,
            lambda data: services.institution_update(institution=institution, **data),
        )
        if saved is not None:
            messages.success(request, _("Institution saved."))
            return redirect(institution)
        return render(
            request, "people/institution_form.html", {"form": form, "institution": institution}
        )


class InstitutionDeleteView(PolicyRequiredMixin, View):
    policy = institution_policy
    permission_action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        institution = self.get_object()
        return render(
            request,
            "core/confirm_delete.html",
            {"object": institution, "cancel_url": institution.get_absolute_url()},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        institution = self.get_object()
        try:
            services.institution_delete(institution=institution)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(institution)
        messages.success(request, _("Institution deleted."))
        return redirect("people:institution_list")


# People


PEOPLE_COUNTED_AT_MOST = 10_000


class PersonListView(PolicyRequiredMixin, View):
    policy = person_policy

    # What identifies a person never goes in the URL (core/search_tokens.py).
    personal_filters = ("q",)

    def post(self, request: HttpRequest) -> HttpResponse:
        return search_tokens.stash(request, request.POST, PersonFilterForm.base_fields)

    def get(self, request: HttpRequest) -> HttpResponse:
        if search_tokens.needs_stash(request, self.personal_filters):
            return search_tokens.stash(request, request.GET, PersonFilterForm.base_fields)
        institutions = institution_policy.instances_user_has_permission_for(request.user, "view")
        params = search_tokens.search_params(request)
        form = PersonFilterForm(params if request.GET else None, institutions=institutions)
        filters = form.cleaned_data if form.is_valid() else {}
        people = person_list(queryset=self.get_queryset(), filters=filters)
        context = {
            "filter_form": form,
            "filtered": any(filters.values()) if filters else False,
            "can_add": person_policy.user_has_permission(request.user, "add"),
            "can_import": person_policy.user_has_permission(request.user, "import"),
            # A national force is a million people: counted to 10,000, not in full (0.33 s).
            **paginate(request, people, count_at_most=PEOPLE_COUNTED_AT_MOST),
        }
        return render(request, "people/person_list.html", context)


class PersonDetailView(PolicyRequiredMixin, View):
    policy = person_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        user = request.user
        context = {
            "person": person,
            "show_contact": person_policy.can_see_contact(user, person),
            "enrolments": person_enrolments(person),
            "merges": person.merges.all()[:20],
            "can_change": person_policy.user_has_permission_for_instance(user, "change", person),
            "can_delete": person_policy.user_has_permission_for_instance(user, "delete", person),
            "can_merge": person_policy.user_has_permission_for_instance(user, "merge", person),
        }
        return render(request, "people/person_detail.html", context)


class PersonCreateView(PolicyRequiredMixin, View):
    policy = person_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {}
        institution = query_int(request.GET.get("institution"))
        if institution is not None:
            initial["institution"] = institution
        form = PersonForm(
            institutions=person_policy.placeable_institutions(request.user), initial=initial
        )
        return render(request, "people/person_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        institutions = person_policy.placeable_institutions(request.user)
        form = PersonForm(request.POST, institutions=institutions, confirm_duplicates=True)
        duplicates: list[Any] = []
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in FIELDS}
            duplicates = services.person_find_duplicates(
                given_names=data["given_names"],
                family_names=data["family_names"],
                email=data["email"],
                phone=data["phone"],
                institution_id=data["institution"].pk,
                queryset=person_policy.instances_user_has_permission_for(request.user, "view"),
            )
            if not duplicates or form.cleaned_data.get("create_anyway"):
                person = call_service(
                    form, lambda _cleaned: services.person_create(by=request.user, **data)
                )
                if person is not None:
                    messages.success(request, _("Person added to the registry."))
                    return redirect(person)
        else:
            form = PersonForm(request.POST, institutions=institutions)
        return render(request, "people/person_form.html", {"form": form, "duplicates": duplicates})


class PersonUpdateView(PolicyRequiredMixin, View):
    policy = person_policy
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        form = PersonForm(
            instance=person, institutions=person_policy.placeable_institutions(request.user)
        )
        return render(request, "people/person_form.html", {"form": form, "person": person})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        form = PersonForm(
            request.POST,
            # The form edits a copy: the service compares the fields with the saved ones.
            instance=Person.objects.get(pk=person.pk),
            institutions=person_policy.placeable_institutions(request.user),
        )
        saved = call_service(
            form,
            lambda data: services.person_update(
                person=person, by=request.user, **{k: data[k] for k in FIELDS}
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(person)
        return render(request, "people/person_form.html", {"form": form, "person": person})


class PersonDuplicatesView(PolicyRequiredMixin, View):
    policy = person_policy
    permission_action = "merge"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        duplicates = services.person_find_duplicates(
            given_names=person.given_names,
            family_names=person.family_names,
            email=person.email,
            phone=person.phone,
            institution_id=person.institution_id,
            exclude_id=person.pk,
            limit=20,
            queryset=person_policy.instances_user_has_permission_for(request.user, "merge"),
        )
        return render(
            request, "people/person_duplicates.html", {"person": person, "duplicates": duplicates}
        )
