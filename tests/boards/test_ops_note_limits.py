"""A board's notes are capped, and a note's text is bounded (README, "Limits")."""

import pytest
from rest_framework.test import APIClient

from boards.errors import TooLarge
from boards.models import Note, Op
from boards.ops import apply_op_request
from boards.ops.notes import MAX_NOTE_TEXT, MAX_NOTES_PER_BOARD


def fill(board, section, author, count):
    Note.objects.bulk_create(
        Note(board=board, section=section, text=f"n{i}", position=i, author=author) for i in range(count)
    )


def test_the_5000th_note_is_the_last(board, guest):
    assert MAX_NOTES_PER_BOARD == 5000
    fill(board, board.sections.get(key="says"), guest, MAX_NOTES_PER_BOARD - 1)
    apply_op_request(board.id, guest.id, "note.add", {"section": "feels", "text": "last"}, "c-1")
    with pytest.raises(TooLarge, match="at most 5,000 notes"):
        apply_op_request(board.id, guest.id, "note.add", {"section": "feels", "text": "one more"}, "c-2")
    assert Note.objects.filter(board=board).count() == MAX_NOTES_PER_BOARD
    assert Op.objects.filter(board=board).count() == 1


def test_over_rest_a_full_board_answers_too_large(board, guest, other_board):
    fill(board, board.sections.get(key="says"), guest, MAX_NOTES_PER_BOARD)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {guest.token}")
    body = {"op": "note.add", "data": {"section": "says", "text": "x"}}
    response = client.post(f"/api/v1/boards/{board.id}/ops/", body, format="json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_note_text_is_at_most_2000_characters(board, guest):
    assert MAX_NOTE_TEXT == 2000
    apply_op_request(board.id, guest.id, "note.add", {"section": "says", "text": "x" * 2000})
    with pytest.raises(Exception, match="at most 2000"):
        apply_op_request(board.id, guest.id, "note.add", {"section": "says", "text": "x" * 2001})
