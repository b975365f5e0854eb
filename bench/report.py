"""Markdown for the benchmark rows: one table, plus the saturation verdict.

CPU columns are % of one core over the send window (200 % = both cores of a
2-core machine). "other" is what processes outside the benchmark used: on a
shared machine it says how much to trust a row. Server CPU per delivery moves
least with the machine's load, so it is the figure to compare across runs.
"""

from __future__ import annotations

HEADER = (
    "| target | profile | boards x people @ ops/s each | p50 ms | p95 ms | p99 ms | max ms "
    "| deliveries expected / received | ops/s | deliveries/s "
    "| loadgen CPU % (sum / busiest of n) | server CPU % | server CPU µs / delivery | other CPU % | result |"
)


def _ms(value: float) -> str:
    return "-" if value != value else f"{value:.1f}"  # NaN when nothing was delivered


def _cost(r: dict) -> str:
    """Server CPU time per delivery: the figure least moved by a busy machine."""
    if not r["deliveries_per_s"]:
        return "-"
    return f"{sum(r['server_cpu_pct']) / 100 / r['deliveries_per_s'] * 1e6:.0f}"


def row_line(r: dict) -> str:
    lat = r["latency_ms"]
    server = " + ".join(f"{c:.0f}" for c in r["server_cpu_pct"])
    loadgen = f"{r['loadgen_cpu_pct']:.0f} / {r['loadgen_cpu_max_worker_pct']:.0f} of {r['loadgen_workers']}"
    result = "ok" if r["ok"] else "**FAILED**: " + "; ".join(r["problems"])
    return (
        f"| {r['target']} | {r['profile']} | {r['step']} @ {r['rate']:g} "
        f"| {_ms(lat['p50'])} | {_ms(lat['p95'])} "
        f"| {_ms(lat['p99'])} | {_ms(lat['max'])} | {r['expected']} / {r['received']} | {r['ops_per_s']:.1f} "
        f"| {r['deliveries_per_s']:.0f} | {loadgen} | {server} | {_cost(r)} "
        f"| {r.get('other_cpu_pct', 0):.0f} "
        f"| {result} |"
    )


def markdown_table(rows: list[dict]) -> str:
    if not rows:
        return "(no runs)"
    return "\n".join([HEADER, "|" + " --- |" * HEADER.count(" |"), *(row_line(r) for r in rows)])


def saturation_summary(rows: list[dict], p99_limit: float) -> str:
    """Per target: the most deliveries/s carried correctly with p99 within the limit."""
    lines = []
    targets = dict.fromkeys(r["target"] for r in rows if r["profile"] == "saturation")
    for target in targets:
        steps = [r for r in rows if r["profile"] == "saturation" and r["target"] == target]
        good = [r for r in steps if r["ok"] and r["latency_ms"]["p99"] <= p99_limit]
        last = steps[-1]
        if good:
            best = max(good, key=lambda r: r["deliveries_per_s"])
            reached = (
                f"{best['deliveries_per_s']:.0f} deliveries/s ({best['step']}) with p99 <= {p99_limit:.0f} ms"
            )
        else:
            reached = f"not even the first step held p99 <= {p99_limit:.0f} ms"
        if not last["ok"]:
            stop = f"stopped at {last['step']}: FAILED"
        elif last["latency_ms"]["p99"] > p99_limit:
            stop = f"p99 passed the limit at {last['step']} ({last['latency_ms']['p99']:.0f} ms)"
        elif last["loadgen_cpu_max_worker_pct"] > 90:
            stop = f"load generator saturated at {last['step']}: the server's ceiling is higher"
        else:
            stop = "ladder ended below the limit: the ceiling is higher"
        if last.get("machine_saturated"):
            stop += " (the machine's CPUs were all busy then: a ceiling of this machine, not only the server)"
        lines.append(f"- **{target}**: {reached}; {stop}.")
    return ("Saturation:\n" + "\n".join(lines)) if lines else ""
