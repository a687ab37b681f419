"""Scale of data: the same pages on a small forum and on a large one (by default 100,000
threads and 1,000,000 posts, seeded by `manage.py seed_scale`), each database served by its
own daphne process, the two taking turns. Every page's SQL is also run under EXPLAIN ANALYZE on
the large database, and any sequential scan of a big table is reported (one that holds 10,000
rows or more, or was never analyzed: bench/capture.py).

With `--scale-large-env NAME=VALUE,...` a third daphne process serves the large database with
those settings, taking turns with the other two: a server setting's A/B in one invocation, its
rows and EXPLAIN marked with the settings (docs/performance.md, change 34)."""

from __future__ import annotations

import json
import random
import subprocess
import sys

from bench import environment, population, servers
from bench.capture import STATEMENT_TIMEOUT_SECONDS
from bench.database_cpu import database_cpu_seconds
from bench.http_load import Target, alternate
from bench.stats import ratio

READERS = 8
# Every statement of the scale runs stops after this long (the page then answers 500), so that
# one very slow search cannot hold the benchmark for an hour.
STOP_SLOW_STATEMENTS = {"PGOPTIONS": f"-c statement_timeout={STATEMENT_TIMEOUT_SECONDS * 1000}"}


def database_names(options) -> dict[str, str]:
    base = "harbour_bench_smoke" if options.smoke else "harbour_bench"
    return {"small": f"{base}_small", "large": f"{base}_large"}


