"""Wall fan-out: N members on one daphne process through real WebSockets and signed-in sessions;
the moderating team posts `rate` messages a second for `duration` seconds through their own
sockets (the product's own path: consumer, services, channel layer). The same clients and
payload sizes run against both channels-redis layers and the plain `websockets` floor, taking
turns within one invocation.

Delivery latency is the client's receipt time minus the server's stamp on the message
(`created_at` in the event payload, set when the message is saved; the floor stamps the same
field when it receives the post). Everything runs on one machine, so both clocks are the same.
"""

from __future__ import annotations

import math
import time

from bench import environment, population, servers
from bench.stats import median, ratio, summary
from bench.workers import Worker

VARIANTS = ("core", "pubsub", "floor")
SOCKETS_PER_CLIENT_PROCESS = 250
BODY_BYTES = 200


def posters_needed(rate: float) -> int:
    """Each person may post WALL_MESSAGES_PER_MINUTE a minute (10 by default): enough posters
    that taking turns keeps each one well under it."""
    from django.conf import settings

    return max(2, math.ceil(rate * 60 / (settings.WALL_MESSAGES_PER_MINUTE * 0.75)))


class People:
    """Sessions for up to `members` members and the posters, made once per invocation."""

    def __init__(self, members: int, posters: int):
        space = population.bench_space()
        self.slug = space.slug
        self.member_cookies = population.session_cookies(population.members(space, members))
        self.poster_cookies = population.session_cookies(
            population.moderators(space, posters), verified=True)


def start_server(variant: str) -> servers.Server:
    environment.flush_redis()
    if variant == "floor":
        return servers.python_module("floor-wall", "bench.floor_wall",
                                     environment.server_environment())
    return servers.daphne(f"daphne-{variant}",
                          environment.server_environment(channel_layer=variant))


def redis_cpu_seconds() -> float:
    import redis

    info = redis.Redis.from_url(environment.redis_url()).info("cpu")
    return info["used_cpu_sys"] + info["used_cpu_user"]


def one_run(variant: str, people: People, members: int, *, rate: float, duration: float,
            run_id: str, drain: float = 15) -> dict:
    """One server, one set of clients, one burst of posts; the measurements of that run."""
    server = start_server(variant)
    workers: list[Worker] = []
    try:
        url = f"ws://127.0.0.1:{server.port}/ws/wall/{people.slug}/"
        origin = environment.origin(server.port)
        client_env = environment.server_environment()
        cookies = people.member_cookies[:members]
        # Each client process starts connecting as soon as it is started.
        connect_started, cpu_at_start = time.monotonic(), server.cpu_seconds()
        for start in range(0, len(cookies), SOCKETS_PER_CLIENT_PROCESS):
            workers.append(Worker("bench.wall_client", {
                "url": url, "origin": origin, "prefix": run_id, "role": "receive",
                "cookies": cookies[start:start + SOCKETS_PER_CLIENT_PROCESS]}, client_env))
        ready = [worker.expect("ready", timeout=600) for worker in workers]
        poster = Worker("bench.wall_client", {
            "url": url, "origin": origin, "prefix": run_id, "role": "post",
            "cookies": people.poster_cookies}, client_env)
        workers.append(poster)
        poster_ready = poster.expect("ready", timeout=300)
        connect_seconds = time.monotonic() - connect_started
        if not poster_ready["connected"]:
            raise RuntimeError(f"no poster could connect: {poster_ready['failed']}")
        connected = sum(item["connected"] for item in ready)
        failures = [f for item in ready for f in item["failed"]][:3]
        if failures or poster_ready["failed_count"]:
            print(f"    connect failures: {sum(i['failed_count'] for i in ready)} members "
                  f"({failures}), {poster_ready['failed_count']} posters "
                  f"({poster_ready['failed'][:2]}) in {connect_seconds:.0f} s", flush=True)
        rss_connected = server.rss_kib()
        connect_cpu_seconds = server.cpu_seconds() - cpu_at_start
        cpu_before, redis_before = server.cpu_seconds(), redis_cpu_seconds()
        poster.send({"cmd": "go", "rate": rate, "duration": duration, "body_bytes": BODY_BYTES,
                     "drain": drain})
        posted = poster.expect("posted", timeout=duration + drain + 60)
        expected = sorted(posted["sent"])
        for worker in workers[:-1]:
            worker.send({"cmd": "stop", "expected": expected, "drain": drain})
        results = [worker.expect("result", timeout=drain + 420) for worker in workers[:-1]]
        cpu_seconds = server.cpu_seconds() - cpu_before
        redis_seconds = redis_cpu_seconds() - redis_before
        peak_rss = server.peak_rss_kib
    finally:
        for worker in workers:
            worker.stop()
        server.stop()

    stamps: dict[str, float] = {}
    receipts: dict[str, list[float]] = {}
    for result in results:
        stamps.update(result["stamps"])
        for client_id, times in result["receipts"].items():
            receipts.setdefault(client_id, []).extend(times)
    latencies, to_last, post_to_receipt = [], [], []
    for client_id in expected:
        times = receipts.get(client_id, [])
        if not times:
            continue
        stamp = stamps[client_id]
        latencies.extend((moment - stamp) * 1000 for moment in times)
        to_last.append((max(times) - stamp) * 1000)
        post_to_receipt.extend((moment - posted["sent"][client_id]) * 1000 for moment in times)
    acks = [(posted["acks"][cid] - posted["sent"][cid]) * 1000
            for cid in expected if cid in posted["acks"]]
    first_sent = min(posted["sent"].values(), default=0.0)
    slowest_acks = sorted(
        ({"post": int(cid[-6:]), "ack_ms": round((posted["acks"][cid] - sent) * 1000, 1),
          "seconds_in": round(sent - first_sent, 2), "sent_at": sent}
         for cid, sent in posted["sent"].items() if cid in posted["acks"]),
        key=lambda item: -item["ack_ms"])[:3]
    delivered = sum(len(receipts.get(client_id, [])) for client_id in expected)
    # The posters' sockets are on the Wall too and receive every message as well.
    deliveries = delivered + len(expected) * poster_ready["connected"]
    return {
        "variant": variant, "members": members, "connected": connected,
        "connect_failures": sum(item["failed_count"] for item in ready),
        "connect_failure_examples": [f for item in ready for f in item["failed"]][:3],
        "connect_seconds": round(connect_seconds, 1),
        # The server's CPU for each socket's handshake and hello, refused ones included (the
        # clients pace the connecting, so the seconds above are partly theirs).
        "connect_cpu_ms_per_socket": round(
            connect_cpu_seconds * 1000 / (len(cookies) + len(people.poster_cookies)), 2),
        "posters": poster_ready["connected"], "posted": len(expected),
        "acknowledged": len(acks), "expected": len(expected) * members,
        "delivered": delivered,
        "duplicates": sum(result["duplicates"] for result in results),
        "latency_ms": summary(latencies), "time_to_last_ms": summary(to_last),
        "post_to_receipt_ms": summary(post_to_receipt), "ack_ms": summary(acks),
        # Which posts were slow, and when: the first of a run, or one at random?
        "slowest_acks": slowest_acks,
        "server_cpu_seconds": round(cpu_seconds, 3),
        "cpu_per_1000_deliveries": round(cpu_seconds / deliveries * 1000, 4)
        if deliveries else None,
        "redis_cpu_seconds": round(redis_seconds, 3) if variant != "floor" else None,
        "rss_connected_mib": round(rss_connected / 1024, 1),
        "peak_rss_mib": round(peak_rss / 1024, 1),
        "client_errors": [e for result in results for e in result["errors"]][:5]
        + posted["errors"][:5],
        "_samples": {"latency_ms": latencies, "time_to_last_ms": to_last, "ack_ms": acks},
    }


