"""The lifecycle's ops: closing and reopening a workshop, and a participant erasing their own data.

All three are workshop-wide (boards/ops/core.py logs each on every board of
the workshop), so every connection of every board receives them in its own
seq stream: guests see the workshop close live, and an erasure reaches every
screen at once. docs/protocol.md §8 describes them.
"""

from boards.errors import Invalid
from boards.models import Board, EmotionScore, Note, Op, Participant, Vote, Workshop
from boards.ops.core import OPEN_WHEN_CLOSED, board_op
from boards.ops.notes import close_gap, private_counts, set_private_counts
from boards.state import reducer, snapshot_part
from boards.visibility import PRIVATE_COUNTS
from lifecycle import clock

# A closed workshop still takes these: reopening it, and people erasing what they wrote.
OPEN_WHEN_CLOSED.update({"workshop.reopen", "participant.erase"})


def _iso(moment) -> str | None:
    return None if moment is None else moment.isoformat()


def _now_ms():
    """Now, to the millisecond: what the log stores is exactly what the database holds."""
    now = clock.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


@snapshot_part
def _lifecycle_part(board: Board) -> dict:
    closed_at = Workshop.objects.filter(id=board.workshop_id).values_list("closed_at", flat=True).first()
    return {"closed_at": _iso(closed_at)}


@board_op("workshop.close", facilitator_only=True, workshop_wide=True)
def do_close(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """Closes the workshop: from the next op on, ops and joins are refused with `closed`.

    The door itself refuses every op on a closed workshop, this one included,
    so closing twice is answered `closed` before this function runs.
    """
    if data:
        raise Invalid("workshop.close takes no data.")
    closed_at = _now_ms()
    Workshop.objects.filter(id=boards[0].workshop_id).update(closed_at=closed_at)
    return {board.id: {"closed_at": _iso(closed_at)} for board in boards}


@board_op("workshop.reopen", facilitator_only=True, workshop_wide=True)
def do_reopen(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    if data:
        raise Invalid("workshop.reopen takes no data.")
    if boards[0].workshop.closed_at is None:
        raise Invalid("The workshop is not closed.")
    Workshop.objects.filter(id=boards[0].workshop_id).update(closed_at=None)
    return {board.id: {"closed_at": None} for board in boards}


@reducer("workshop.close")
@reducer("workshop.reopen")
def _closed(state: dict, data: dict) -> None:
    state["closed_at"] = data["closed_at"]


@board_op("participant.erase", workshop_wide=True)
def do_erase(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """Deletes everything the actor wrote: their notes (with every vote on them), their dots, their scores.

    Allowed in every phase and on a closed workshop: a person's right to take
    back what they wrote does not wait for the agenda. Erasing with nothing
    left to erase is `invalid`, like any op that changes nothing.
    """
    if data:
        raise Invalid("participant.erase takes no data: it erases the sender's own notes, votes and scores.")
    notes = list(Note.objects.filter(board__in=boards, author=actor).order_by("board_id", "-position", "-id"))
    votes = Vote.objects.filter(board__in=boards, participant=actor)
    scores = EmotionScore.objects.filter(board__in=boards, participant=actor)
    if not notes and not votes.exists() and not scores.exists():
        raise Invalid("You have nothing on these boards to erase.")
    votes.delete()
    scores.delete()
    erased = {board.id: [] for board in boards}
    # Highest place first: each deletion closes the gap above it, so the
    # places of the notes still to delete stay as read.
    for note in notes:
        note_id = note.id  # delete() clears it
        note.delete()
        close_gap(note)
        erased[note.board_id].append(note_id)
    had_private = {n.board_id for n in notes if n.private}
    _scrub_log(boards, actor.id, {n for ids in erased.values() for n in ids})
    return {
        board.id: {
            "participant": actor.id,
            "notes": sorted(erased[board.id]),
            **({PRIVATE_COUNTS: private_counts(board)} if board.id in had_private else {}),
        }
        for board in boards
    }


@reducer("participant.erase")
def _erase(state: dict, data: dict) -> None:
    gone = set(data["notes"])
    # None when anonymous mode blanked who it was (boards/visibility.py): the
    # notes still go; that person's dots and scores cannot be told apart then.
    who = data["participant"]
    state["notes"] = [n for n in state["notes"] if n["id"] not in gone]
    if "votes" in state:
        state["votes"] = [
            v for v in state["votes"] if v["note"] not in gone and (who is None or v["voter"] != who)
        ]
    if who is not None and "emotion_scores" in state:
        state["emotion_scores"] = [s for s in state["emotion_scores"] if s["participant"] != who]
    set_private_counts(state, data)


def _scrub(value, participant_id: int, note_ids: set[int]):
    """`value` with the texts of the erased notes and the participant's name blanked."""
    if isinstance(value, list):
        return [_scrub(item, participant_id, note_ids) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key in ("author", "actor") and isinstance(item, dict) and item.get("id") == participant_id:
            out[key] = {**item, "name": ""}
        else:
            out[key] = _scrub(item, participant_id, note_ids)
    if "text" in out and out.get("id") in note_ids:
        out["text"] = ""
    return out


def _scrub_log(boards: list[Board], participant_id: int, note_ids: set[int]) -> None:
    """Blanks what the erased notes said, and the author's name, in the op log too.

    Erasure must not leave the words in the log a snapshot is replayed from.
    Every op keeps its seq and kind, and the notes are deleted by the erase op
    itself, so replaying the log still ends at the board's state (G5); a
    client resuming from an earlier seq sees blanks where the words were.
    """
    changed = []
    for op in Op.objects.filter(board__in=boards).only("id", "data"):
        scrubbed = _scrub(op.data, participant_id, note_ids)
        if scrubbed != op.data:
            op.data = scrubbed
            changed.append(op)
    Op.objects.bulk_update(changed, ["data"], batch_size=500)
