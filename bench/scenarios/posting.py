"""Posting while `watchers` members watch.

The Wall: the watchers hold sockets to the Wall; the moderating team posts through their own
sockets (2 a second); the request is a post frame until its acknowledgement, and watchers
receive the message over the channel layer (both layers, taking turns).

A forum thread: the watchers follow it; a member replies through the reply form over HTTP
(CSRF token and all). Forum threads have no live channel: followers learn of a reply through a
notification written in the reply's own transaction, so it is there when the request returns.
"""

from __future__ import annotations

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import environment, population, servers
from bench.commit_probe import CommitProbe
from bench.scenarios import wall
from bench.stats import median, summary

RATE = 2.0
REPLY = ("Thank you for writing this. I had a similar week and going for a short walk each "
         "morning helped me more than I expected. ")


def wall_queries_per_post(poster) -> int:
    from wall import services

    space = population.bench_space()
    with CaptureQueriesContext(connection) as queries:
        services.wall_post(author=poster, space=space, client_id=f"q{int(time.time() * 1000)}",
                           body=REPLY)
    return len(queries.captured_queries)


def forum_queries_per_post(thread, cookie: str) -> int:
    from django.test import Client

    client = Client()
    name, value = cookie.split("=", 1)
    client.cookies[name] = value
    client.get(f"/forums/t/{thread.pk}/")  # the CSRF cookie, as a browser has it
    token = client.cookies["csrftoken"].value
    # A person's first reply also makes them a follower of the thread: counted is a later one,
    # the same on a fresh benchmark database as on one kept from an earlier run.
    client.post(f"/forums/t/{thread.pk}/reply/", {"body": REPLY, "csrfmiddlewaretoken": token})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/forums/t/{thread.pk}/reply/",
                               {"body": REPLY, "csrfmiddlewaretoken": token})
    if response.status_code != 302:
        raise RuntimeError(f"the reply form answered {response.status_code} in the harness")
    return len(queries.captured_queries)


def forum_replies(port: int, thread_id: int, cookie: str, *, rate: float, seconds: float
                  ) -> list[tuple[float, float]]:
    """Reply through the form at `rate` a second; when each POST began (epoch seconds) and
    how long it took until its redirect (ms)."""
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie, "Host": "127.0.0.1"}
    connection_.request("GET", f"/forums/t/{thread_id}/", headers=headers)
    response = connection_.getresponse()
    page = response.read().decode()
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    headers["Cookie"] = f"{cookie}; csrftoken={jar['csrftoken'].value}"
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    latencies = []
    start = time.monotonic()
    for index in range(int(rate * seconds)):
        delay = start + index / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        body = urlencode({"body": f"{REPLY} ({index})", "csrfmiddlewaretoken": token})
        began_at, began = time.time(), time.perf_counter()
        connection_.request("POST", f"/forums/t/{thread_id}/reply/", body=body, headers=headers)
        answer = connection_.getresponse()
        answer.read()
        if answer.status == 302:
            latencies.append((began_at, (time.perf_counter() - began) * 1000))
    connection_.close()
    return latencies


def slowest_brief(slowest: list[dict], key: str, outcome: dict) -> str:
    """The slowest request, the longest commit stall while it ran, and the run's commits."""
    commits = outcome["database_commits"]
    if commits["error"]:
        text = f"commits not measured ({commits['error']})"
    else:
        text = (f"commits p99 {wall.fmt(commits['p99_ms'])} ms, "
                f"max {wall.fmt(commits['max_ms'])} ms")
    for item in slowest:
        stall = item["commit_stall_meanwhile_ms"]
        meanwhile = ("none" if stall is None else stall if isinstance(stall, str)
                     else f"{stall:.0f} ms")
        text = f"slowest {item[key]:.1f} ms (a commit stall meanwhile: {meanwhile}), " + text
    return text


