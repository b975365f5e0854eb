"""Many participants scoring at once converge: one row each, gapless seqs, replay == state."""

import threading

import pytest
from django.db import connection

from boards.models import EmotionScore, Op
from boards.ops import apply_op_request, ops_after
from boards.state import apply_op, board_snapshot
from boards.workshops import join_workshop

PEOPLE = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_emotion_set_converges(board, workshop, persona):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        # Threads on shared-cache in-memory SQLite fail at once ("table is locked"):
        # tests/journey/conftest.py puts the test database in a file, unless another
        # conftest set the database up first in this run.
        pytest.skip("needs PostgreSQL (or a file SQLite test database): concurrent writers")
    people = [join_workshop(workshop.join_code, f"P{i}") for i in range(PEOPLE)]
    start = board_snapshot(board.id)
    barrier = threading.Barrier(PEOPLE)
    errors = []

    def score(i, participant):
        try:
            barrier.wait()
            for stage, value in [("buy", -3 + i % 7), ("use", 3 - i % 7), ("buy", i % 4 - 2)]:
                try:
                    apply_op_request(
                        board.id,
                        participant.id,
                        "emotion.set",
                        {"stage": stage, "persona": persona.id, "score": value},
                    )
                except Exception as exc:  # "already that score" is fine; anything else is not
                    if getattr(exc, "code", None) != "invalid":
                        raise
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=score, args=(i, p)) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

    seqs = list(Op.objects.filter(board=board).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))  # G1
    assert EmotionScore.objects.filter(board=board, stage__key="use").count() == PEOPLE
    assert EmotionScore.objects.filter(board=board, stage__key="buy").count() == PEOPLE
    for i, p in enumerate(people):
        assert EmotionScore.objects.get(participant=p, stage__key="buy").score == i % 4 - 2
    state = start
    for event in ops_after(board.id, start["seq"]):
        state = apply_op(state, event)
    assert state == board_snapshot(board.id)  # G5
