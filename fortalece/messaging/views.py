"""Pages of messages, comments, announcements and notifications. Every view asks a policy
(``policies.py``) first; posting messages and comments is rate limited per user."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from fortalece.core.pagination import paginate
from fortalece.core.query import query_int
from fortalece.core.views_forms import call_service
from fortalece.learning import richtext
from fortalece.learning.models import CourseItem
from fortalece.learning.policies import course_content_policy
from fortalece.learning.selectors import learner_enrolment
from fortalece.learning.services.progress import item_is_open
from fortalece.messaging import push, selectors, services
from fortalece.messaging.forms import AnnouncementForm, PostForm, PreferencesForm
from fortalece.messaging.models import (
    Comment,
    Delivery,
    Kind,
    Message,
    Preference,
    PushSubscription,
    Thread,
    ThreadMember,
)
from fortalece.messaging.notify import read_unsubscribe_token
from fortalece.messaging.policies import (
    announcement_policy,
    comment_policy,
    learner_workshops,
    message_policy,
    moderated_workshops,
    notification_policy,
    thread_policy,
)
from fortalece.programmes.policies import programme_policy
from fortalece.training.models import Workshop
from fortalece.training.policies import workshop_policy

LIMITED = _("You are posting too fast. Wait a few minutes and try again; your text is below.")


def _me(request: HttpRequest) -> Any:
    """The signed-in user (every view here requires a login)."""
    return request.user


def _message_rate(group: str, request: HttpRequest) -> str:
    return settings.FORTALECE_MESSAGE_RATE


def _comment_rate(group: str, request: HttpRequest) -> str:
    return settings.FORTALECE_COMMENT_RATE


def _limited(request: HttpRequest, back: str) -> HttpResponse:
    """What a rate-limited poster sees: why, and their text kept to copy or send later."""
    return render(
        request,
        "messaging/limited.html",
        {"text": request.POST.get("body", ""), "back": back, "message": LIMITED},
        status=429,
    )


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- notifications ------------------------------------------------------------------------


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    rows = notification_policy.instances_user_has_permission_for(request.user, "view")
    return render(request, "messaging/notifications.html", paginate(request, rows))


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_policy.get_for_user(user=request.user, pk=pk, action="change")
    services.notification_read(notification=notification)
    if request.POST.get("open") and notification.url:
        return redirect(notification.url)
    return redirect(_next(request, reverse("messaging:notifications")))


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    rows = notification_policy.instances_user_has_permission_for(request.user, "change")
    count = services.notifications_read(notifications=rows)
    messages.success(request, _("%(n)d notifications marked as read.") % {"n": count})
    return redirect("messaging:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = dict(Preference.objects.filter(user=_me(request)).values_list("kind", "delivery"))
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=_me(request), deliveries=form.cleaned_data)
        messages.success(request, _("Your notification choices are saved."))
        return redirect("messaging:preferences")
    return render(
        request,
        "messaging/preferences.html",
        {
            "form": form,
            "push_enabled": push.enabled(),
            "vapid_public_key": settings.FORTALECE_VAPID_PUBLIC_KEY,
            "push_count": PushSubscription.objects.filter(user=_me(request)).count(),
        },
    )


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> HttpResponse:
    """Store a browser's push subscription: JSON ``{endpoint, keys: {p256dh, auth}}``."""
    if not push.enabled():
        return JsonResponse({"error": "push is off"}, status=404)
    try:
        data = json.loads(request.body or b"{}")
        endpoint = str(data["endpoint"])
        keys = data["keys"]
        p256dh, auth = str(keys["p256dh"]), str(keys["auth"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "endpoint and keys needed"}, status=400)
    if not endpoint.startswith("https://") or len(endpoint) > 1000:
        return JsonResponse({"error": "bad endpoint"}, status=400)
    if not (0 < len(p256dh) <= 200 and 0 < len(auth) <= 100):
        return JsonResponse({"error": "bad keys"}, status=400)
    services.push_subscription_save(user=_me(request), endpoint=endpoint, p256dh=p256dh, auth=auth)
    return JsonResponse({"ok": True}, status=201)


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop one kind of e-mail from a link in it; no sign-in needed (the token is signed)."""
    found = read_unsubscribe_token(token)
    user = None
    if found is not None:
        user = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if user is None or found is None:
        return render(request, "messaging/unsubscribe_invalid.html", status=404)
    kind = Kind(found[1])
    done = False
    if request.method == "POST":
        services.preferences_save(user=user, deliveries={kind: Delivery.OFF})
        done = True
    return render(request, "messaging/unsubscribe.html", {"kind": kind, "done": done})


# --- announcements ------------------------------------------------------------------------


@login_required
@require_GET
def announcements(request: HttpRequest) -> HttpResponse:
    rows = announcement_policy.instances_user_has_permission_for(request.user, "view")
    return render(request, "messaging/announcements.html", paginate(request, rows))


@login_required
@require_GET
def announcement(request: HttpRequest, pk: int) -> HttpResponse:
    item = announcement_policy.get_for_user(user=request.user, pk=pk)
    services.announcement_read(announcement=item, user=_me(request))
    may_delete = announcement_policy.user_has_permission_for_instance(request.user, "delete", item)
    return render(
        request,
        "messaging/announcement.html",
        {"announcement": item, "body": richtext.sanitise(item.body), "may_delete": may_delete},
    )


@login_required
@require_POST
def announcement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = announcement_policy.get_for_user(user=request.user, pk=pk, action="delete")
    services.announcement_delete(announcement=item)
    messages.success(request, _("The announcement is deleted."))
    return redirect("messaging:announcements")


def _announce(request: HttpRequest, audience: dict[str, Any], label: str) -> HttpResponse:
    form = AnnouncementForm(request.POST or None)
    # On GET the form is unbound, so not valid: nothing is created.
    created = call_service(
        form,
        lambda data: services.announcement_create(
            author=request.user, title=data["title"], body=data["body"], **audience
        ),
        field="body",
    )
    if created is not None:
        messages.success(
            request,
            ngettext(
                "Announcement saved: it is on its way to %(n)d person.",
                "Announcement saved: it is on its way to %(n)d people.",
                created.recipient_count,
            )
            % {"n": created.recipient_count},
        )
        return redirect("messaging:announcement", pk=created.pk)
    return render(request, "messaging/announcement_form.html", {"form": form, "audience": label})


@login_required
@require_http_methods(["GET", "POST"])
def announce_cohort(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = workshop_policy.get_for_user(user=request.user, pk=pk, action="manage_enrolment")
    return _announce(request, {"workshop": workshop}, workshop.title)


@login_required
@require_http_methods(["GET", "POST"])
def announce_course(request: HttpRequest, pk: int) -> HttpResponse:
    course = course_content_policy.get_for_user(user=request.user, pk=pk, action="author")
    return _announce(request, {"course": course}, course.title)


@login_required
@require_http_methods(["GET", "POST"])
def announce_programme(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_policy.get_for_user(user=request.user, pk=pk, action="change")
    return _announce(request, {"programme": programme}, programme.name)


# --- threads ------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    threads = (
        thread_policy.instances_user_has_permission_for(request.user, "view")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=ThreadMember.objects.select_related("user__person"),
            )
        )
        .order_by("-last_message_at", "-id")
    )
    rows = []
    for thread in threads[:100]:
        mine = next((m for m in thread.members.all() if m.user_id == request.user.pk), None)
        others = [m.user for m in thread.members.all() if m.user_id != request.user.pk]
        unread = thread.last_message_at is not None and (
            mine is None or mine.last_read_at is None or mine.last_read_at < thread.last_message_at
        )
        if thread.kind == Thread.Kind.DIRECT:
            title = ", ".join(services.display_name(u) for u in others) or _("Direct messages")
        else:
            title = _("Cohort discussion: %(cohort)s") % {"cohort": thread.workshop.title}
        rows.append({"thread": thread, "title": title, "unread": unread})
    cohorts = Workshop.objects.filter(
        Q(pk__in=learner_workshops(request.user).values("pk"))
        | Q(pk__in=moderated_workshops(request.user).values("pk"))
    ).order_by("-start_date")[:50]
    return render(
        request,
        "messaging/inbox.html",
        {
            "rows": rows,
            "contacts": [
                {"pk": u.pk, "name": services.display_name(u), "cohort": w.title}
                for u, w in services.contacts(request.user)
            ],
            "cohorts": cohorts,
        },
    )


@login_required
@require_POST
def thread_new(request: HttpRequest) -> HttpResponse:
    try:
        other = int(request.POST.get("to", ""))
    except ValueError:
        other = 0
    try:
        thread = services.direct_thread(user=request.user, other_id=other)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("messaging:inbox")
    return redirect("messaging:thread", pk=thread.pk)


@login_required
@require_GET
def cohort_thread(request: HttpRequest, pk: int) -> HttpResponse:
    """The cohort's discussion (made on first visit): its learners, trainers, moderators."""
    allowed = Workshop.objects.filter(
        Q(pk__in=learner_workshops(request.user).values("pk"))
        | Q(pk__in=moderated_workshops(request.user).values("pk"))
    )
    workshop = get_object_or_404(allowed, pk=pk)
    thread = services.cohort_thread(workshop, by=request.user)
    return redirect("messaging:thread", pk=thread.pk)


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=_message_rate, method="POST", block=False, group="messaging.post")
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    current = thread_policy.get_for_user(user=request.user, pk=pk, action="post")
    form = PostForm(request.POST or None)
    here = reverse("messaging:thread", kwargs={"pk": current.pk})
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _limited(request, here)
        posted = call_service(
            form,
            lambda data: services.message_post(
                thread=current, author=request.user, body=data["body"]
            ),
            field="body",
        )
        if posted is not None:
            return redirect(here + "#latest")
    else:
        services.thread_read(thread=current, user=request.user)
    moderator = thread_policy.user_has_permission_for_instance(request.user, "moderate", current)
    posts = Message.objects.filter(thread=current).select_related("author__person")
    if not moderator:
        posts = posts.filter(Q(hidden_at__isnull=True) | Q(author=request.user))
    latest = list(posts.order_by("-created_at", "-id")[:200])[::-1]
    if current.kind == Thread.Kind.DIRECT:
        others = [
            m.user
            for m in current.members.select_related("user__person")
            if m.user_id != request.user.pk
        ]
        title = ", ".join(services.display_name(u) for u in others) or _("Direct messages")
    else:
        title = _("Cohort discussion: %(cohort)s") % {"cohort": current.workshop.title}
    rows = [{"message": m, "name": services.display_name(m.author)} for m in latest]
    return render(
        request,
        "messaging/thread.html",
        {"thread": current, "title": title, "rows": rows, "form": form, "moderator": moderator},
    )


