"""Reading pages the way a browser would: with a real HTML5 parser."""

from __future__ import annotations

import re

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"


def parse(response_or_text):
    text = response_or_text
    if hasattr(response_or_text, "content"):
        text = response_or_text.content.decode()
    return html5lib.parse(text, namespaceHTMLElements=True)


def elements(tree, tag: str):
    return list(tree.iter(f"{NS}{tag}"))


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def links(tree) -> list[tuple[str, str]]:
    return [(a.get("href", ""), text_of(a)) for a in elements(tree, "a")]


def has_urgent_help_link(response) -> bool:
    return ("/help/urgent/", "Urgent help") in links(parse(response))


def without_csrf(response) -> bytes:
    """The page without its CSRF token, which differs on every response by design."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)


# What member text must never become, wherever it is shown.
NEVER_FROM_MEMBERS = {"style", "iframe", "object", "embed", "frame", "frameset", "applet", "base",
                      "template", "link", "meta", "noscript", "audio", "video", "source"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "srcset",
                  "ping", "cite", "xlink:href"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


def _url_scheme_is_safe(value: str) -> bool:
    """As a browser reads a URL: whitespace and control characters inside the scheme ignored."""
    squeezed = "".join(ch for ch in value if ord(ch) > 32).lower()
    return not squeezed.startswith(SCRIPT_SCHEMES)


def _local(name: str) -> str:
    namespace, _, local = name.rpartition("}")
    return f"xlink:{local}" if "xlink" in namespace else local.lower()


def assert_page_inert(tree, where: str = "") -> None:
    """Nothing in the page runs or loads from elsewhere: no script but Harbour's own module
    files, no event-handler or style attributes, no script-scheme URLs, no SVG or MathML, and in
    the body none of the elements that embed, restyle or redirect a page; images only Harbour's."""
    head = tree.find(f"{NS}head")
    body = tree.find(f"{NS}body")
    for element in head.iter() if head is not None else ():
        if isinstance(element.tag, str):
            _assert_harbours_own_head_element(element, where)
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag.startswith(NS), f"{element.tag} (SVG or MathML) in {where}"
        tag = element.tag[len(NS):]
        assert tag not in NEVER_FROM_MEMBERS, f"<{tag}> in {where}"
        if tag == "script":
            assert element.get("src", "").startswith("/static/") and not (element.text or "") \
                .strip(), f"a script that isn't Harbour's in {where}"
        if tag == "img":
            assert element.get("src", "").startswith(("/static/", "/media/")), \
                f"an image from elsewhere in {where}: {element.get('src')}"
        if tag == "form":
            action = element.get("action", "")
            local_action = action.startswith(("/", "?")) and not action.startswith(("//", "/\\"))
            assert action == "" or local_action, f"a form posting elsewhere in {where}: {action}"
        for name, value in element.attrib.items():
            local = _local(name)
            assert not local.startswith("on"), f"{local}= in {where}"
            assert local not in {"style", "srcdoc", "formaction"}, f"{local}= in {where}"
            if local in URL_ATTRIBUTES:
                assert _url_scheme_is_safe(value), f"{local}={value!r} in {where}"


def _assert_harbours_own_head_element(element, where: str) -> None:
    """The head holds only what base.html puts there: its title, meta charset and viewport,
    Harbour's stylesheets and icon, and its module scripts."""
    tag = element.tag[len(NS):] if element.tag.startswith(NS) else element.tag
    assert tag in {"head", "title", "meta", "link", "script"}, f"<{tag}> in the head of {where}"
    for name in element.attrib:
        assert not _local(name).startswith("on"), f"{name}= in the head of {where}"
    if tag == "meta":
        assert set(element.attrib) <= {"charset", "name", "content"}, \
            f"a meta {dict(element.attrib)} in the head of {where}"
    if tag in {"link", "script"}:
        source = element.get("href" if tag == "link" else "src", "")
        assert source.startswith("/static/") and not (element.text or "").strip(), \
            f"a {tag} that isn't Harbour's in the head of {where}: {source}"


def assert_fragment_inert(html: str, where: str = "") -> None:
    """The same, for a fragment of HTML a live event carries (a Wall message)."""
    assert_page_inert(html5lib.parse(f"<!doctype html><title>t</title><body>{html}"), where)