def run(options, report) -> dict:
    seconds = max(options.seconds, 2)
    space = population.bench_space()
    people = wall.People(options.watchers, wall.posters_needed(RATE))
    layers = [v for v in (options.variants or ["core", "pubsub"]) if v != "floor"]
    if options.smoke:
        layers = []  # under a minute in CI; the Wall scenario runs the same code
    rows, wall_runs = [], {layer: [] for layer in layers}
    for repeat in range(options.repeats):
        for variant in wall_runs:
            run_id = f"p{int(time.time())}-{variant}-{repeat}-"
            with CommitProbe() as probe:
                outcome = wall.one_run(variant, people, options.watchers, rate=RATE,
                                       duration=seconds, run_id=run_id)
            outcome.pop("_samples")
            outcome["database_commits"] = probe.result()
            for slow in outcome["slowest_acks"]:
                slow["commit_stall_meanwhile_ms"] = probe.overlapping(slow["sent_at"],
                                                                      slow["ack_ms"])
            wall_runs[variant].append(outcome)
            report(f"  posting on the Wall ({variant}): " + wall.brief(outcome) + "; "
                   + slowest_brief(outcome["slowest_acks"][:1], "ack_ms", outcome))
    poster = population.moderators(space, wall.posters_needed(RATE) + 1)[-1]
    wall_queries = wall_queries_per_post(poster)
    for variant, outcomes in wall_runs.items():
        acks = [o["ack_ms"] for o in outcomes]
        received = [o["latency_ms"] for o in outcomes]
        rows.append({"name": f"Wall post, {variant}: post frame → ack",
                     "requests": sum(o["acknowledged"] for o in outcomes),
                     "p50_ms": median([a["p50"] for a in acks if a["p50"] is not None]),
                     "p99_ms": max((a["p99"] for a in acks if a["p99"] is not None),
                                   default=None),
                     "rps": None, "queries": wall_queries})
        rows.append({"name": f"Wall post, {variant}: {options.watchers} watchers receive "
                             "(server stamp → receipt)",
                     "requests": sum(o["delivered"] for o in outcomes),
                     "p50_ms": median([r["p50"] for r in received if r["p50"] is not None]),
                     "p99_ms": max((r["p99"] for r in received if r["p99"] is not None),
                                   default=None),
                     "rps": None, "queries": None,
                     "delivered": f"{sum(o['delivered'] for o in outcomes)}/"
                                  f"{sum(o['expected'] for o in outcomes)}"})

    # The forum: the watchers follow the thread; one member (past the new-member hold) replies.
    authors = population.members(space, 12, prefix="bench-a-")
    watchers = population.members(space, options.watchers, prefix="bench-m-")
    # Three posts by the writer: past the hold on a new member's first posts.
    thread = population.forum_thread(space, posts=3, authors=authors[:1], readers=watchers,
                                     reactions_per_post=0, title="Benchmark thread to follow")
    writer_cookie = population.session_cookies(authors[:1])[0]
    forum_queries = forum_queries_per_post(thread, writer_cookie)
    server = servers.daphne("daphne-posting", environment.server_environment())
    try:
        with CommitProbe() as probe:
            replies = forum_replies(server.port, thread.pk, writer_cookie, rate=RATE,
                                    seconds=seconds)
    finally:
        server.stop()
    figures = summary(took for _, took in replies)
    slowest_replies = [
        {"reply_ms": round(took, 1), "commit_stall_meanwhile_ms": probe.overlapping(began, took)}
        for began, took in sorted(replies, key=lambda reply: -reply[1])[:3]]
    rows.append({"name": f"Forum reply, {options.watchers} followers: POST → redirect",
                 "requests": figures["count"], "p50_ms": figures["p50"],
                 "p99_ms": figures["p99"], "rps": None, "queries": forum_queries,
                 "slowest": slowest_replies, "database_commits": probe.result()})
    report(f"  forum reply: {figures['count']} replies, p50 {wall.fmt(figures['p50'])} ms, "
           f"p99 {wall.fmt(figures['p99'])} ms, {forum_queries} queries a reply; "
           + slowest_brief(slowest_replies[:1], "reply_ms", {"database_commits": probe.result()}))
    return {
        "title": f"Posting with {options.watchers} watching ({RATE:g} posts/s for {seconds:g} s, "
                 f"{options.repeats} run(s) a layer)",
        "summary": rows, "wall_runs": [run for runs in wall_runs.values() for run in runs],
        "notes": ["Forum followers have no live channel: their notification is written in the "
                  "reply's transaction, so it is there when the POST returns.",
                  "Wall p99 here is the worst per-run p99."],
    }
