"""Pages to manage personal access tokens and KoboToolbox feeds (the API itself is v1.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from fortalece.api.forms import KoboFeedForm, TokenForm
from fortalece.api.models import ApiToken, KoboFeed
from fortalece.api.policies import api_token_policy, kobo_feed_policy
from fortalece.api.services import kobo_feed_create, token_create, token_revoke
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.impact.policies import instrument_policy


class TokenListView(PolicyRequiredMixin, View):
    policy = api_token_policy

    def _page(self, request: HttpRequest, form: TokenForm, **extra: Any) -> HttpResponse:
        tokens = (
            ApiToken.objects.filter(user_id=request.user.pk or 0)
            .prefetch_related("programmes")
            .order_by("-created_at")
        )
        context = {"form": form, "tokens": tokens, "docs_url": "/api/v1/docs", **extra}
        return render(request, "api/token_list.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, TokenForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not api_token_policy.user_has_permission(request.user, "add"):
            return self._page(request, TokenForm(user=request.user))
        form = TokenForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._page(request, form)
        expires = form.cleaned_data["expires_on"]
        token, raw = token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            can_write=form.cleaned_data["can_write"],
            programmes=form.cleaned_data["programmes"],
            expires_at=(
                timezone.make_aware(datetime.datetime.combine(expires, datetime.time.max))
                if expires
                else None
            ),
        )
        # Shown once, in this response only: never in a URL, a message cookie or a log.
        response = self._page(request, TokenForm(user=request.user), new_token=raw, created=token)
        response["Cache-Control"] = "no-store"
        return response


class TokenRevokeView(PolicyRequiredMixin, View):
    policy = api_token_policy
    permission_action = "revoke"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = self.get_object()
        token_revoke(token=token, by=request.user)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("integrations:tokens")


class KoboFeedView(PolicyRequiredMixin, View):
    """The KoboToolbox projects that push answers to one instrument, and connecting another."""

    policy = instrument_policy
    permission_action = "change"

    def _page(self, request: HttpRequest, form: KoboFeedForm, **extra: Any) -> HttpResponse:
        instrument = self.get_object()
        feeds = kobo_feed_policy.instances_user_has_permission_for(request.user, "view").filter(
            link__instrument=instrument
        )
        context = {
            "instrument": instrument,
            "feeds": feeds,
            "form": form,
            "base_url": request.build_absolute_uri("/").rstrip("/"),
            **extra,
        }
        return render(request, "api/kobo_feeds.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, KoboFeedForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        form = KoboFeedForm(request.POST)
        if not form.is_valid():
            return self._page(request, form)
        feed, secret = kobo_feed_create(
            instrument=instrument,
            wave=form.cleaned_data["wave"],
            audience=form.cleaned_data["audience"],
            code_field=form.cleaned_data["code_field"],
            by=request.user,
        )
        endpoint = request.build_absolute_uri(
            reverse("api:kobo_submission", kwargs={"feed_id": feed.pk})
        )
        response = self._page(
            request, KoboFeedForm(), new_feed=feed, new_secret=secret, new_endpoint=endpoint
        )
        response["Cache-Control"] = "no-store"
        return response


def feed_endpoint(feed: KoboFeed) -> str:
    return reverse("api:kobo_submission", kwargs={"feed_id": feed.pk})