@login_required
@require_POST
def message_hide(request: HttpRequest, pk: int) -> HttpResponse:
    message = message_policy.get_for_user(user=request.user, pk=pk, action="moderate")
    services.message_hide(message=message, by=request.user, hide=message.hidden_at is None)
    return redirect("messaging:thread", pk=message.thread_id)


# --- comments -----------------------------------------------------------------------------


def _lesson_url(item_id: int, page: int = 1) -> str:
    url = reverse("learning:item", kwargs={"pk": item_id})
    return f"{url}?comments={page}" if page > 1 else url


def _comment_url(item_id: int, comment_id: int) -> str:
    """The lesson page open at the page holding the comment's thread."""
    url = reverse("learning:item", kwargs={"pk": item_id})
    return f"{url}?comment={comment_id}#comment-{comment_id}"


def _is_moderator(user: Any, workshop_id: int) -> bool:
    return moderated_workshops(user).filter(pk=workshop_id).exists()


def comments_context(
    request: HttpRequest,
    item: CourseItem,
    workshop: Workshop,
    *,
    error: str = "",
    text: str = "",
    first_page: bool = False,
) -> dict[str, Any]:
    """What the comments include needs: one page of threads (``?comments=N``, or the page
    holding ``?comment=<id>``), a fixed number of queries whatever the number of comments."""
    user = request.user
    moderator = _is_moderator(user, workshop.pk)
    page = selectors.comment_page(
        item=item,
        workshop=workshop,
        user=user,
        moderator=moderator,
        number=None if first_page else query_int(request.GET.get("comments")),
        around=None if first_page else query_int(request.GET.get("comment")),
    )
    return {
        "item": item,
        "workshop": workshop,
        "comments": page.threads,
        "comment_page": page,
        "comment_count": page.visible,
        "here": _lesson_url(item.pk, page.number),
        "older_url": _lesson_url(item.pk, page.number + 1),
        "newer_url": _lesson_url(item.pk, page.number - 1),
        "moderator": moderator,
        "comment_error": error,
        "comment_text": text,
        "request": request,
    }


