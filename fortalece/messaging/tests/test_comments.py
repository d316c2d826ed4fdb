import pytest
from django.urls import reverse

from fortalece.core.testing import client_for
from fortalece.messaging.models import Comment, CommentReport

pytestmark = pytest.mark.django_db

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
