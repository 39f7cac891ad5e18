"""Throughput and latency: taps against the floor, pages against the floor, and whether
Progress stays cheap as history grows."""

from __future__ import annotations

import re

import httpx

from bench.harness import Process, count_acts, make_sessions, wrk

SESSIONS = 64
ROUNDS = 2
ARTICLE_LINK = re.compile(r'href="(/articles/[a-z0-9-]+)"')


def status(url: str, path: str, cookie: str = "") -> int:
    response = httpx.get(url + path, headers={"Cookie": cookie} if cookie else {}, timeout=10)
    return response.status_code


def missing(url: str, path: str | None, cookie: str = "") -> str | None:
    """Why ``path`` cannot be measured (not there yet, or failing), or None when it serves."""
    if path is None:
        return "no article is listed at /articles yet"
    code = status(url, path, cookie)
    return None if code == 200 else f"GET {path} answered {code}"


def taps(app: Process, floor: Process, database_url: str, work) -> dict:
    """Lifted's POST /acts against the floor's insert-and-204, on one database."""
    if reason := missing(app.url, "/"):
        return {"skipped": reason}
    probe = httpx.post(app.url + "/acts", timeout=10)
    if probe.status_code in (404, 405):
        return {"skipped": "POST /acts is not there yet"}
    sessions = work / "sessions.txt"
    make_sessions(app.url, SESSIONS, sessions)
    # Two rounds, alternating, and each side's better one: other work on the machine then
    # has to hit both sides to move the ratio.
    lifted_runs, floor_runs, stored = [], [], 0
    for _ in range(ROUNDS):
        before = count_acts(database_url)
        lifted_runs.append(_tap_run(app, "/acts", sessions))
        stored += count_acts(database_url) - before
        floor_runs.append(_tap_run(floor, "/floor/tap", sessions))
    lifted = max(lifted_runs, key=lambda run: run["per_second"])
    floor_run = max(floor_runs, key=lambda run: run["per_second"])
    return {
        "sessions": SESSIONS,
        "lifted": lifted,
        "floor": floor_run,
        "all_runs": {"lifted": lifted_runs, "floor": floor_runs},
        # Every answered tap must be stored; in-flight ones at the end may add a few more.
        "acts_stored": stored,
        "acts_acknowledged": sum(run["requests"] - run["errors"] for run in lifted_runs),
        "throughput_ratio": round(lifted["per_second"] / floor_run["per_second"], 3),
        # Steadier than the rates on a shared machine: the worker's own CPU for each tap.
        "cpu_ratio": round(floor_run["cpu_us_per_tap"] / lifted["cpu_us_per_tap"], 3),
        "p99_ratio": round(lifted["latency_ms"]["p99"] / floor_run["latency_ms"]["p99"], 3),
    }


def _tap_run(server: Process, path: str, sessions) -> dict:
    """One wrk run of taps, with the server's CPU (user and system) per answered tap."""
    before = server.cpu_seconds()
    run = wrk(server.url, "tap", path, str(sessions))
    used = server.cpu_seconds() - before
    run["cpu_us_per_tap"] = round(1e6 * used / max(run["requests"], 1))
    return run


def find_article(url: str) -> str | None:
    response = httpx.get(url + "/articles", timeout=10)
    if response.status_code != 200:
        return None
    match = ARTICLE_LINK.search(response.text)
    return match.group(1) if match else None


def pages(app: Process, floor: Process, cookie: str) -> dict:
    """Requests per second for Home, an article and Progress (a reader with three years of
    history), next to the floor's constant page measured in the same run."""
    result: dict = {"floor": wrk(floor.url, "get", "/floor/page")}
    article = find_article(app.url)
    for name, path in (("home", "/"), ("article", article), ("progress", "/progress")):
        if reason := missing(app.url, path, cookie):
            result[name] = {"skipped": reason}
            continue
        run = wrk(app.url, "get", path, cookie)
        run["path"] = path
        run["ratio_to_floor"] = round(run["per_second"] / result["floor"]["per_second"], 3)
        result[name] = run
    return result


def progress_scaling(app: Process, small_cookie: str, large_cookie: str) -> dict:
    """Mean latency of /progress for a reader with 100 acts and one with 100,000, one request
    at a time (so the mean is the page's own cost, not time spent queueing)."""
    if reason := missing(app.url, "/progress", small_cookie):
        return {"skipped": reason}
    small = wrk(app.url, "get", "/progress", small_cookie, seconds=8, connections=1)
    large = wrk(app.url, "get", "/progress", large_cookie, seconds=8, connections=1)
    return {
        "acts_100": small,
        "acts_100000": large,
        "ratio": round(large["latency_ms"]["mean"] / small["latency_ms"]["mean"], 3),
    }


def overheads(app: Process, floor: Process, cookie: str) -> dict:
    """Where a request's time goes before any feature code: the same trivial route (/healthz)
    on the floor, through Lifted's middleware, and with a session cookie to look up. One
    connection, so each figure is the cost of one request."""
    runs = {
        "floor": wrk(floor.url, "get", "/healthz", seconds=5, connections=1),
        "lifted_middleware": wrk(app.url, "get", "/healthz", seconds=5, connections=1),
        "lifted_with_session": wrk(app.url, "get", "/healthz", cookie, seconds=5, connections=1),
    }
    return {name: round(1e6 / run["per_second"]) for name, run in runs.items()} | {
        "unit": "microseconds per request"
    }
