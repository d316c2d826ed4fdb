"""Instructions are rich text: sanitised with nh3 on every write, so what is stored is safe to
render. Only formatting, lists, headings, tables and links survive; links get
``rel="noopener noreferrer nofollow"``; scripts, styles, event handlers, ``javascript:`` URLs
and iframes do not."""

import nh3

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "code", "pre",
    "h2", "h3", "h4", "ul", "ol", "li", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}


def sanitise(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
