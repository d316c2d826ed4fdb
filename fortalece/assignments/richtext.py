"""Instructions are rich text stored sanitised: the same nh3 rules as lessons
(``learning/richtext.py``: headings, lists, links, local images, quotes; no scripts, styles,
event handlers, ``javascript:`` URLs or frames), so authors meet one editor and one rule."""

from fortalece.learning.richtext import sanitise

__all__ = ["sanitise"]
