"""Member-written Markdown renders to HTML that can run nothing, whatever is typed."""

import re

import pytest

from community.markup import render_markdown, sanitise_html
from tests.html import NS, parse

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "<object data=x></object><embed src=x>",
    "<form action=https://evil.example><button>go</button></form>",
    "<!--<script>alert(1)//-->",
    "<p title='</p><script>alert(1)</script>'>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "> <script>alert(1)</script>",
    "<details open ontoggle=alert(1)>",
    "[x](https://ok.example \"title\" onmouseover=alert(1))",
    '<a href="https://ok.example/" style="position:fixed">x</a>',
    "<base href=https://evil.example/>",
    "<meta http-equiv=refresh content=0;url=https://evil.example>",
    "<table><tr><td><img src=x onerror=alert(1)></td></tr></table>",
    "unclosed <b <i <script",
    "\x00<script>alert(1)</script>",
    "[](>vbscript:)",  # found by Hypothesis: renders as the harmless relative link %3Evbscript:
]
# A browser strips these from both ends of a URL before reading its scheme.
C0_AND_SPACE = "".join(map(chr, range(0x21)))
FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "img", "form", "base", "meta",
    "link", "details", "table", "input", "button",
}


def assert_nothing_executable(html: str):
    tree = parse(f"<!DOCTYPE html><html><body>{html}</body></html>")
    body = tree.find(f"{NS}body")
    for element in body.iter():
        tag = element.tag.split("}")[-1] if isinstance(element.tag, str) else ""
        assert tag not in FORBIDDEN_ELEMENTS, f"<{tag}> in {html!r}"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{name} in {html!r}"
            assert name.lower() != "style", f"style attribute in {html!r}"
            if name.lower() in {"href", "src", "action", "formaction"}:
                assert url_scheme(value) in {"", "http", "https", "mailto"}, (
                    f"{value!r} in {html!r}")


def url_scheme(value: str) -> str:
    """The scheme a browser reads in a link, by the URL standard: it strips C0 controls and
    spaces from both ends and drops every tab and newline, and a scheme starts with a letter;
    anything else (`%3Evbscript:`, say) is a relative link, with no scheme of its own."""
    url = re.sub(r"[\t\n\r]", "", value.strip(C0_AND_SPACE))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return scheme.group(1).lower() if scheme else ""


@pytest.mark.parametrize(("href", "scheme"), [
    ("javascript:alert(1)", "javascript"),
    (" JavaScript:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"),
    ("\x01vbscript:msgbox(1)", "vbscript"),
    ("https://ok.example/", "https"),
    ("%3Evbscript:", ""),
    ("/forums/", ""),
])
def test_links_are_judged_by_the_scheme_a_browser_reads(href, scheme):
    assert url_scheme(href) == scheme


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_renders_nothing_executable(text):
    assert_nothing_executable(render_markdown(text))


def test_raw_html_is_shown_as_text_not_dropped():
    """What is refused as markup stays visible, so nobody's words silently vanish."""
    html = render_markdown("I typed <script>alert(1)</script> and <b>bold</b>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_ordinary_markdown_keeps_its_meaning():
    html = render_markdown("Hello *there* and **welcome**.\nNew line\n\n> a quote\n\n- one\n- two")
    assert "<em>there</em>" in html
    assert "<strong>welcome</strong>" in html
    assert "<br" in html
    assert "<blockquote>" in html
    assert "<li>one</li>" in html


def test_links_are_limited_and_marked_as_user_content():
    html = render_markdown("[NHS](https://www.nhs.uk/) and mail [me](mailto:a@example.org)")
    assert 'href="https://www.nhs.uk/"' in html
    assert 'href="mailto:a@example.org"' in html
    assert html.count('rel="nofollow ugc noopener"') == 2


def test_bare_urls_become_links_but_not_in_code():
    html = render_markdown("See https://www.nhs.uk/mental-health/ today\n\n`https://x.example/`")
    assert '<a href="https://www.nhs.uk/mental-health/" rel="nofollow ugc noopener">' in html
    assert "<code>https://x.example/</code>" in html


def test_headings_become_plain_text_and_images_become_links():
    html = render_markdown("# Big shout\n\n![a picture](https://x.example/p.png)")
    assert "<h1" not in html and "<img" not in html
    assert "Big shout" in html
    assert '<a href="https://x.example/p.png" rel="nofollow ugc noopener">a picture</a>' in html


def test_sanitising_rendered_text_again_changes_nothing():
    html = render_markdown("Some *text* with <b>tags</b>, a & b, \"quotes\" and https://x.example")
    assert sanitise_html(html) == html
    assert sanitise_html("<p onclick=\"x()\">hi<script>y()</script></p>") == "<p>hiy()</p>"


def test_empty_input():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
