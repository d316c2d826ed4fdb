"""Rich text of lessons: sanitised with nh3 on write, video links embedded on read.

Pure: imports nothing from Django. Stored HTML only ever holds what ``sanitise`` lets
through; ``render`` turns a paragraph that is nothing but a YouTube or Vimeo link into a
privacy-friendly embed (youtube-nocookie, Vimeo with dnt) built from the validated video id —
never from the author's markup.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import nh3

TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "u", "s", "sub", "sup", "blockquote", "hr",
    "ul", "ol", "li", "a", "img", "figure", "figcaption", "code", "pre",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Images come from our own server only (the CSP allows nothing else): resources of the course.
LOCAL_PATH = re.compile(r"^/[A-Za-z0-9/_\-.]*$")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if LOCAL_PATH.match(value) and not value.startswith("//") else None
    if tag == "a" and attribute == "href" and value.startswith("//"):
        return None
    return value


_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    attribute_filter=_filter,
    strip_comments=True,
)
_EMPTY = re.compile(r"^\s*(<p>\s*(<br>)?\s*</p>\s*)*$")


def sanitise(value: str) -> str:
    """The HTML we store: headings, lists, links, local images, quotes; nothing else."""
    cleaned = _cleaner.clean(value or "")
    return "" if _EMPTY.match(cleaned) else cleaned


YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{1,12}$")


def video_embed(url: str) -> str | None:
    """The embed address of a YouTube or Vimeo watch link, or None if it is not one."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.strip("/").split("/")
    video = ""
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path[0] == "watch":
            video = (parse_qs(parts.query).get("v") or [""])[0]
        elif path[0] in ("embed", "shorts", "live") and len(path) > 1:
            video = path[1]
    elif host == "youtu.be":
        video = path[0]
    elif host == "vimeo.com" and path and VIMEO_ID.match(path[-1]):
        return f"https://player.vimeo.com/video/{path[-1]}?dnt=1"
    elif host == "player.vimeo.com" and len(path) == 2 and path[0] == "video":
        if VIMEO_ID.match(path[1]):
            return f"https://player.vimeo.com/video/{path[1]}?dnt=1"
    if video and YOUTUBE_ID.match(video):
        return f"https://www.youtube-nocookie.com/embed/{video}"
    return None


# Hosts the lesson page's CSP lets frames come from (frame-src).
FRAME_SOURCES = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
_IMG = re.compile(r"<img ")
_LONE_LINK = re.compile(r'<p>\s*<a href="([^"]+)"[^>]*>([^<]*)</a>\s*</p>')


def render(stored: str, *, video_title: str = "Video") -> tuple[str, bool]:
    """Sanitise again (defence in depth) and embed lone video links.

    Returns the HTML and whether it holds an embed (the page then allows frames from
    ``FRAME_SOURCES``). The link stays under the frame for people who cannot load it.
    """
    safe = sanitise(stored)
    embedded = False

    def replace(match: re.Match[str]) -> str:
        nonlocal embedded
        href = html.unescape(match.group(1))
        embed = video_embed(href)
        if embed is None:
            return match.group(0)
        embedded = True
        label = html.escape(html.unescape(match.group(2)).strip() or video_title)
        return (
            '<figure class="video"><div class="video__frame">'
            f'<iframe src="{html.escape(embed)}" title="{label}" loading="lazy" '
            'allow="fullscreen; picture-in-picture" referrerpolicy="strict-origin" '
            'sandbox="allow-scripts allow-same-origin allow-presentation"></iframe></div>'
            f"<figcaption>{match.group(0)[3:-4]}</figcaption></figure>"
        )

    # Images load when they come into view, never wider than the screen (learning.css).
    safe = _IMG.sub('<img loading="lazy" decoding="async" ', safe)
    return _LONE_LINK.sub(replace, safe), embedded
