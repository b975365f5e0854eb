"""The lifecycle's ops: closing and reopening a workshop, and a participant erasing their own data.

All three are workshop-wide (boards/ops/core.py logs each on every board of
the workshop), so every connection of every board receives them in its own
seq stream: guests see the workshop close live, and an erasure reaches every
screen at once. docs/protocol.md §8 describes them.
"""

from django.db.models import Q

from boards.errors import Invalid
from boards.models import Board, EmotionScore, Note, Op, Participant, Vote, Workshop
from boards.ops.core import OPEN_TO_OBSERVERS, OPEN_WHEN_CLOSED, board_op
from boards.ops.journey import journey_settings_json
from boards.ops.notes import private_counts, set_private_counts
from boards.state import reducer, snapshot_part
from boards.visibility import ERASED_SCORE_POINTS, PRIVATE_COUNTS, anonymous_rows, made_anonymously
from lifecycle import clock

# A closed workshop still takes these: reopening it, and people erasing what they wrote.
OPEN_WHEN_CLOSED.update({"workshop.reopen", "participant.erase"})
# And observers may erase too: someone made viewer still owns what they wrote before.
OPEN_TO_OBSERVERS.add("participant.erase")


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

    The op names the participant, which anonymous mode blanks for everyone
    else (boards/visibility.py), as it blanks the voter of every dot and score
    given under anonymity; so it also lists the dots and scores that went, as
    the snapshot shows them (anonymity mark included), for those connections
    to drop one matching entry each. The dots are listed only while votes are visible, and
    the scores all, each with who had scored its point (a key boards/visibility.py
    strips): each connection gets only the scores of points it may see (the
    respondent floor, scores before one's own), so the list reveals nothing a
    connection could not already see.
    """
    if data:
        raise Invalid("participant.erase takes no data: it erases the sender's own notes, votes and scores.")
    workshop = boards[0].workshop
    notes = list(Note.objects.filter(board__in=boards, author=actor).order_by("board_id", "id"))
    votes = list(Vote.objects.filter(board__in=boards, participant=actor).order_by("id"))
    scores = list(
        EmotionScore.objects.filter(board__in=boards, participant=actor)
        .select_related("stage")
        .order_by("id")
    )
    if not notes and not votes and not scores:
        raise Invalid("You have nothing on these boards to erase.")
    # Who had scored each of these points before the erasure: boards/visibility.py
    # decides from them (and the board's curve settings) who may see each listed score.
    scorers = {
        (s.stage_id, s.persona_id, s.curve): list(
            EmotionScore.objects.filter(stage_id=s.stage_id, persona_id=s.persona_id, curve=s.curve)
            .order_by("participant_id")
            .values_list("participant_id", flat=True)
        )
        for s in scores
    }
    Vote.objects.filter(id__in=[v.id for v in votes]).delete()
    EmotionScore.objects.filter(id__in=[s.id for s in scores]).delete()
    erased = {board.id: [] for board in boards}
    for note in notes:
        erased[note.board_id].append(note.id)
    Note.objects.filter(id__in=[n.id for n in notes]).delete()
    _close_gaps({(n.board_id, n.section_id, n.stage_id, n.lane_id) for n in notes if not n.private})
    gone = {n for ids in erased.values() for n in ids}
    had_private = {n.board_id for n in notes if n.private}
    _scrub_log(boards, actor.id, gone)
    votes_visible = not (workshop.votes_hidden and not workshop.votes_closed)
    results = {}
    for board in boards:
        # As the snapshot holds them, the anonymity mark included: a dot given
        # under anonymity shows no voter to the others, and only the listed
        # entry, marked the same way, matches it there.
        listed_votes = [
            {"note": v.note_id, "voter": actor.id, **made_anonymously(v.anonymous)}
            for v in votes
            if votes_visible and v.board_id == board.id and v.note_id not in gone
        ]
        listed_scores = [
            {
                "stage": s.stage.key,
                "persona": s.persona_id,
                "curve": s.curve,
                "participant": actor.id,
                "score": s.score,
                **made_anonymously(s.anonymous),
            }
            for s in scores
            if s.board_id == board.id
        ]
        points = [scorers[(s.stage_id, s.persona_id, s.curve)] for s in scores if s.board_id == board.id]
        results[board.id] = {
            "participant": actor.id,
            "notes": sorted(erased[board.id]),
            "votes": listed_votes,
            "scores": listed_scores,
            **anonymous_rows(listed_votes + listed_scores),
            **(
                {ERASED_SCORE_POINTS: points, "journey_settings": journey_settings_json(board)}
                if listed_scores
                else {}
            ),
            **({PRIVATE_COUNTS: private_counts(board)} if board.id in had_private else {}),
        }
    return results


def _close_gaps(places) -> None:
    """Numbers the public notes of each place 0..n-1 again, in their order, after deletions.

    The same result as closing each gap in turn (boards/ops/notes.py close_gap),
    in one read and one update per place instead of a few queries per note.
    """
    for board_id, section_id, stage_id, lane_id in places:
        rest = list(
            Note.objects.filter(
                board_id=board_id, section_id=section_id, stage_id=stage_id, lane_id=lane_id, private=False
            )
            .order_by("position", "id")
            .only("id", "position")
        )
        moved = []
        for index, note in enumerate(rest):
            if note.position != index:
                note.position = index
                moved.append(note)
        Note.objects.bulk_update(moved, ["position"], batch_size=500)


def _drop_one(items: list, entry: dict) -> None:
    for i, item in enumerate(items):
        if item == entry:
            del items[i]
            return


@reducer("participant.erase")
def _erase(state: dict, data: dict) -> None:
    gone = set(data["notes"])
    who = data["participant"]
    state["notes"] = [n for n in state["notes"] if n["id"] not in gone]
    # The listed dots and scores first, one matching entry each: where anonymity
    # blanked who gave them (anonymous mode now, or given under it), only they
    # can say which entries go. Then whatever the participant still holds by
    # name (their own connection, or dots the list leaves out).
    if "votes" in state:
        state["votes"] = [v for v in state["votes"] if v["note"] not in gone]
        for vote in data["votes"]:
            _drop_one(state["votes"], vote)
        if who is not None:
            state["votes"] = [v for v in state["votes"] if v["voter"] != who]
    if "emotion_scores" in state:
        for score in data["scores"]:
            _drop_one(state["emotion_scores"], score)
        if who is not None:
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
    # Only the ops that can hold those words or that name: the participant's
    # own, edits and merges of the erased notes by others, and the ops that
    # carry whole notes (the reveal, moderation), not the whole log.
    candidates = Op.objects.filter(board__in=boards).filter(
        Q(actor_id=participant_id)
        | Q(kind__in=("note.update", "note.merge"), data__id__in=list(note_ids))
        | Q(kind__in=("phase.set", "note.hide"))
    )
    changed = []
    for op in candidates.only("id", "data"):
        scrubbed = _scrub(op.data, participant_id, note_ids)
        if scrubbed != op.data:
            op.data = scrubbed
            changed.append(op)
    Op.objects.bulk_update(changed, ["data"], batch_size=500)