def sizes(options) -> dict[str, tuple[int, int, int]]:
    """(threads, posts, authors) of each database: the small one is a hundredth of the large."""
    return {"small": (max(options.scale_threads // 100, 10), max(options.scale_posts // 100, 100),
                      200),
            "large": (options.scale_threads, options.scale_posts, 2000)}


def seed(name: str, threads: int, posts: int, authors: int, report, *, fresh: bool = False
         ) -> None:
    """Migrate and seed through manage.py (seed_scale runs in development mode only). `fresh`
    starts again from a copy of the migrated benchmark database: quicker than migrating."""
    url = environment.database_url(name)
    if fresh:
        environment.drop_database(url)
    else:
        environment.drop_if_migrated_by_other_code(url, report)
    # A new database is a copy of the migrated benchmark database: far quicker than migrating.
    created = environment.ensure_database(url, template=environment.database_url())
    seeding = environment.server_environment(database=name, DJANGO_DEBUG="true",
                                             DJANGO_SETTINGS_MODULE="community.settings")
    commands = [["seed_scale", "--threads", str(threads), "--posts", str(posts),
                 "--members", str(authors)]]
    if not created:
        commands.insert(0, ["migrate", "--no-input", "-v", "0"])
    for command in commands:
        done = subprocess.run([sys.executable, "manage.py", *command],  # noqa: S603
                              cwd=environment.ROOT,
                              env=seeding, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed on {name}:\n{done.stderr[-2000:]}")
    report(f"  {name}: {done.stdout.strip().splitlines()[-1]}")


def targets_in(alias: str) -> tuple[dict, list[str]]:
    """The pages to measure in one database, and signed-in readers' cookies there."""
    from forums.management.commands.seed_scale import SEED, _vocabulary
    from forums.models import Category, Thread

    space = population.bench_space(using=alias, slug="scale")
    readers = population.members(space, READERS, prefix="bench-r-", using=alias)
    cookies = population.session_cookies(readers, using=alias)
    threads = Thread.objects.using(alias).filter(category__space=space)
    # A thread of two or three pages (the smoke's tiny forum may not have one: its longest).
    thread = (threads.filter(published_post_count__gte=40).order_by("published_post_count", "pk")
              .first() or threads.order_by("-published_post_count", "pk").first())
    category = Category.objects.using(alias).filter(space=space).order_by("position").first()
    words = _vocabulary(20_000, random.Random(SEED))  # the seed's own words, in both databases
    return {
        "thread page": f"/forums/t/{thread.pk}/?page={min(2, thread.last_post_number // 21 + 1)}",
        "thread list": f"/forums/scale/{category.slug}/",
        "search, common word": "/forums/search/?q=" + words[3],
        # In 9 posts of 100 and 1 title of 100: before stored search documents, PostgreSQL
        # tested the posts one by one for such a word (docs/performance.md, changes 31, 32).
        "search, middling word": "/forums/search/?q=" + words[50],
        "search, rarer word": "/forums/search/?q=" + words[400],
    }, cookies


def _analyze(alias: str) -> None:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute("ANALYZE")


def variant_label(settings: dict[str, str]) -> str:
    return "large (" + ", ".join(f"{key}={value}" for key, value in settings.items()) + ")"


def scale_server_environment(name: str, variant: dict[str, str] | None = None,
                             defaults_for=()) -> dict:
    """A scale server's (or its EXPLAIN's) environment: slow statements stopped, and the
    variant's settings on top, its PGOPTIONS after the timeout's. The settings named in
    `defaults_for` (another side's variant) are left unset unless this variant sets them, so
    that a side without them runs as Harbour does by default, whatever the harness's own
    environment holds."""
    settings = dict(variant or {})
    options = " ".join(filter(None, [STOP_SLOW_STATEMENTS["PGOPTIONS"],
                                     settings.pop("PGOPTIONS", "")]))
    served = environment.server_environment(database=name, **settings, PGOPTIONS=options)
    for key in defaults_for:
        if key != "PGOPTIONS" and key not in settings:
            served.pop(key, None)
    return served


def explain(name: str, pages: list[tuple[str, str]], settings: dict[str, str] | None = None,
            defaults_for=()) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.capture"], cwd=environment.ROOT,
        env=scale_server_environment(name, settings, defaults_for), check=False,
        capture_output=True,
        text=True, input=json.dumps({"pages": pages, "explain": True}))
    if done.returncode:
        raise RuntimeError(f"EXPLAIN on {name} failed:\n{done.stderr[-2000:]}")
    captured = json.loads(done.stdout)
    for page in captured:
        page.pop("body")
        page.pop("sql")
        page["slowest_statement_ms"] = max(
            (plan["execution_ms"] or 0 for plan in page["plans"]), default=None)
    return captured


def run(options, report) -> dict:
    names, wanted = database_names(options), sizes(options)
    targets, cookies, plans, servers_ = {}, {}, {}, {}
    for which, name in names.items():
        seed(name, *wanted[which], report, fresh=options.smoke)
        environment.add_database(which, name)
        targets[which], cookies[which] = targets_in(which)
        _analyze(which)  # the readers, keys and sessions just added
        # The thread page's first visit also stores the read marker: visit it once before, so
        # that the plans are those of the steady state the load measures.
        visits = [(path, cookies[which][0]) for path in targets[which].values()]
        plans[which] = explain(name, visits[:1] + visits,
                               defaults_for=options.scale_large_env or {})[1:]
    variant = options.scale_large_env
    sides = dict(names)
    if variant:
        sides[variant_label(variant)] = names["large"]
        targets[variant_label(variant)], cookies[variant_label(variant)] = (
            targets["large"], cookies["large"])
        visits = [(path, cookies["large"][0]) for path in targets["large"].values()]
        plans[variant_label(variant)] = explain(names["large"], visits, variant)
    rows = []
    try:
        for which, name in sides.items():
            log_name = f"daphne-{name}" if which in names else f"daphne-{name}-variant"
            servers_[which] = servers.daphne(log_name, scale_server_environment(
                name, variant if which not in names else None, defaults_for=variant or {}))
        pages = list(targets["small"])
        if options.smoke:  # under a minute in CI: one page of each kind is enough
            pages = ["thread page", "search, rarer word"]
        for page in pages:
            index = list(targets["small"]).index(page)
            pair = [Target(f"{page}, {which}", [servers_[which].port], targets[which][page],
                           cookies[which]) for which in sides]
            alternate(pair, clients=1, seconds=min(options.seconds / 2, 1),
                      phase_seconds=1)  # warm up
            pair = [Target(t.name, t.ports, t.path, t.cookies) for t in pair]
            # Turns of 5 seconds, as for the thread page (a request still running when its
            # turn ends is waited for, so a statement at its timeout lengthens that turn).
            results = alternate(pair, clients=options.clients, seconds=options.seconds,
                                phase_seconds=min(5, options.seconds),
                                servers={s.port: s for s in servers_.values()},
                                database_cpu=database_cpu_seconds)
            small = results[0]
            for result, which in zip(results, sides, strict=True):
                result["queries"] = plans[which][index]["queries"]
                if which != "small":
                    result["vs"] = ratio(result["p99_ms"], small["p99_ms"])
            rows += results
            report(f"  {page}: p99 " + ", ".join(
                f"{which} {result['p99_ms']} ms" for which, result in zip(sides, results,
                                                                          strict=True))
                   + ", statuses " + " / ".join(str(result["statuses"]) for result in results))
    finally:
        for server in servers_.values():
            server.stop()
    notes = [f"Databases: small {wanted['small'][0]:,} threads / {wanted['small'][1]:,} posts, "
             f"large {wanted['large'][0]:,} / {wanted['large'][1]:,}. Ratio: large p99 over "
             "small p99."]
    notes.append(f"Statements stop after {STATEMENT_TIMEOUT_SECONDS} s (the page answers 503); "
                 "requests counts only answers 200.")
    for which in [side for side in sides if side != "small"]:
        for page in plans[which]:
            scans = ", ".join(page["sequential_scans"]) or "none"
            slow = [plan for plan in page["plans"] if plan["timed_out"]]
            slowest = (f"{len(slow)} statement(s) still running after "
                       f"{STATEMENT_TIMEOUT_SECONDS} s" if slow
                       else f"slowest statement {page['slowest_statement_ms']:.1f} ms")
            where = "the large database" + (f", {which}" if which != "large" else "")
            notes.append(f"EXPLAIN ANALYZE on {where}, {page['path']} (answered "
                         f"{page['status']}): {page['queries']} queries, {slowest}, sequential "
                         f"scans of big tables: {scans}")
    return {"title": f"Scale of data ({options.clients} clients, {options.seconds:g} s a side)",
            "summary": rows, "plans": plans, "notes": notes}
