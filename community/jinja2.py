"""The Jinja2 environment for the few templates rendered with it: the thread page's posts, where
Django's template engine cost more than the rest of the page together (docs/performance.md).

It offers what those templates use of Django's: `url`, `static`, and the `date` filter, which
shows a time in the reader's time zone as Django's own templates do; and two shortcuts for a
page of posts: `id_url`, a link pattern reversed once for many ids, and the `isoformat` filter,
the local time as `date('c')` gives it. Autoescaping is always on, and Django's safe strings (a
post's cleaned HTML) stay unescaped."""

from django.template import engines
from django.template.defaultfilters import date as django_date
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from jinja2 import Environment, StrictUndefined


def render_fragment(request, template_name: str, context: dict) -> SafeString:
    """A Jinja2 template's output, to place in a page Django's engine renders."""
    html = engines["jinja2"].get_template(template_name).render(context, request)
    # This environment escaped everything it was given that was not already safe.
    return mark_safe(html)  # noqa: S308


def local_date(value, format_string):
    return django_date(template_localtime(value), format_string)


def local_isoformat(value) -> str:
    """What `date('c')` gives, without going through Django's formatting for it."""
    return template_localtime(value).isoformat()


# Fits the `id` converter (18 digits at most) and is no other part of any path.
_ID_PLACEHOLDER = "918273645546372819"


def id_url(name: str):
    """`url(name, id)` for any number of ids, from the pattern reversed once: a page of posts
    has dozens of links that differ only in a post's id, and reversing each one was about a
    fifth of the posts' rendering in daphne."""
    before, _, after = reverse(name, args=[_ID_PLACEHOLDER]).partition(_ID_PLACEHOLDER)
    return lambda pk: f"{before}{int(pk)}{after}"


def environment(**options) -> Environment:
    # A name the template misspells fails its tests instead of rendering as nothing.
    options["undefined"] = StrictUndefined
    options.pop("autoescape", None)  # on, whatever the settings say
    env = Environment(autoescape=True, **options)
    env.globals.update(url=lambda name, *args: reverse(name, args=args), id_url=id_url,
                       static=static)
    env.filters.update(date=local_date, isoformat=local_isoformat)
    return env
