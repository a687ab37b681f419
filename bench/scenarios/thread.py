"""Thread page: 20 posts a page with reactions and read state; `clients` concurrent readers, each
signed in as their own member, for `seconds`; side by side (taking turns) with the floor in the
same daphne process: the same SQL through a raw cursor, then pre-rendered bytes.

Taking turns with them, Harbour's lightest signed-in page (urgent help: the same session,
middleware and base template, less the suspension check it is exempt from, and no thread): what
the stack itself costs a page, which no thread page can undercut, set against the same floor.

Once with one daphne process, and once with one process per core as docs/deployment.md runs
them (`--thread-processes`), the readers spread over the processes in turn as nginx spreads
them; each process serves Harbour, the floor and the lightest page, so all have the same
servers."""

from __future__ import annotations

import json
import tempfile

from django.urls import reverse

from bench import environment, population, servers
from bench.capture import capture
from bench.database_cpu import database_cpu_seconds
from bench.http_load import Target, alternate
from bench.stats import ratio
from bench.tables import cell

THREAD_POSTS = 60  # three pages; the benchmark reads the middle one
REACTIONS_PER_POST = 4
LIGHTEST_PAGE = "/help/urgent/"


def query_counts(thread, cookie: str) -> dict:
    """Queries per page, for pages of different sizes and reaction counts: constant or not."""
    counts = {}
    for page in (1, 2, 3):
        counts[f"page {page}"] = capture(f"/forums/t/{thread.pk}/?page={page}", cookie)["queries"]
    return counts


def compare(processes: int, path: str, cookies: list[str], floor_file: str, options
            ) -> list[dict]:
    """Harbour's thread page, the floor and the lightest page, taking turns, on `processes`
    daphne processes."""
    started = [servers.daphne(f"daphne-thread-{n}", environment.server_environment(
        BENCH_FLOOR_FILE=floor_file), application="bench.asgi:application")
        for n in range(processes)]
    ports = [server.port for server in started]
    on = "" if processes == 1 else f", {processes} processes"
    sides = [("harbour", f"thread page (Harbour){on}", path),
             ("floor", f"floor: same SQL, raw cursor, pre-rendered{on}", f"/bench-floor{path}"),
             ("lightest", f"lightest signed-in page (urgent help){on}", LIGHTEST_PAGE)]
    try:
        targets = [Target(name, ports, target_path, cookies) for _, name, target_path in sides]
        # Warm every side (imports, template loading) in every process before measuring.
        alternate(targets, clients=processes, seconds=1, phase_seconds=1)
        targets = [Target(t.name, t.ports, t.path, t.cookies) for t in targets]
        results = alternate(targets, clients=options.clients, seconds=options.seconds,
                            servers={server.port: server for server in started},
                            database_cpu=database_cpu_seconds)
    finally:
        for server in started:
            server.stop()
    for (side, _, _), row in zip(sides, results, strict=True):
        row["side"] = side
        row["processes"] = processes
    harbour, floor, lightest = results
    harbour["vs"] = ratio(harbour["rps"], floor["rps"])
    lightest["vs"] = ratio(lightest["rps"], floor["rps"])
    return results


def best_rps(results: list[dict], side: str) -> float:
    """A side's requests a second at its best number of processes."""
    return max(row["rps"] for row in results if row["side"] == side)


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
    lightest = capture(LIGHTEST_PAGE, cookies[0])
    # Urgent help answers everyone: only its sign-out button shows the reader was signed in.
    if lightest["status"] != 200 or reverse("logout") not in lightest["body"]:
        raise RuntimeError(f"{LIGHTEST_PAGE} answered {lightest['status']} in the harness, "
                           "not to a signed-in reader")
    report(f"  thread page: {queries} queries (first visit {first_visit}; by page {counts})")

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as floor_file:
        json.dump(pages, floor_file)
    results = []
    for processes in options.thread_processes:
        results += compare(processes, path, cookies, floor_file.name, options)
    for row in results:
        row["queries"] = lightest["queries"] if row["side"] == "lightest" else queries
    # Each side at its best number of processes: the floor may serve more on fewer.
    best = ratio(best_rps(results, "harbour"), best_rps(results, "floor"))
    lightest_best = ratio(best_rps(results, "lightest"), best_rps(results, "floor"))
    return {
        "title": f"Thread page ({options.clients} clients, {options.seconds:g} s a side, page 2 "
                 f"of a {THREAD_POSTS}-post thread, {REACTIONS_PER_POST} reactions a post)",
        "summary": results, "queries": queries, "first_visit_queries": first_visit,
        "queries_by_page": counts, "bytes": len(next(iter(pages.values()))["body"]),
        "best_vs_best": best, "lightest_vs_best": lightest_best,
        "notes": [f"Queries: {queries} (a first visit: {first_visit}); by page: {counts}. "
                  "Ratio: requests a second over the floor's on the same processes; each at "
                  f"its best number of processes: the thread page {cell(best, 2)}, the "
                  f"lightest signed-in page {cell(lightest_best, 2)}."],
    }
