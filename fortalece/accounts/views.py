from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from fortalece.accounts import services
from fortalece.accounts.forms import RoleAssignmentForm, UserCreateForm, UserUpdateForm
from fortalece.accounts.mfa import SensitiveActionMixin
from fortalece.accounts.models import RoleAssignment
from fortalece.accounts.policies import user_policy
from fortalece.core import search_tokens
from fortalece.core.audit import audit
from fortalece.core.models import AuditEvent
from fortalece.core.pagination import paginate
from fortalece.core.views_forms import call_service
from fortalece.core.views_mixins import PolicyRequiredMixin


class UserListView(PolicyRequiredMixin, View):
    policy = user_policy

    def post(self, request: HttpRequest) -> HttpResponse:
        return search_tokens.stash(request, request.POST, ["q"])

    def get(self, request: HttpRequest) -> HttpResponse:
        if search_tokens.needs_stash(request, ["q"]):
            return search_tokens.stash(request, request.GET, ["q"])
        users = self.get_queryset().prefetch_related(
            "role_assignments__country",
            "role_assignments__subdivision",
            "role_assignments__programme",
            "role_assignments__institution",
        )
        query = search_tokens.search_params(request).get("q", "").strip()
        if query:
            users = users.filter(
                Q(email__icontains=query)
                | Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
            )
        context = {"query": query, **paginate(request, users.order_by("email"))}
        return render(request, "accounts/user_list.html", context)


class UserCreateView(PolicyRequiredMixin, SensitiveActionMixin, View):
    policy = user_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/user_form.html", {"form": UserCreateForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UserCreateForm(request.POST)
        user = call_service(form, lambda data: services.user_create(**data))
        if user is not None:
            messages.success(request, _("Account created. Now give it a role."))
            return redirect("accounts:user_detail", pk=user.pk)
        return render(request, "accounts/user_form.html", {"form": form})


class UserDetailView(PolicyRequiredMixin, SensitiveActionMixin, View):
    policy = user_policy

    def get(
        self, request: HttpRequest, pk: int, form: RoleAssignmentForm | None = None
    ) -> HttpResponse:
        account = self.get_object()
        assignments = account.role_assignments.select_related(
            "country", "subdivision", "programme", "institution"
        )
        context: dict[str, Any] = {
            "account": account,
            "assignments": assignments,
            "role_form": form or RoleAssignmentForm(),
        }
        return render(request, "accounts/user_detail.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.get_object()
        if not user_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        form = RoleAssignmentForm(request.POST)
        assignment = call_service(form, lambda data: services.role_assign(user=account, **data))
        if assignment is not None:
            audit(
                AuditEvent.Kind.ROLE_CHANGED,
                request=request,
                account_id=account.pk,
                added=assignment.role,
                assignment_id=assignment.pk,
            )
            messages.success(request, _("Role added."))
            return redirect("accounts:user_detail", pk=account.pk)
        return self.get(request, pk, form=form)


class UserUpdateView(PolicyRequiredMixin, SensitiveActionMixin, View):
    policy = user_policy
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.get_object()
        return render(
            request,
            "accounts/user_update.html",
            {"account": account, "form": UserUpdateForm(instance=account)},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.get_object()
        form = UserUpdateForm(request.POST, instance=account)
        updated = call_service(
            form,
            lambda data: services.user_update(user=account, by=request.user, **data),  # type: ignore[arg-type]
        )
        if updated is not None:
            messages.success(request, _("Account updated."))
            return redirect("accounts:user_detail", pk=account.pk)
        return render(request, "accounts/user_update.html", {"account": account, "form": form})


class RoleRemoveView(PolicyRequiredMixin, SensitiveActionMixin, View):
    policy = user_policy
    permission_action = "change"

    def get_assignment(self, pk: int, assignment_pk: int) -> RoleAssignment:
        account = self.get_object()
        return get_object_or_404(RoleAssignment, pk=assignment_pk, user=account)

    def get(self, request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
        assignment = self.get_assignment(pk, assignment_pk)
        return render(
            request,
            "core/confirm_delete.html",
            {
                "object": assignment,
                "cancel_url": reverse("accounts:user_detail", kwargs={"pk": pk}),
                "consequences": _("The user loses what this role lets them see and do."),
            },
        )

    def post(self, request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
        assignment = self.get_assignment(pk, assignment_pk)
        removed = (assignment.role, assignment.pk)
        try:
            services.role_remove(assignment=assignment, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            audit(
                AuditEvent.Kind.ROLE_CHANGED,
                request=request,
                account_id=pk,
                removed=removed[0],
                assignment_id=removed[1],
            )
            messages.success(request, _("Role removed."))
        return redirect("accounts:user_detail", pk=pk)
