"""Unit tests of the load generator's bookkeeping (no servers; well under a second).

    .venv/bin/python -m pytest bench/test_loadgen.py

bench/selftest.py covers the same checks end to end against a live relay.
"""

import sys
import uuid
from array import array
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadgen  # noqa: E402


def test_op_id_is_a_uuid4_carrying_the_send_time():
    op_id = loadgen.stamped_op_id(123456.789012)
    parsed = uuid.UUID(op_id)
    assert parsed.version == 4
    assert parsed.variant == uuid.RFC_4122
    assert str(parsed) == op_id  # canonical form: a server echoing it normalised changes nothing
    assert abs(loadgen.stamp_of(op_id) - 123456.789012) < 2e-6


def test_stamp_of_something_else_is_none():
    assert loadgen.stamp_of(None) is None
    assert loadgen.stamp_of("not-a-uuid") is None


def person(board="b", snapshot=0, last=3, received=3, disorder=0, gaps=0, **extra):
    return {
        "board": board,
        "connected": True,
        "snapshot_seq": snapshot,
        "last_seq": last,
        "received": received,
        "disorder": disorder,
        "gaps": gaps,
        "sent": 0,
        "acked": 0,
        "unacked": 0,
        "errors": {},
        "closed": None,
        **extra,
    }


def tally(people, final):
    summary = {
        "participants": people,
        "latencies": array("d", [0.001]).tobytes(),
        "ack_latencies": b"",
        "max_lag": 0.0,
        "in_window": 0,
    }
    participants = [loadgen.Participant(board=p["board"], url="ws://x") for p in people]
    return loadgen._tally(
        participants, loadgen.LoadSpec(duration=1), final, [summary], [0.1], len(people), {}
    )


def test_everything_delivered_passes():
    result = tally([person(), person(snapshot=1, last=3, received=2)], {"b": 3})
    assert result["ok"], result["problems"]
    assert (result["expected"], result["received"]) == (5, 5)


def test_losing_the_last_op_fails_though_no_gap_is_seen():
    # The receiver saw 1, 2 in order and nothing after: only the board's final
    # seq (from the acks) shows that op 3 never arrived.
    result = tally([person(last=2, received=2)], {"b": 3})
    assert not result["ok"]
    assert "1 deliveries lost" in result["problems"][0]


def test_an_op_seen_only_during_the_drain_counts_for_everyone():
    # Acks said 3, but one receiver got seq 4 (applied late): the other owes it too.
    result = tally([person(last=4, received=4), person(last=3, received=3)], {"b": 3})
    assert not result["ok"]
    assert (result["expected"], result["received"]) == (8, 7)


def test_a_duplicate_fails_even_when_the_count_would_balance():
    result = tally([person(last=3, received=3, disorder=1, gaps=1)], {"b": 3})
    assert not result["ok"]


def test_rejections_and_early_closes_fail():
    assert not tally([person(errors={"rate_limited": 1})], {"b": 3})["ok"]
    assert not tally([person(closed="closed by the server (code 4008)")], {"b": 3})["ok"]
