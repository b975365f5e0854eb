"""Dot voting: each participant puts a few dots on notes; results may stay hidden until closed.

While results are hidden, boards/visibility.py shows each participant only
their own votes; `votes.close` carries every vote, so every client ends with
the same board.
"""

from boards import phases
from boards.errors import Invalid
from boards.models import Board, Participant, Vote, Workshop
from boards.ops.core import board_op
from boards.ops.notes import find_note
from boards.state import reducer, snapshot_part
from boards.visibility import anonymous_rows, anonymous_target, made_anonymously


def _votes_json(boards) -> dict[int, list]:
    votes = {board.id: [] for board in boards}
    for board_id, note_id, voter, anonymous in Vote.objects.filter(board__in=boards).values_list(
        "board_id", "note_id", "participant_id", "anonymous"
    ):
        votes[board_id].append({"note": note_id, "voter": voter, **made_anonymously(anonymous)})
    return votes


@snapshot_part
def _votes_part(board: Board) -> dict:
    return {"votes": _votes_json([board])[board.id]}


def _open_round(board: Board) -> None:
    if board.workshop.votes_closed:
        raise Invalid("The vote is closed.")


@board_op("vote.add", phases=phases.VOTING)
def do_add_vote(board: Board, actor: Participant, data: dict) -> dict:
    """Puts one of the actor's dots on a note, within the votes per person and per note."""
    _open_round(board)
    note = find_note(board, data, actor, field="note_id")
    if note.private:
        raise Invalid("A note that is not revealed cannot get votes.")
    workshop = board.workshop
    mine = Vote.objects.filter(board=board, participant=actor)
    if mine.count() >= workshop.votes_per_person:
        raise Invalid(f"You have used all your {workshop.votes_per_person} votes.")
    if mine.filter(note=note).count() >= workshop.votes_per_note:
        raise Invalid(f"You can give a note at most {workshop.votes_per_note} of your votes.")
    vote = Vote.objects.create(board=board, note=note, participant=actor, anonymous=workshop.anonymous)
    return {"note_id": note.id, "voter": actor.id, **made_anonymously(vote.anonymous)}


@board_op("vote.remove", phases=phases.VOTING)
def do_remove_vote(board: Board, actor: Participant, data: dict) -> dict:
    """Takes back the actor's latest dot on a note."""
    _open_round(board)
    note = find_note(board, data, actor, field="note_id")
    vote = Vote.objects.filter(board=board, participant=actor, note=note).order_by("-id").first()
    if vote is None:
        raise Invalid("You have no vote on that note.")
    vote.delete()
    # Taking back a dot given under anonymity does not name its giver either.
    return {"note_id": note.id, "voter": actor.id, **anonymous_target(vote.anonymous)}


@board_op("votes.close", facilitator_only=True, phases=phases.CLOSING_VOTES, workshop_wide=True)
def do_close_votes(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """Ends the round: every vote becomes visible, so the op carries them all and the totals."""
    workshop = boards[0].workshop
    if workshop.votes_closed:
        raise Invalid("The vote is already closed.")
    Workshop.objects.filter(id=workshop.id).update(votes_closed=True)
    results = {}
    for board_id, votes in _votes_json(boards).items():
        totals = {}
        for vote in votes:
            totals[vote["note"]] = totals.get(vote["note"], 0) + 1
        results[board_id] = {
            "votes": votes,
            "totals": [{"note": note, "count": count} for note, count in sorted(totals.items())],
            **anonymous_rows(votes),
        }
    return results


@board_op("votes.reset", facilitator_only=True, phases=phases.VOTING, workshop_wide=True)
def do_reset_votes(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """Starts the round again: every vote is taken back and the vote is open."""
    workshop = boards[0].workshop
    votes = Vote.objects.filter(board__in=boards)
    if not workshop.votes_closed and not votes.exists():
        raise Invalid("There is nothing to reset: no votes yet.")
    votes.delete()
    Workshop.objects.filter(id=workshop.id).update(votes_closed=False)
    return {board.id: {} for board in boards}


@reducer("vote.add")
def _add(state: dict, data: dict) -> None:
    state["votes"].append(
        {"note": data["note_id"], "voter": data["voter"], **made_anonymously(data.get("anonymous"))}
    )


@reducer("vote.remove")
def _remove(state: dict, data: dict) -> None:
    votes = state["votes"]
    last = max(i for i, v in enumerate(votes) if (v["note"], v["voter"]) == (data["note_id"], data["voter"]))
    del votes[last]


@reducer("votes.close")
def _close(state: dict, data: dict) -> None:
    state["votes"] = [dict(v) for v in data["votes"]]
    state["facilitation"]["votes_closed"] = True


@reducer("votes.reset")
def _reset(state: dict, data: dict) -> None:
    state["votes"] = []
    state["facilitation"]["votes_closed"] = False
