"""Rich text: what is stored is sanitised; video links become safe embeds."""

from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fortalece.learning.richtext import FRAME_SOURCES, render, sanitise, video_embed

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="//evil.example/">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<svg onload="alert(1)"></svg>',
    '<img src="https://tracker.example/p.gif">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<form action="https://evil.example"><input name=a></form>',
]


def _assert_inert(html: str) -> None:
    lowered = html.lower()
    for bad in ("<script", "onerror", "onload", "javascript:", "<iframe", "style=", "<svg",
                "tracker.example", "data:text", "<form", "<input", "//evil"):  # fmt: skip
        assert bad not in lowered, (bad, html)


def test_sanitise_removes_every_known_attack():
    for attack in ATTACKS:
        _assert_inert(sanitise(f"<p>ok</p>{attack}"))


def test_sanitise_keeps_lesson_formatting():
    html = (
        "<h2>Título</h2><h3>Sub</h3><ul><li>uno</li></ul><ol><li>dos</li></ol>"
        '<p><strong>a</strong> <em>b</em> <a href="https://www.gob.mx/">gob</a></p>'
        '<img src="/learning/resources/3/" alt="diagrama"><blockquote>cita</blockquote>'
    )
    cleaned = sanitise(html)
    for kept in ("<h2>", "<h3>", "<ul>", "<ol>", "<strong>", "<em>", 'href="https://www.gob.mx/"',
                 'src="/learning/resources/3/"', "<blockquote>"):  # fmt: skip
        assert kept in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned
    assert sanitise("<p></p>") == ""


def test_video_links_become_embeds_of_the_validated_id_only():
    assert video_embed("https://www.youtube.com/watch?v=dQw4w9WgXcQ") == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    assert video_embed("https://youtu.be/dQw4w9WgXcQ?t=3").endswith("/embed/dQw4w9WgXcQ")
    assert video_embed("https://vimeo.com/76979871") == (
        "https://player.vimeo.com/video/76979871?dnt=1"
    )
    for bad in (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload%3D",
        "javascript:alert(1)",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/abc",
    ):
        assert video_embed(bad) is None, bad


def test_render_embeds_a_lone_video_link_and_escapes_its_title():
    html, embedded = render(
        '<p><a href="https://youtu.be/dQw4w9WgXcQ">Mira "esto" &lt;b&gt;</a></p>'
    )
    assert embedded
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'title="Mira &quot;esto&quot; &lt;b&gt;"' in html
    plain, embedded = render('<p>Ver <a href="https://youtu.be/dQw4w9WgXcQ">aquí</a></p>')
    assert not embedded and "<iframe" not in plain


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "object", "embed", "form", "input", "svg", "math"):
            self.problems.append(tag)
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.problems.append(name)
            if name in ("href", "src") and value.startswith(("javascript:", "data:", "//")):
                self.problems.append(value)
        if tag == "iframe" and not dict(attrs).get("src", "").startswith(FRAME_SOURCES):
            self.problems.append("iframe")


# The machine running the suite may be busy: slow generation is not a failure.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_no_input_renders_a_script_handler_or_foreign_frame(text):
    for source in (text, f"<p>{text}</p>", f'<p><a href="{text}">{text}</a></p>'):
        html, _ = render(sanitise(source))
        parser = _Tags()
        parser.feed(html)
        assert not parser.problems, (source, html)


def test_lesson_images_load_lazily():
    html, _ = render('<p><img src="/learning/resources/3/" alt="Mapa"></p>')
    assert '<img loading="lazy" decoding="async" src="/learning/resources/3/" alt="Mapa">' in html
    assert "loading" not in sanitise('<p><img src="/a.png" loading="eager"></p>')
