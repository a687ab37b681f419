"""Member-written Markdown to safe HTML, for every app.

The Markdown parser escapes raw HTML; the sanitiser then keeps only a small allow-list. The
sanitiser (bleach today) stands behind `render_markdown` alone, so it can be swapped in one place.
"""

from __future__ import annotations

from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "blockquote", "ul", "ol", "li", "a", "code", "pre"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_markdown = (
    MarkdownIt("commonmark", {"html": False, "breaks": True})
    # Headings and rules are not in the allow-list: show their text as ordinary text.
    .disable(["heading", "lheading", "hr", "html_block", "html_inline"])
)


def _image_as_link(renderer, tokens, idx, options, env):
    """Members cannot embed images; an image becomes a link to it, named by its alt text."""
    token = tokens[idx]
    source = token.attrGet("src") or ""
    label = renderer.renderInlineAsText(token.children or [], options, env) or source
    return f'<a href="{escapeHtml(source)}">{escapeHtml(label)}</a>'


_markdown.add_render_rule("image", _image_as_link)


def _set_link_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"})],
)


def sanitise_html(html: str) -> str:
    """Keep only the allow-list of `html`, with its links made safe. Its own output passes
    through it unchanged, so stored HTML can be cleaned again at no risk of drift."""
    return _cleaner.clean(html).strip()


def render_markdown(text: str) -> SafeString:
    """Render member text to HTML that can carry no script, style or frame."""
    return mark_safe(sanitise_html(_markdown.render(text or "")))  # noqa: S308 - sanitised