def _comment_response(
    request: HttpRequest, item: CourseItem, workshop: Workshop, **extra: Any
) -> HttpResponse:
    """After a new comment: the block's first page (the new thread on top) for htmx, else
    back to the lesson."""
    if getattr(request, "htmx", False):
        context = comments_context(request, item, workshop, first_page=True, **extra)
        return render(request, "messaging/includes/comments.html", context)
    if extra.get("error"):
        messages.error(request, extra["error"])
    return redirect(reverse("learning:item", kwargs={"pk": item.pk}) + "#comments")


def _thread_response(
    request: HttpRequest, comment: Comment, *, error: str = "", text: str = "", notice: str = ""
) -> HttpResponse:
    """After an action on one comment (reply, report, hide, delete) with htmx: that comment's
    thread alone, wherever it is on the page (later pages too)."""
    moderator = _is_moderator(request.user, comment.workshop_id)
    thread = selectors.comment_thread(comment=comment, user=request.user, moderator=moderator)
    here = _next(request, _lesson_url(comment.item_id)).split("#", 1)[0]
    return render(
        request,
        "messaging/includes/comment.html",
        {
            "c": thread,
            "item": comment.item,
            "here": here,
            "moderator": moderator,
            "thread_error": error,
            "thread_text": text,
            "thread_notice": notice,
            "acted_on": comment.pk,
        },
    )


