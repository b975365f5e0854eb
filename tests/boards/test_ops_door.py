"""The door every op goes through: order (G1), idempotency (G4), rejection (G6)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from boards.errors import Forbidden, Invalid
from boards.models import Note, Op, Participant, ParticipantRole
from boards.ops import apply_op_request


def test_a_resent_client_op_id_gets_the_original_ack_and_is_not_applied_again(board, guest):
    first = apply_op_request(board.id, guest.id, "note.add", {"section": "says", "text": "once"}, "c-1")
    again = apply_op_request(board.id, guest.id, "note.add", {"section": "says", "text": "once"}, "c-1")
    assert again.duplicate and again.seq == first.seq == 1
    assert again.event == first.event
    assert Note.objects.count() == 1
    assert Op.objects.count() == 1


def test_a_resend_whose_note_was_deleted_since_still_gets_its_ack(board, guest):
    added = apply_op_request(board.id, guest.id, "note.add", {"section": "says"}, "c-1")
    apply_op_request(board.id, guest.id, "note.update", {"id": added.event["data"]["id"], "text": "x"}, "c-2")
    apply_op_request(board.id, guest.id, "note.delete", {"id": added.event["data"]["id"]}, "c-3")
    assert (
        apply_op_request(board.id, guest.id, "note.update", {"id": added.event["data"]["id"]}, "c-2").seq == 2
    )


def test_someone_elses_client_op_id_is_refused(board, guest, second_guest):
    apply_op_request(board.id, guest.id, "note.add", {"section": "says"}, "c-1")
    with pytest.raises(Invalid, match="already used"):
        apply_op_request(board.id, second_guest.id, "note.add", {"section": "says"}, "c-1")
    assert Op.objects.count() == 1


@pytest.mark.parametrize("client_op_id", ["", "x" * 65, 5, ["a"]])
def test_it_rejects_bad_client_op_ids(board, guest, client_op_id):
    with pytest.raises(Invalid, match="client_op_id"):
        apply_op_request(board.id, guest.id, "note.add", {"section": "says"}, client_op_id)


@pytest.mark.parametrize("kind", ["note.explode", "", None, 3])
def test_it_rejects_unknown_ops(board, guest, kind):
    with pytest.raises(Invalid, match="Unknown op"):
        apply_op_request(board.id, guest.id, kind, {})
    assert not Op.objects.exists()


def test_data_must_be_an_object(board, guest):
    with pytest.raises(Invalid, match="data must be an object"):
        apply_op_request(board.id, guest.id, "note.add", ["says"])


def test_observers_cannot_write(board, guest):
    Participant.objects.filter(id=guest.id).update(role=ParticipantRole.OBSERVER)
    with pytest.raises(Forbidden):
        apply_op_request(board.id, guest.id, "note.add", {"section": "says"})
    assert not Note.objects.exists()


def test_a_removed_participant_cannot_write(board, guest):
    Participant.objects.filter(id=guest.id).update(removed_at=timezone.now())
    with pytest.raises(Forbidden):
        apply_op_request(board.id, guest.id, "note.add", {"section": "says"})


def test_a_participant_of_another_workshop_cannot_write(board, other_board):
    stranger = other_board.workshop.participants.get()
    with pytest.raises(Forbidden):
        apply_op_request(board.id, stranger.id, "note.add", {"section": "says"})


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_gapless_seqs(board, guest, second_guest, host):
    errors = []

    def write(actor, n):
        try:
            for i in range(n):
                apply_op_request(
                    board.id, actor.id, "note.add", {"section": "says", "text": f"{actor.id}-{i}"}
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(p, 15)) for p in (guest, second_guest, host)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(Op.objects.filter(board=board).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 46))
    board.refresh_from_db()
    assert board.seq == 45
    assert sorted(Note.objects.filter(board=board).values_list("position", flat=True)) == list(range(45))
