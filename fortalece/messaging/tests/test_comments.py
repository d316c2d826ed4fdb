import pytest
from django.urls import reverse

from fortalece.core.testing import client_for
from fortalece.messaging.models import Comment, CommentReport

pytestmark = pytest.mark.django_db

# The lesson page: session, user, scope, enrolment, progress seen (read and written), the
# course outline with its resources and progress, the bell, moderator or not, comments (three);
# no session write (SessionRefreshMiddleware: saved at most once a minute).
LESSON_QUERIES = 18
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _post(client, item, body, **extra):
    return client.post(reverse("messaging:comment_post", args=[item.pk]), {"body": body}, **extra)


def test_learner_comments_on_a_lesson_without_javascript(online):
    client = client_for(online.users["learner"])
    response = _post(client, online.lesson, "¿La guía aplica en Michoacán?")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/learning/take/items/{online.lesson.pk}/#comments")
    comment = Comment.objects.get()
    assert comment.workshop == online.workshop and comment.author == online.users["learner"]
    page = client.get(reverse("learning:item", args=[online.lesson.pk])).content.decode()
    assert "¿La guía aplica en Michoacán?" in page
    assert 'id="comments"' in page


def test_htmx_post_returns_the_comments_block(online):
    client = client_for(online.users["learner"])
    response = _post(client, online.lesson, "Hola", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="comments"') and "Hola" in html


def test_comments_stay_within_the_cohort(online):
    _post(client_for(online.users["learner"]), online.lesson, "Solo mi cohorte")
    other = client_for(online.users["other_learner"])
    page = other.get(reverse("learning:item", args=[online.lesson.pk])).content.decode()
    assert "Solo mi cohorte" not in page
    comment = Comment.objects.get()
    for url in ("comment_reply", "comment_report"):
        assert (
            other.post(reverse(f"messaging:{url}", args=[comment.pk]), {"body": "x"}).status_code
            == 404
        )
    assert (
        client_for(online.users["other_trainer"])
        .post(reverse("messaging:comment_moderate", args=[comment.pk]), {"action": "delete"})
        .status_code
        == 404
    )
    assert Comment.objects.count() == 1 and Comment.objects.get().deleted_at is None


def test_not_enrolled_cannot_comment(online):
    assert _post(client_for(online.users["manager"]), online.lesson, "x").status_code == 404
    assert not Comment.objects.exists()


def test_comment_script_is_escaped(online):
    client = client_for(online.users["learner"])
    _post(client, online.lesson, XSS)
    assert Comment.objects.get().body == XSS  # stored as typed …
    page = client.get(reverse("learning:item", args=[online.lesson.pk])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page  # … never run
    assert "&lt;script&gt;alert" in page
    moderation = client_for(online.users["trainer"]).get(
        reverse("messaging:moderation") + "?show=all"
    )
    assert "<script>alert" not in moderation.content.decode()


def test_reply_report_hide_delete(online):
    learner, trainer = client_for(online.users["learner"]), client_for(online.users["trainer"])
    _post(learner, online.lesson, "Pregunta")
    comment = Comment.objects.get()
    assert (
        trainer.post(
            reverse("messaging:comment_reply", args=[comment.pk]), {"body": "Respuesta"}
        ).status_code
        == 302
    )
    reply = Comment.objects.get(parent=comment)
    assert reply.author == online.users["trainer"]
    from fortalece.messaging.models import Kind, Notification

    notice = Notification.objects.get(recipient=online.users["learner"], kind=Kind.MESSAGE)
    assert notice.url.endswith(f"#comment-{reply.pk}")
    # The learner reports the trainer's reply; moderators see it in their queue.
    assert (
        learner.post(
            reverse("messaging:comment_report", args=[reply.pk]), {"reason": "spam"}
        ).status_code
        == 302
    )
    assert CommentReport.objects.get().comment == reply
    queue = trainer.get(reverse("messaging:moderation")).content.decode()
    assert "Respuesta" in queue
    # A learner is no moderator.
    assert (
        learner.post(
            reverse("messaging:comment_moderate", args=[comment.pk]), {"action": "hide"}
        ).status_code
        == 403
    )
    assert (
        trainer.post(
            reverse("messaging:comment_moderate", args=[reply.pk]), {"action": "hide"}
        ).status_code
        == 302
    )
    reply.refresh_from_db()
    assert reply.hidden_at is not None and CommentReport.objects.get().resolved_at is not None
    page = learner.get(reverse("learning:item", args=[online.lesson.pk])).content.decode()
    assert "Respuesta" not in page  # hidden from the cohort
    assert (
        trainer.post(
            reverse("messaging:comment_moderate", args=[comment.pk]), {"action": "delete"}
        ).status_code
        == 302
    )
    comment.refresh_from_db()
    assert comment.deleted_at is not None and comment.body == ""


def test_nobody_reports_their_own_comment(online):
    learner = client_for(online.users["learner"])
    _post(learner, online.lesson, "Mío")
    comment = Comment.objects.get()
    assert learner.post(reverse("messaging:comment_report", args=[comment.pk])).status_code == 403


def test_comment_rate_limit_keeps_the_text(online, settings):
    settings.FORTALECE_COMMENT_RATE = "2/m"
    client = client_for(online.users["learner"])
    assert _post(client, online.lesson, "uno").status_code == 302
    assert _post(client, online.lesson, "dos").status_code == 302
    limited = _post(client, online.lesson, "tres, que no quiero perder")
    assert limited.status_code == 429
    html = limited.content.decode()
    assert "tres, que no quiero perder" in html
    assert "too fast" in html or "demasiado rápido" in html
    assert Comment.objects.count() == 2
    htmx = _post(client, online.lesson, "cuatro", HTTP_HX_REQUEST="true")
    assert "cuatro" in htmx.content.decode() and Comment.objects.count() == 2


def test_moderation_queue_shows_the_cohorts_comments_and_takes_replies(online):
    _post(client_for(online.users["learner"]), online.lesson, "¿Dónde está la guía?")
    comment = Comment.objects.get()
    trainer = client_for(online.users["trainer"])
    queue = trainer.get(reverse("messaging:moderation"))
    assert "¿Dónde está la guía?" in queue.content.decode()
    reported = trainer.get(reverse("messaging:moderation") + "?show=reported")
    assert "¿Dónde está la guía?" not in reported.content.decode()
    other = client_for(online.users["other_trainer"]).get(reverse("messaging:moderation"))
    assert "¿Dónde está la guía?" not in other.content.decode()
    assert (
        client_for(online.users["learner"]).get(reverse("messaging:moderation")).status_code == 403
    )
    response = trainer.post(
        reverse("messaging:comment_reply", args=[comment.pk]),
        {"body": "En el módulo 1", "next": reverse("messaging:moderation")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("messaging:moderation")
    assert Comment.objects.filter(parent=comment, author=online.users["trainer"]).exists()


# --- pages of comments ----------------------------------------------------------------------


def _threads(online, count, *, replies_each=1):
    """``count`` threads on the lesson, the last one newest, each with replies; created
    minutes apart so the order is plain."""
    import datetime

    from django.utils import timezone

    start = timezone.now() - datetime.timedelta(days=1)
    learner, trainer = online.users["learner"], online.users["trainer"]
    top = Comment.objects.bulk_create(
        Comment(item=online.lesson, workshop=online.workshop, author=learner, body=f"Hilo {n}")
        for n in range(count)
    )
    replies = Comment.objects.bulk_create(
        Comment(
            item=online.lesson,
            workshop=online.workshop,
            author=trainer,
            parent=parent,
            body=f"Respuesta {k} al hilo {n}",
        )
        for n, parent in enumerate(top)
        for k in range(replies_each)
    )
    for n, comment in enumerate(top):
        comment.created_at = start + datetime.timedelta(minutes=10 * n)
    for n, comment in enumerate(replies):
        comment.created_at = comment.parent.created_at + datetime.timedelta(minutes=1 + n % 5)
    Comment.objects.bulk_update([*top, *replies], ["created_at"])
    return top


def _lesson(client, online, query=""):
    url = reverse("learning:item", args=[online.lesson.pk]) + query
    return client.get(url).content.decode()


def _shown(html):
    import re

    return [int(n) for n in re.findall(r'<div class="post__body">Hilo (\d+)</div>', html)]


def test_lesson_shows_newest_threads_first_a_page_at_a_time_with_their_replies(online):
    from fortalece.messaging.selectors import THREADS_PER_PAGE

    _threads(online, THREADS_PER_PAGE * 2 + 5)
    client = client_for(online.users["learner"])
    first = _lesson(client, online)
    newest = THREADS_PER_PAGE * 2 + 4
    assert _shown(first) == list(range(newest, newest - THREADS_PER_PAGE, -1))
    assert f"Respuesta 0 al hilo {newest}" in first  # replies stay with their thread
    assert "Hilo 4<" not in first and "Respuesta 0 al hilo 4<" not in first
    lesson = reverse("learning:item", args=[online.lesson.pk])
    assert f'href="{lesson}?comments=2#comments"' in first  # works without JavaScript
    assert "Newer comments" not in first and "Comentarios más recientes" not in first
    # The count is of every comment the cohort can read, not of this page's.
    assert "90 comments" in first or "90 comentarios" in first
    last = _lesson(client, online, "?comments=3")
    assert _shown(last) == [4, 3, 2, 1, 0]
    assert "Respuesta 0 al hilo 0" in last
    assert f'href="{lesson}?comments=2#comments"' in last  # back to newer ones
    assert "?comments=4" not in last
    # A page past the end, or no number at all, is the nearest page, never an error.
    assert _shown(_lesson(client, online, "?comments=99")) == [4, 3, 2, 1, 0]
    assert _shown(_lesson(client, online, "?comments=²")) == _shown(first)


def test_a_link_to_a_comment_opens_the_page_holding_its_thread(online):
    top = _threads(online, 45)
    reply = Comment.objects.get(parent=top[3])
    client = client_for(online.users["learner"])
    html = _lesson(client, online, f"?comment={reply.pk}")
    assert f'id="comment-{reply.pk}"' in html and _shown(html) == [4, 3, 2, 1, 0]
    assert _shown(_lesson(client, online, f"?comment={top[44].pk}"))[0] == 44
    # Someone else's cohort's comment id finds nothing: the first page.
    assert _shown(_lesson(client, online, "?comment=999999"))[0] == 44


@pytest.mark.parametrize("threads", [3, 60])
def test_lesson_page_runs_a_fixed_number_of_queries(online, threads, django_assert_num_queries):
    _threads(online, threads, replies_each=2)
    client = client_for(online.users["learner"])
    url = reverse("learning:item", args=[online.lesson.pk])
    client.get(url)  # the first visit records progress; count a later one
    with django_assert_num_queries(LESSON_QUERIES):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(LESSON_QUERIES):
        assert client.get(url + "?comments=2").status_code == 200


def test_htmx_show_more_appends_the_next_page_and_moves_the_link_on(online):
    from fortalece.messaging.selectors import THREADS_PER_PAGE

    _threads(online, THREADS_PER_PAGE * 2 + 5)
    client = client_for(online.users["learner"])
    more = reverse("messaging:comment_list", args=[online.lesson.pk])
    first = _lesson(client, online)
    assert f'hx-get="{more}?comments=2"' in first
    html = client.get(more + "?comments=2", HTTP_HX_REQUEST="true").content.decode()
    assert html.startswith('<ol hx-swap-oob="beforeend:#comment-list">')
    assert _shown(html) == list(range(24, 4, -1))
    assert f'hx-get="{more}?comments=3"' in html and 'id="comments-more"' in html
    html = client.get(more + "?comments=3", HTTP_HX_REQUEST="true").content.decode()
    assert _shown(html) == [4, 3, 2, 1, 0] and 'id="comments-more"' not in html
    # Without htmx the address is the lesson page's own page of comments.
    plain = client.get(more + "?comments=3")
    assert plain.status_code == 302
    assert plain["Location"] == reverse("learning:item", args=[online.lesson.pk]) + "?comments=3"
    # Only a learner of the course, and only their own cohort's comments.
    assert (
        client_for(online.users["manager"])
        .get(more + "?comments=2", HTTP_HX_REQUEST="true")
        .status_code
        == 404
    )
    other = client_for(online.users["other_learner"]).get(more, HTTP_HX_REQUEST="true")
    assert "Hilo" not in other.content.decode()


def test_moderation_and_reports_work_on_a_later_page(online):
    top = _threads(online, 45)
    old, reply = top[2], Comment.objects.get(parent=top[2])
    learner, trainer = client_for(online.users["learner"]), client_for(online.users["trainer"])
    page3 = reverse("learning:item", args=[online.lesson.pk]) + "?comments=3"
    assert f'id="comment-{old.pk}"' in _lesson(learner, online, "?comments=3")
    # Without JavaScript: back to the same page, at the same comment.
    hide = reverse("messaging:comment_moderate", args=[old.pk])
    response = trainer.post(hide, {"action": "hide", "next": f"{page3}#comment-{old.pk}"})
    assert response["Location"] == f"{page3}#comment-{old.pk}"
    old.refresh_from_db()
    assert old.hidden_at is not None
    assert f'<li class="post post--hidden" id="comment-{old.pk}"' in _lesson(
        learner, online, "?comments=3"
    )
    # With htmx: the thread alone comes back, to replace itself where it is.
    response = trainer.post(hide, {"action": "show"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith(f'<li class="post" id="comment-{old.pk}"')
    assert "Hilo 2<" in html and "Respuesta 0 al hilo 2" in html
    report = reverse("messaging:comment_report", args=[reply.pk])
    html = learner.post(report, {"reason": "x"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.startswith(f'<li class="post" id="comment-{reply.pk}"')
    assert 'role="status"' in html and CommentReport.objects.filter(comment=reply).exists()
    # A report without JavaScript lands on the page holding the comment.
    other = Comment.objects.get(parent=top[1])
    response = learner.post(reverse("messaging:comment_report", args=[other.pk]))
    assert response["Location"].endswith(f"?comment={other.pk}#comment-{other.pk}")
    assert f'id="comment-{other.pk}"' in learner.get(response["Location"]).content.decode()
    response = trainer.post(
        reverse("messaging:comment_moderate", args=[reply.pk]),
        {"action": "delete"},
        HTTP_HX_REQUEST="true",
    )
    assert "Comment deleted by a moderator." in response.content.decode() or (
        "Comentario eliminado" in response.content.decode()
    )
    reply.refresh_from_db()
    assert reply.deleted_at is not None


def test_htmx_reply_on_a_later_page_returns_its_thread_and_keeps_text_when_limited(
    online, settings
):
    top = _threads(online, 45)
    settings.FORTALECE_COMMENT_RATE = "1/m"
    learner = client_for(online.users["learner"])
    url = reverse("messaging:comment_reply", args=[top[1].pk])
    html = learner.post(url, {"body": XSS}, HTTP_HX_REQUEST="true").content.decode()
    assert html.startswith(f'<li class="post" id="comment-{top[1].pk}"')
    assert "&lt;script&gt;alert" in html and "<script>alert" not in html
    html = learner.post(url, {"body": "no la pierdas"}, HTTP_HX_REQUEST="true").content.decode()
    assert "no la pierdas" in html and 'role="alert"' in html
    assert Comment.objects.filter(parent=top[1]).count() == 2


def test_later_pages_escape_comments(online):
    top = _threads(online, 45)
    Comment.objects.filter(pk=top[0].pk).update(body=XSS)
    client = client_for(online.users["learner"])
    for html in (
        _lesson(client, online, "?comments=3"),
        client.get(
            reverse("messaging:comment_list", args=[online.lesson.pk]) + "?comments=3",
            HTTP_HX_REQUEST="true",
        ).content.decode(),
    ):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html
