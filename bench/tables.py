"""The printed tables (Markdown, so docs/performance.md can quote them as they are)."""

from __future__ import annotations


def cell(value, places: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{places}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def markdown(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(value) if not isinstance(value, str) else value
                                for value in row) + " |" for row in rows]
    return "\n".join(lines)


def wall_table(result: dict) -> str:
    rows = []
    for row in result["summary"]:
        rows.append([
            row["members"], row["variant"], row["repeats"],
            f"{row['delivered']:,}/{row['expected']:,}",
            row["latency_ms"]["p50"], row["latency_ms"]["p99"], row["time_to_last_ms"]["p99"],
            row["ack_ms"]["p50"], cell(row["cpu_per_1000_deliveries"], 3),
            cell(row.get("cpu_vs_floor"), 2), cell(row["redis_cpu_seconds"], 2),
            row["rss_connected_mib"], row["peak_rss_mib"], row["connect_seconds"],
            cell(row["connect_cpu_ms_per_socket"], 2),
        ])
    return (f"Wall fan-out ({result['rate']:g} posts/s for {result['duration']:g} s)\n"
            + markdown(["members", "server", "runs", "delivered", "p50 ms", "p99 ms",
                        "last recipient p99 ms", "post ack p50 ms", "CPU s/1000 deliveries",
                        "× floor", "Redis CPU s", "RSS connected MiB", "peak RSS MiB",
                        "connecting s", "CPU ms / connection"], rows))


def http_table(result: dict) -> str:
    # The database's CPU is read only where PostgreSQL runs on this machine.
    database = any(row.get("database_cpu_ms_per_request") is not None
                   for row in result["summary"])
    rows = [[row["name"], row["requests"], row["p50_ms"], row["p99_ms"], row["rps"],
             cell(row.get("cpu_ms_per_request"), 1),
             *([cell(row.get("database_cpu_ms_per_request"), 1)] if database else []),
             cell(row.get("queries"), 0), cell(row.get("vs"), 2)]
            for row in result["summary"]]
    headers = ["what", "requests", "p50 ms", "p99 ms", "req/s", "server CPU ms/req",
               *(["database CPU ms/req"] if database else []), "queries", "ratio"]
    return (result.get("title", "") + "\n" + markdown(headers, rows) + "\n"
            + "\n".join(result.get("notes", [])))


TABLES = {"wall": wall_table, "thread": http_table, "posting": http_table, "scale": http_table}
