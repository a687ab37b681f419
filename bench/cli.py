"""`python -m bench run`: run the scenarios, print the tables, write the JSON.

    python -m bench run                                   # everything, at the issue's sizes
    python -m bench run --scenario wall --members 100,500 --repeats 1
    python -m bench run --smoke                           # tiny sizes, for CI: under a minute

Timings are never asserted; a run fails (exit 1) only when the harness itself is broken, for
example when a scenario delivered or served nothing at all.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata

from bench import environment
from bench.stats import rounded
from bench.tables import TABLES

SCENARIOS = ("wall", "thread", "posting", "scale")


def numbers(text: str) -> list[int]:
    return [int(item) for item in text.split(",") if item.strip()]


def names(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def settings(text: str) -> dict[str, str]:
    """NAME=VALUE,NAME=VALUE: environment variables for a server."""
    found = {}
    for item in names(text):
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise argparse.ArgumentTypeError(f"{item!r} is not NAME=VALUE")
        found[name.strip()] = value.strip()
    return found


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = top.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run scenarios")
    run.add_argument("--scenario", type=names, default=list(SCENARIOS),
                     help=f"comma-separated, from {', '.join(SCENARIOS)} (default: all)")
    run.add_argument("--smoke", action="store_true",
                     help="tiny sizes and short runs, to check the harness works (CI)")
    run.add_argument("--members", type=numbers, default=[100, 500, 1000, 2000],
                     help="Wall sizes (default 100,500,1000,2000)")
    run.add_argument("--variants", type=names, default=None,
                     help="Wall servers: core,pubsub,floor (default all three)")
    run.add_argument("--repeats", type=int, default=2,
                     help="runs of each variant, taking turns (default 2)")
    run.add_argument("--rate", type=float, default=5.0, help="Wall posts a second (default 5)")
    run.add_argument("--duration", type=float, default=30.0,
                     help="seconds of Wall posting (default 30)")
    run.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (8)")
    run.add_argument("--thread-processes", type=numbers, default=None,
                     help="daphne processes for the thread page, one comparison each "
                          "(default 1 and one per core, as docs/deployment.md runs them)")
    run.add_argument("--seconds", type=float, default=20.0,
                     help="seconds of load per side of an HTTP comparison (default 20)")
    run.add_argument("--watchers", type=int, default=50,
                     help="members watching in the posting scenario (default 50)")
    run.add_argument("--scale-threads", type=int, default=100_000)
    run.add_argument("--scale-posts", type=int, default=1_000_000)
    run.add_argument("--scale-large-env", type=settings, default=None, metavar="NAME=VALUE,...",
                     help="also serve the large forum with these server settings, taking turns "
                          "with the other two (an A/B of a setting in one invocation)")
    run.add_argument("--mode", choices=["prod", "dev"], default="prod",
                     help="servers in production mode (bench/prodlike.py, default) or "
                          "development mode (DJANGO_DEBUG=true)")
    run.add_argument("--output", default=None, help="where to write the JSON")
    return top


def smoke_sizes(options) -> None:
    options.members = [10]
    options.repeats = 1
    options.rate = 2.0
    options.duration = 2.0
    options.seconds = 1.5
    options.clients = 2
    options.thread_processes = [1]
    options.watchers = 5
    options.scale_threads = 300
    options.scale_posts = 3_000


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict:
    model = ""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next((line.split(":", 1)[1].strip() for line in cpuinfo
                          if line.startswith("model name")), "")
    except OSError:
        pass
    with open("/proc/meminfo") as meminfo:
        memory_kib = int(meminfo.readline().split()[1])
    versions = {name: installed_version(name) for name in (
        "django", "channels", "channels-redis", "daphne", "twisted", "websockets", "psycopg",
        "redis", "hiredis")}
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
                                capture_output=True,
                                text=True, cwd=environment.ROOT, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {"cpu": model, "cores": os.cpu_count(), "memory_gib": round(memory_kib / 2 ** 20, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": os.getloadavg(), "packages": versions, "commit": commit}


def harness_problems(name: str, result: dict) -> list[str]:
    """What shows the harness (not the product's speed) is broken."""
    problems = []
    if name == "wall":
        for run in result["runs"]:
            if not run["delivered"] or not run["connected"]:
                problems.append(f"wall {run['variant']} {run['members']}: nothing delivered")
    elif name in ("thread", "scale", "posting"):
        for row in result["summary"]:
            # A page too slow on the large forum is a finding, not a broken harness.
            if not row.get("requests") and ", large" not in row["name"]:
                problems.append(f"{name} {row.get('name')}: no requests completed")
    return problems


def main(argv=None) -> int:
    options = parser().parse_args(argv)
    unknown = set(options.scenario) - set(SCENARIOS)
    if unknown:
        print(f"Unknown scenario: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if options.smoke:
        smoke_sizes(options)
    if options.thread_processes is None:
        options.thread_processes = sorted({1, os.cpu_count() or 1})
    environment.MODE["name"] = options.mode
    environment.raise_file_limit()
    environment.setup_django()

    from bench.scenarios import posting, scale, thread, wall

    modules = {"wall": wall, "thread": thread, "posting": posting, "scale": scale}
    started = time.monotonic()
    results = {"started": datetime.now(UTC).isoformat(timespec="seconds"),
               "smoke": options.smoke, "machine": machine(),
               "options": {key: value for key, value in vars(options).items()
                           if key != "command"}, "scenarios": {}}

    def report(line: str) -> None:
        print(f"[{time.monotonic() - started:6.0f} s] {line}", flush=True)

    problems = []
    for name in [scenario for scenario in SCENARIOS if scenario in options.scenario]:
        report(f"== {name}")
        result = modules[name].run(options, report)
        results["scenarios"][name] = rounded(result, 3)
        problems += harness_problems(name, result)
    results["seconds"] = round(time.monotonic() - started)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    output = options.output or str(
        environment.RESULTS / ("smoke-latest.json" if options.smoke else
                               f"{datetime.now(UTC):%Y%m%d-%H%M%S}-"
                               f"{'-'.join(results['scenarios'])}.json"))
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with open(output, "w") as out:
        json.dump(results, out, indent=1)
    for name, result in results["scenarios"].items():
        print()
        print(TABLES[name](result))
    print(f"\nWrote {output} ({results['seconds']} s).")
    if problems:
        print("The harness is broken:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    return 0
