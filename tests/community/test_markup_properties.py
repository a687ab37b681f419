"""Properties of the markup function, over generated text: the output can never run anything,
and sanitising it again changes nothing (what was rendered is already a fixed point)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.markup import render_markdown, sanitise_html
from tests.community.test_markup import assert_nothing_executable

# Text built from the pieces markup and HTML care about.
PIECES = list("<>\"'`=/\\&;:()[]!*_#-\n ") + [
    "javascript:", "<script>", "</script>", "onerror=", "data:", "&#x6A;", "](", "<img ",
    "<svg", "<a href=", "style=", "vbscript:", "http://", "www.", "<iframe", "`", "> ",
]
TRICKY = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(TRICKY, st.text(max_size=300)))
def test_output_is_never_executable(text):
    assert_nothing_executable(render_markdown(text))


@settings(max_examples=200, deadline=None)
@given(st.one_of(TRICKY, st.text(max_size=300)))
def test_sanitising_the_output_again_changes_nothing(text):
    html = render_markdown(text)
    assert sanitise_html(html) == html


@settings(max_examples=200, deadline=None)
@given(st.one_of(TRICKY, st.text(max_size=300)))
def test_sanitised_output_survives_a_second_sanitising_unchanged_in_safety(text):
    """Feeding the output back in (as if someone pasted it) still renders nothing executable."""
    assert_nothing_executable(render_markdown(str(render_markdown(text))))
