"""Group commit (boards/batching.py): ops sent together share one transaction,
each keeps its own seq (G1), a refused one changes nothing and does not stop
the others (G6), and none is answered before its commit (G2)."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from boards import batching
from boards.errors import OpError
from boards.models import Note, Op
from boards.ops.core import apply_op_batch

pytestmark = [pytest.mark.django_db(transaction=True)]


def add(board, participant, text, section="says"):
    return batching.apply(
        board.id, participant.id, "note.add", {"section": section, "text": text}, f"id-{text}"
    )


async def test_ops_sent_together_share_one_transaction(board, guest, second_guest, monkeypatch):
    sizes = []

    def spy(requests):
        sizes.append(len(requests))
        return apply_op_batch(requests)

    monkeypatch.setattr(batching, "apply_op_batch", spy)
    applied = await asyncio.gather(*(add(board, p, f"n{i}") for i, p in enumerate([guest, second_guest] * 5)))
    assert sorted(a.seq for a in applied) == list(range(1, 11))
    assert max(sizes) > 1  # more than one op per commit
    seqs = await database_sync_to_async(
        lambda: list(Op.objects.values_list("seq", flat=True).order_by("seq"))
    )()
    assert seqs == list(range(1, 11))
    assert await database_sync_to_async(Note.objects.count)() == 10


async def test_a_refused_op_changes_nothing_and_the_others_apply(board, guest, second_guest):
    results = await asyncio.gather(
        add(board, guest, "a"),
        add(board, second_guest, "bad", section="no-such-section"),
        add(board, guest, "b"),
        return_exceptions=True,
    )
    assert isinstance(results[1], OpError) and results[1].code == "invalid"
    assert sorted(r.seq for r in (results[0], results[2])) == [1, 2]
    texts = await database_sync_to_async(lambda: sorted(Note.objects.values_list("text", flat=True)))()
    assert texts == ["a", "b"]


async def test_an_op_is_answered_only_after_its_commit(board, guest, monkeypatch):
    committed = []

    def spy(requests):
        results = apply_op_batch(requests)
        committed.append(len(requests))  # apply_op_batch returns after COMMIT
        return results

    monkeypatch.setattr(batching, "apply_op_batch", spy)
    first, second = await asyncio.gather(add(board, guest, "x"), add(board, guest, "y"))
    assert committed and (first.seq, second.seq) == (1, 2)
    # Visible to another connection: it was committed before the answer came.
    assert await database_sync_to_async(Note.objects.filter(text__in=["x", "y"]).count)() == 2


def test_workshop_wide_ops_run_alone_and_board_ops_in_board_order():
    requests = [
        (0, 7, 1, "note.add", {}, None),
        (1, 3, 1, "note.add", {}, None),
        (2, 7, 1, "phase.set", {}, None),
        (3, 5, 1, "note.add", {}, None),
        (4, 3, 1, "note.update", {}, None),
    ]
    segments = batching._segments(requests)
    assert [[r[0] for r in s] for s in segments] == [[1, 0], [2], [4, 3]]
