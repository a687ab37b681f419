"""Thread page: 20 posts a page with reactions and read state; `clients` concurrent readers, each
signed in as their own member, for `seconds`; side by side (taking turns) with the floor in the
same daphne process: the same SQL through a raw cursor, then pre-rendered bytes."""

from __future__ import annotations

import json
import tempfile

from bench import environment, population, servers
from bench.capture import capture
from bench.http_load import Target, alternate
from bench.stats import ratio

THREAD_POSTS = 60  # three pages; the benchmark reads the middle one
REACTIONS_PER_POST = 4


def query_counts(thread, cookie: str) -> dict:
    """Queries per page, for pages of different sizes and reaction counts: constant or not."""
    counts = {}
    for page in (1, 2, 3):
        counts[f"page {page}"] = capture(f"/forums/t/{thread.pk}/?page={page}", cookie)["queries"]
    return counts


def run(options, report) -> dict:
    space = population.bench_space()
    readers = population.members(space, options.clients, prefix="bench-r-")
    authors = population.members(space, 12, prefix="bench-a-")
    thread = population.forum_thread(space, posts=THREAD_POSTS, authors=authors, readers=readers,
                                     reactions_per_post=REACTIONS_PER_POST,
                                     title="Benchmark thread with reactions")
    cookies = population.session_cookies(readers)
    path = f"/forums/t/{thread.pk}/?page=2"
    pages = {}
    for cookie in cookies:
        page = capture(path, cookie)
        if page["status"] != 200:
            raise RuntimeError(f"the thread page answered {page['status']} in the harness")
        pages[cookie.split("=", 1)[1]] = {"sql": page["sql"], "body": page["body"]}
    queries = len(next(iter(pages.values()))["sql"])
    # A first visit also stores the read marker: one more query.
    newcomer = population.members(space, 1, prefix="bench-new-")
    first_visit = capture(path, population.session_cookies(newcomer)[0])["queries"]
    from forums.models import ThreadRead

    ThreadRead.objects.filter(thread=thread, user__in=newcomer).delete()
    counts = query_counts(thread, cookies[0])
    report(f"  thread page: {queries} queries (first visit {first_visit}; by page {counts})")

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as floor_file:
        json.dump(pages, floor_file)
    server = servers.daphne("daphne-thread", environment.server_environment(
        BENCH_FLOOR_FILE=floor_file.name), application="bench.asgi:application")
    try:
        harbour = Target("thread page (Harbour)", server.port, path, cookies)
        floor = Target("floor: same SQL, raw cursor, pre-rendered", server.port,
                       f"/bench-floor{path}", cookies)
        # Warm both (imports, template loading) before measuring.
        alternate([harbour, floor], clients=1, seconds=1, phase_seconds=1)
        harbour, floor = (Target(t.name, t.port, t.path, t.cookies) for t in (harbour, floor))
        results = alternate([harbour, floor], clients=options.clients, seconds=options.seconds,
                            servers={server.port: server})
    finally:
        server.stop()
    results[0]["queries"] = queries
    results[0]["vs"] = ratio(results[0]["rps"], results[1]["rps"])
    results[1]["queries"] = queries
    return {
        "title": f"Thread page ({options.clients} clients, {options.seconds:g} s a side, page 2 "
                 f"of a {THREAD_POSTS}-post thread, {REACTIONS_PER_POST} reactions a post)",
        "summary": results, "queries": queries, "first_visit_queries": first_visit,
        "queries_by_page": counts, "bytes": len(next(iter(pages.values()))["body"]),
        "notes": [f"Queries: {queries} (a first visit: {first_visit}); by page: {counts}. "
                  "Ratio: Harbour's requests a second over the floor's."],
    }
