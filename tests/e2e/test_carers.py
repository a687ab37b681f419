"""Journey 5, in a real browser: a carer sees the carers' resources and spaces, and nothing of
the members-only spaces (which answer "page not found", as if they did not exist)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from community import library
from community.models import Resource
from forums import services as forum_services
from forums.models import Category
from tests.e2e.conftest import audit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e, pytest.mark.server]


def publish(author, title: str, audience: str, spaces=()) -> Resource:
    resource = Resource(author=author, kind=Resource.Kind.ARTICLE, audience=audience, title=title,
                        summary=f"About {title.lower()}.", body=f"{title}: a short article.")
    library.resource_save(resource=resource, editor=None, publish=True)
    resource.spaces.set(spaces)
    return resource


@pytest.fixture
def two_sides(people, talking, carers_space):
    """Each space with a forum category and a thread, and library resources for everyone, for
    carers and for the members' space only."""
    for space, name, title in ((talking, "Members' lounge", "After my last CBT session"),
                               (carers_space, "Carers' corner", "Looking after myself too")):
        category = Category.objects.create(space=space, name=name, slug=space.slug[:20])
        forum_services.thread_create(author=people["clinician"], category=category, title=title,
                                     body="Share how it's going.")
    clinician = people["clinician"]
    publish(clinician, "Sleep and mood", Resource.Audience.EVERYONE)
    publish(clinician, "Caring without burning out", Resource.Audience.CARERS, [carers_space])
    publish(clinician, "Your CBT toolkit", Resource.Audience.SPACES, [talking])


def test_a_carer_sees_the_carers_side_and_none_of_the_members_only_spaces(
        open_browser, people, two_sides):
    page = open_browser(people["carer"])
    page.goto("/")
    spaces = page.locator("main")
    expect(spaces.get_by_role("link", name="Relatives and Carers", exact=True)).to_be_visible()
    expect(page.get_by_text("Talking Therapies")).to_have_count(0)
    expect(page.get_by_text("After my last CBT session")).to_have_count(0)
    audit(page, "carer-home")

    page.get_by_role("link", name="Relatives and Carers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relatives and Carers")
    audit(page, "carer-space")

    page.get_by_role("link", name="Forums", exact=True).click()
    expect(page.get_by_role("link", name="Carers' corner")).to_be_visible()
    expect(page.get_by_text("Members' lounge")).to_have_count(0)
    expect(page.get_by_text("Talking Therapies")).to_have_count(0)
    audit(page, "carer-forums")
    page.get_by_role("link", name="Carers' corner").click()
    expect(page.get_by_role("link", name="Looking after myself too")).to_be_visible()
    audit(page, "carer-category")

    page.get_by_role("link", name="Library", exact=True).click()
    expect(page.get_by_role("link", name="Caring without burning out")).to_be_visible()
    expect(page.get_by_role("link", name="Sleep and mood")).to_be_visible()
    expect(page.get_by_text("Your CBT toolkit")).to_have_count(0)
    audit(page, "carer-library")
    page.get_by_role("link", name="Caring without burning out").click()
    expect(page.get_by_text("Caring without burning out: a short article.")).to_be_visible()
    audit(page, "library-resource")

    # The members' space, its Wall and its forum answer as if they did not exist (the server
    # runs in development mode, so the page is Django's "not found" page, not Harbour's).
    for address in ("/spaces/talking-therapies/", "/spaces/talking-therapies/wall/",
                    "/forums/talking-therapies/talking-therapies/"):
        response = page.goto(address)
        assert response.status == 404, address
        expect(page.get_by_text("Talking Therapies")).to_have_count(0)
        expect(page.get_by_text("After my last CBT session")).to_have_count(0)

    page.console_errors.clear()  # the three 404s above, logged by the browser

    # The carers' own Wall is theirs.
    page.goto("/spaces/relatives-and-carers/wall/")
    expect(page.locator("#wall-connection")).to_have_text("Connection: live")
    audit(page, "carer-wall")
    assert not page.console_errors, page.console_errors