def combine(runs: list[dict]) -> dict:
    """Per variant: pooled raw samples across repeats, medians of per-run figures."""
    pooled: dict[str, list[float]] = {"latency_ms": [], "time_to_last_ms": [], "ack_ms": []}
    for run in runs:
        for key in pooled:
            pooled[key].extend(run["_samples"][key])
    delivered, expected = sum(r["delivered"] for r in runs), sum(r["expected"] for r in runs)
    return {
        "variant": runs[0]["variant"], "members": runs[0]["members"], "repeats": len(runs),
        "delivered": delivered, "expected": expected,
        "delivered_ratio": ratio(delivered, expected),
        "duplicates": sum(r["duplicates"] for r in runs),
        "latency_ms": summary(pooled["latency_ms"]),
        "time_to_last_ms": summary(pooled["time_to_last_ms"]),
        "ack_ms": summary(pooled["ack_ms"]),
        "cpu_per_1000_deliveries": median([r["cpu_per_1000_deliveries"] for r in runs
                                           if r["cpu_per_1000_deliveries"] is not None]),
        "server_cpu_seconds": median([r["server_cpu_seconds"] for r in runs]),
        "redis_cpu_seconds": median([r["redis_cpu_seconds"] for r in runs
                                     if r["redis_cpu_seconds"] is not None]),
        "peak_rss_mib": median([r["peak_rss_mib"] for r in runs]),
        "rss_connected_mib": median([r["rss_connected_mib"] for r in runs]),
        "connect_seconds": median([r["connect_seconds"] for r in runs]),
        "connect_cpu_ms_per_socket": median([r["connect_cpu_ms_per_socket"] for r in runs]),
    }


def run(options, report) -> dict:
    variants = options.variants or VARIANTS
    sizes = options.members
    people = People(max(sizes), posters_needed(options.rate))
    results: dict = {"rate": options.rate, "duration": options.duration, "runs": [],
                     "summary": []}
    for members in sizes:
        runs_by_variant: dict[str, list[dict]] = {variant: [] for variant in variants}
        for repeat in range(options.repeats):
            for variant in variants:  # taking turns: A, B, floor, A, B, floor...
                run_id = f"r{int(time.time())}-{variant}-{members}-{repeat}-"
                report(f"wall: {members} members, {variant}, repeat {repeat + 1}")
                outcome = one_run(variant, people, members, rate=options.rate,
                                  duration=options.duration, run_id=run_id)
                runs_by_variant[variant].append(outcome)
                report("  " + brief(outcome))
        floor = None
        for variant in variants:
            combined = combine(runs_by_variant[variant])
            if variant == "floor":
                floor = combined
            results["summary"].append(combined)
        for combined in results["summary"]:
            if combined["members"] == members and floor is not None:
                combined["cpu_vs_floor"] = ratio(combined["cpu_per_1000_deliveries"],
                                                 floor["cpu_per_1000_deliveries"])
        for variant in variants:
            for outcome in runs_by_variant[variant]:
                outcome.pop("_samples")
                results["runs"].append(outcome)
    return results


def brief(outcome: dict) -> str:
    latency = outcome["latency_ms"]
    return (f"connected {outcome['connected']}/{outcome['members']}, delivered "
            f"{outcome['delivered']}/{outcome['expected']} ({outcome['duplicates']} twice), "
            f"p50 {fmt(latency['p50'])} ms, "
            f"p99 {fmt(latency['p99'])} ms, cpu {outcome['server_cpu_seconds']} s, "
            f"{outcome['cpu_per_1000_deliveries']} s/1000, peak {outcome['peak_rss_mib']} MiB")


def fmt(value) -> str:
    return "-" if value is None else f"{value:.1f}"