def _open_lesson(request: HttpRequest, pk: int) -> tuple[CourseItem, Any]:
    """The lesson and the learner's enrolment, when its comments are theirs to read."""
    item = get_object_or_404(CourseItem.objects.select_related("module__course"), pk=pk)
    enrolment = learner_enrolment(request.user, item.module.course)
    if enrolment is None:
        raise Http404
    if not item_is_open(enrolment=enrolment, item=item).open:
        raise PermissionDenied
    return item, enrolment


@login_required
@require_GET
def comment_list(request: HttpRequest, pk: int) -> HttpResponse:
    """One more page of a lesson's threads (``?comments=N``) for htmx's "show older
    comments"; without htmx the lesson page itself shows that page."""
    item, enrolment = _open_lesson(request, pk)
    if not getattr(request, "htmx", False):
        return redirect(_lesson_url(item.pk, query_int(request.GET.get("comments")) or 1))
    context = comments_context(request, item, enrolment.workshop)
    return render(request, "messaging/includes/comment_more.html", context)


@login_required
@require_POST
@ratelimit(key="user", rate=_comment_rate, method="POST", block=False, group="messaging.comment")
def comment_post(request: HttpRequest, pk: int) -> HttpResponse:
    """A learner comments on a lesson they can open, in their own cohort."""
    item, enrolment = _open_lesson(request, pk)
    back = reverse("learning:item", kwargs={"pk": item.pk}) + "#comments"
    text = request.POST.get("body", "")
    if getattr(request, "limited", False):
        if getattr(request, "htmx", False):
            return _comment_response(request, item, enrolment.workshop, error=LIMITED, text=text)
        return _limited(request, back)
    try:
        services.comment_post(
            item=item, workshop=enrolment.workshop, author=request.user, body=text
        )
    except ValidationError as error:
        return _comment_response(
            request, item, enrolment.workshop, error=" ".join(error.messages), text=text
        )
    return _comment_response(request, item, enrolment.workshop)


@login_required
@require_POST
@ratelimit(key="user", rate=_comment_rate, method="POST", block=False, group="messaging.comment")
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = comment_policy.get_for_user(user=request.user, pk=pk, action="reply")
    back = _next(request, _comment_url(parent.item_id, parent.pk))
    text = request.POST.get("body", "")
    htmx = getattr(request, "htmx", False)
    if getattr(request, "limited", False):
        if htmx:
            return _thread_response(request, parent, error=LIMITED, text=text)
        return _limited(request, back)
    try:
        services.comment_post(
            item=parent.item,
            workshop=parent.workshop,
            author=request.user,
            body=text,
            parent=parent,
        )
    except ValidationError as error:
        if htmx:
            return _thread_response(request, parent, error=" ".join(error.messages), text=text)
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if htmx:
        return _thread_response(request, parent)
    return redirect(back)


@login_required
@require_POST
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = comment_policy.get_for_user(user=request.user, pk=pk, action="report")
    services.comment_report(comment=comment, by=request.user, reason=request.POST.get("reason", ""))
    thanks = _("Thank you. A moderator will look at this comment.")
    if getattr(request, "htmx", False):
        return _thread_response(request, comment, notice=thanks)
    messages.success(request, thanks)
    return redirect(_next(request, _comment_url(comment.item_id, comment.pk)))


@login_required
@require_POST
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = comment_policy.get_for_user(user=request.user, pk=pk, action="moderate")
    action = request.POST.get("action", "")
    if action == "hide":
        services.comment_hide(comment=comment, by=request.user)
    elif action == "show":
        services.comment_hide(comment=comment, by=request.user, hide=False)
    elif action == "delete":
        services.comment_delete(comment=comment, by=request.user)
    elif action == "dismiss":
        services.comment_dismiss_reports(comment=comment, by=request.user)
    else:
        return HttpResponse(_("Unknown action."), status=400)
    if getattr(request, "htmx", False):
        return _thread_response(request, comment)
    return redirect(_next(request, reverse("messaging:moderation")))


@login_required
@require_GET
def moderation(request: HttpRequest) -> HttpResponse:
    """Comments in the cohorts the user moderates, newest first with reported ones on top
    (to answer learners' questions and act on reports)."""
    if not moderated_workshops(request.user).exists():
        raise PermissionDenied
    rows = (
        comment_policy.instances_user_has_permission_for(request.user, "moderate")
        .filter(deleted_at__isnull=True)
        .select_related("author__person", "item", "workshop")
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
    )
    reported_only = request.GET.get("show") == "reported"
    if reported_only:
        rows = rows.filter(Q(open_reports__gt=0) | Q(hidden_at__isnull=False))
    context = paginate(request, rows.order_by("-open_reports", "-created_at", "-id"))
    for comment in context["object_list"]:
        comment.name = services.display_name(comment.author)
    context["reported_only"] = reported_only
    return render(request, "messaging/moderation.html", context)
