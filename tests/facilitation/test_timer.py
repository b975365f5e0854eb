"""The timer: start, pause, extend, resume and stop, carrying the end time and the server's clock."""

import time

from boards.models import Workshop
from tests.facilitation.conftest import do, refused


def _now_ms():
    return int(time.time() * 1000)


def test_the_timer_runs_pauses_extends_and_stops(board, maya):
    before = _now_ms()
    start = do(board, maya, "timer.start", {"seconds": 60})["data"]
    assert start["timer"]["state"] == "running" and start["timer"]["duration_ms"] == 60_000
    assert before + 60_000 - 1 <= start["timer"]["ends_at"] <= _now_ms() + 60_000
    assert before <= start["server_now"] <= _now_ms()

    paused = do(board, maya, "timer.pause")["data"]["timer"]
    assert paused["state"] == "paused" and paused["ends_at"] is None
    assert 59_000 <= paused["remaining_ms"] <= 60_000

    extended = do(board, maya, "timer.extend", {"seconds": 30})["data"]["timer"]
    assert extended["remaining_ms"] == paused["remaining_ms"] + 30_000
    assert extended["duration_ms"] == 90_000

    resumed = do(board, maya, "timer.resume")["data"]
    assert resumed["timer"]["state"] == "running"
    # server_now is read a moment after the end time is set.
    assert 0 <= extended["remaining_ms"] - (resumed["timer"]["ends_at"] - resumed["server_now"]) <= 1000

    stopped = do(board, maya, "timer.stop")["data"]["timer"]
    assert stopped == {"state": "stopped", "ends_at": None, "remaining_ms": None, "duration_ms": None}
    workshop = Workshop.objects.get(id=board.workshop_id)
    assert (workshop.timer_ends_at, workshop.timer_remaining_ms) == (None, None)


def test_only_facilitators_run_the_timer(board, ana):
    refused("forbidden", board, ana, "timer.start", {"seconds": 60})
