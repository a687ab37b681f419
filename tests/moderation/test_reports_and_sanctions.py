"""Reports, out-of-hours thresholds, warnings, suspensions and what a suspended member sees."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from community.models import AuditEntry, Notification
from forums import services as forum_services
from moderation import services
from moderation.models import ContentStatus, Report, ReviewItem, Suspension
from tests.conftest import make_user, message_to_user_group

LONDON = zoneinfo.ZoneInfo("Europe/London")


def reporters(space, count):
    return [make_user("member", f"Reporter {n}", spaces=[space]) for n in range(count)]


def report_post(reporter, post, reason="abusive", note=""):
    return services.report_create(reporter=reporter, reason=reason, note=note,
                                  target_type="forums.post", target_id=post.pk)


def test_reporting_a_post_through_the_page(client_for, people, published_post):
    reader = make_user("member", "Careful Reader", spaces=[published_post.thread.category.space])
    client = client_for(reader)
    url = reverse("moderation:report") + f"?type=forums.post&id={published_post.pk}"
    response = client.post(url, {"reason": "personal", "note": "Shares a phone number"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reason, report.reported_member) == ("personal", people["member"])
    assert report.review_item.kind == ReviewItem.Kind.REPORT
    again = client.post(url, {"reason": "spam"})
    assert again.status_code == 400
    assert "already reported" in again.content.decode()
    assert Report.objects.count() == 1


def test_report_form_errors_keep_the_note(client_for, people, published_post):
    reader = make_user("member", "Careful Reader", spaces=[published_post.thread.category.space])
    url = reverse("moderation:report") + f"?type=forums.post&id={published_post.pk}"
    response = client_for(reader).post(url, {"note": "my note about it"})
    assert response.status_code == 400
    assert "my note about it" in response.content.decode()


def test_reports_need_sight_of_the_item(client_for, people, published_post):
    url = reverse("moderation:report") + f"?type=forums.post&id={published_post.pk}"
    assert client_for(people["carer"]).get(url).status_code == 404
    assert client_for(people["member"]).get(
        reverse("moderation:report") + "?type=forums.post&id=abc").status_code == 404
    assert client_for(people["member"]).get(
        reverse("moderation:report") + "?type=nonsense&id=1").status_code == 404


def test_the_reported_member_never_learns_who_reported(client_for, people, published_post):
    reader = make_user("member", "Secret Reporter", spaces=[published_post.thread.category.space])
    report_post(reader, published_post)
    for url in (reverse("notifications"), reverse("home"),
                reverse("forums:thread", args=[published_post.thread_id])):
        assert "Secret Reporter" not in client_for(people["member"]).get(url).content.decode()


def test_someone_at_risk_reports_are_high_tier(people, published_post):
    reader = make_user("member", "Worried Friend", spaces=[published_post.thread.category.space])
    report = report_post(reader, published_post, reason="at_risk")
    assert report.review_item.tier == "high"


def test_three_reports_out_of_hours_hide_pending_review(people, published_post):
    space = published_post.thread.category.space
    for reporter in reporters(space, 3):
        report_post(reporter, published_post)
    published_post.refresh_from_db()
    assert published_post.status == ContentStatus.HIDDEN
    notice = Notification.objects.get(recipient=people["member"], kind="moderator")
    assert "until a moderator reviews it" in notice.message
    item = ReviewItem.objects.get(target_id=published_post.pk, kind="report")
    assert item.resolved_at is None, "a moderator still confirms or undoes it"
    services.review_item_resolve(item=item, moderator=people["clinician"], action="restore")
    published_post.refresh_from_db()
    assert published_post.status == ContentStatus.PUBLISHED


def test_in_office_hours_with_someone_on_duty_reports_do_not_hide(people, published_post):
    space = published_post.thread.category.space
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=LONDON), tick=False):
        services.duty_start(user=people["volunteer"], space=space)
        for reporter in reporters(space, 3):
            report_post(reporter, published_post)
    published_post.refresh_from_db()
    assert published_post.status == ContentStatus.PUBLISHED


def test_five_reported_items_in_a_day_pause_the_member(people, staying_well, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    space = staying_well.space
    posts = [forum_services.thread_create(author=people["member"], category=staying_well,
                                          title=f"T{n}", body=f"text {n}").posts.get()
             for n in range(5)]
    first, second = reporters(space, 2)
    for post in posts[:4]:
        report_post(first, post)
    assert not Suspension.objects.filter(user=people["member"]).exists()
    report_post(second, posts[4])
    suspension = Suspension.objects.get(user=people["member"])
    assert suspension.pending_review and suspension.ends_at is None
    assert ReviewItem.objects.filter(kind="member", member=people["member"]).exists()
    services.suspension_lift(suspension=suspension, moderator=people["clinician"],
                             reason="Reviewed: no problem")
    assert not Suspension.objects.in_force().filter(user=people["member"]).exists()


def test_warnings_reach_the_member_privately(people):
    services.member_warn(member=people["member"], moderator=people["volunteer"],
                         reason="Please keep names out of posts.")
    note = Notification.objects.get(recipient=people["member"])
    assert note.message == "Please keep names out of posts."
    with pytest.raises(ValidationError):
        services.member_warn(member=people["member"], moderator=people["volunteer"], reason="")
    with pytest.raises(PermissionDenied):
        services.member_warn(member=people["carer"], moderator=people["member"], reason="x")


def test_suspension_ladder_escalates(people):
    member = people["member"]
    first = services.member_suspend(member=member, moderator=people["clinician"], reason="1")
    assert (first.ends_at - first.starts_at) == timedelta(days=14)
    second = services.member_suspend(member=member, moderator=people["clinician"], reason="2")
    assert (second.ends_at - second.starts_at) == timedelta(days=30)
    third = services.member_suspend(member=member, moderator=people["clinician"], reason="3")
    assert third.ends_at is None
    assert Suspension.objects.in_force().filter(user=member).count() == 1
    assert AuditEntry.objects.filter(action="sanction.suspend").count() == 3


def test_suspended_member_only_reaches_the_explanation_and_urgent_help(client_for, people,
                                                                      published_post):
    services.member_suspend(member=people["member"], moderator=people["clinician"],
                            reason="Repeated personal attacks", days=14)
    client = client_for(people["member"])
    for url in (reverse("home"), reverse("forums:index"),
                reverse("forums:thread", args=[published_post.thread_id])):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("moderation:paused")
    page = client.get(reverse("moderation:paused")).content.decode()
    assert "Repeated personal attacks" in page and "Samaritans" in page
    assert client.get(reverse("urgent_help")).status_code == 200
    blocked = client.post(reverse("forums:reply", args=[published_post.thread_id]),
                          {"body": "Words I was typing"})
    assert blocked.status_code == 403
    assert "Words I was typing" in blocked.content.decode()
    assert client.post(reverse("logout")).status_code == 302


def test_suspension_after_it_ends(client_for, people):
    services.member_suspend(member=people["member"], moderator=people["clinician"],
                            reason="x", days=14)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        client = client_for(people["member"])
        assert client.get(reverse("home")).status_code == 200


def test_suspension_closes_live_connections(people, django_capture_on_commit_callbacks):
    def suspend():
        with django_capture_on_commit_callbacks(execute=True):
            services.member_suspend(member=people["member"], moderator=people["clinician"],
                                    reason="x", days=14)

    assert message_to_user_group(people["member"], suspend) == {"type": "force.disconnect",
                                                                "reason": "suspended"}


def test_the_team_cannot_suspend_each_other(people):
    with pytest.raises(PermissionDenied):
        services.member_suspend(member=people["volunteer"], moderator=people["clinician"],
                                reason="x")


def test_one_reporter_alone_cannot_pause_anyone(people, staying_well, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    posts = [forum_services.thread_create(author=people["member"], category=staying_well,
                                          title=f"T{n}", body=f"text {n}").posts.get()
             for n in range(6)]
    [reporter] = reporters(staying_well.space, 1)
    for post in posts:
        report_post(reporter, post)
    assert not Suspension.objects.filter(user=people["member"]).exists()


def test_the_team_is_never_paused_automatically(people, staying_well, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    posts = [forum_services.thread_create(author=people["volunteer"], category=staying_well,
                                          title=f"T{n}", body=f"text {n}").posts.get()
             for n in range(5)]
    for reporter, post in zip(reporters(staying_well.space, 5), posts, strict=True):
        report_post(reporter, post)
    assert not Suspension.objects.filter(user=people["volunteer"]).exists()


def test_the_member_report_page_needs_a_shared_space(client_for, people):
    url = reverse("moderation:report") + f"?member={people['carer'].pk}"
    response = client_for(people["member"]).get(url)
    assert response.status_code == 404
    assert "Kind Lantern" not in response.content.decode()


def test_claims_are_respected_and_high_risk_needs_a_clinician(people, staying_well, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    from moderation.models import RiskPhrase

    RiskPhrase.objects.get_or_create(phrase="end my life", defaults={"tier": "high"})
    thread = forum_services.thread_create(author=people["member"], category=staying_well,
                                          title="Night", body="I will end my life tonight")
    item = ReviewItem.objects.get(target_id=thread.posts.get().pk)
    services.review_item_claim(item=item, moderator=people["clinician"])
    with pytest.raises(ValidationError, match="working on this"):
        services.review_item_resolve(item=item, moderator=people["peer_supporter"],
                                     action="approve")
    services.review_item_release(item=item, moderator=people["clinician"])
    with pytest.raises(PermissionDenied):
        services.review_item_resolve(item=item, moderator=people["peer_supporter"],
                                     action="approve")
    with pytest.raises(PermissionDenied):
        forum_services.post_approve(post=thread.posts.get(), moderator=people["volunteer"])
    assert thread.posts.get().status == ContentStatus.HELD
    services.review_item_resolve(item=item, moderator=people["clinician"], action="approve")
    assert thread.posts.get().status == ContentStatus.PUBLISHED


@pytest.mark.parametrize("action", ["note", "warn", "suspend", "lift"])
def test_the_team_acts_only_on_members_of_spaces_it_moderates(people, action):
    """The carer holds only the carers' key; the peer supporter moderates talking therapies."""
    carer, clinician = people["carer"], people["clinician"]
    suspension = Suspension.objects.create(user=carer, reason="Earlier", created_by=clinician)
    act = {
        "note": lambda who: services.member_note_add(member=carer, moderator=who, text="Note"),
        "warn": lambda who: services.member_warn(member=carer, moderator=who, reason="Kindly"),
        "suspend": lambda who: services.member_suspend(member=carer, moderator=who,
                                                       reason="Again"),
        "lift": lambda who: services.suspension_lift(suspension=suspension, moderator=who),
    }[action]
    with pytest.raises(Http404):
        act(people["peer_supporter"])
    assert not AuditEntry.objects.filter(actor=people["peer_supporter"]).exists()
    act(clinician)
