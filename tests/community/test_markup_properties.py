"""Properties of the markup function, over generated text: the output can never run anything,
and rendering is stable (the same text always gives the same HTML)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.markup import render_markdown
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
def test_rendering_is_stable(text):
    assert render_markdown(text) == render_markdown(text)


@settings(max_examples=200, deadline=None)
@given(st.one_of(TRICKY, st.text(max_size=300)))
def test_sanitised_output_survives_a_second_sanitising_unchanged_in_safety(text):
    """Feeding the output back in (as if someone pasted it) still renders nothing executable."""
    assert_nothing_executable(render_markdown(str(render_markdown(text))))
