"""Facilitator controls: phases, settings, the timer, people, locking, joining and moderation.

Phases, settings, the timer, joining and roles belong to the workshop, so
their ops are workshop-wide (`@board_op(..., workshop_wide=True)`): the door
logs each on every board of the workshop, and every connection receives it
in its own board's seq stream. `board.lock` and moderation concern one board.
docs/protocol.md §7 describes every op here.
"""

from datetime import timedelta

from django.utils import timezone

from boards import phases
from boards.access import guards_the_team, speaks_for_the_team
from boards.errors import Forbidden, Invalid, NotFound
from boards.models import Board, Note, Participant, ParticipantRole, Phase, Workshop
from boards.ops.core import board_op
from boards.ops.notes import (
    MAX_NOTE_TEXT,
    close_gap,
    counts_if_private,
    find_note,
    insert_note,
    note_json,
    place_of,
    private_counts,
    private_meta,
    set_private_counts,
)
from boards.state import reducer, snapshot_part
from boards.visibility import REMOVED_PRIVATE_AUTHOR, anonymous_rows

MAX_TIMER_SECONDS = 24 * 3600
MAX_VOTES = 50
SETTINGS = ("anonymous", "moderation", "votes_per_person", "votes_per_note", "votes_hidden")


def _same(boards: list[Board], data: dict) -> dict[int, dict]:
    return {board.id: data for board in boards}


def _bool(data, field) -> bool:
    if not isinstance(data.get(field), bool):
        raise Invalid(f"{field} must be true or false.")
    return data[field]


def _whole(data, field, low, high) -> int:
    value = data.get(field)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Invalid(f"{field} must be a whole number from {low} to {high}.")
    return value


def _ms(moment) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def _now():
    """Now, to the millisecond: what the log stores is exactly what the database holds."""
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def settings_json(workshop: Workshop) -> dict:
    return {
        "anonymous": workshop.anonymous,
        "moderation": workshop.moderation,
        "votes_per_person": workshop.votes_per_person,
        "votes_per_note": workshop.votes_per_note,
        "votes_hidden": workshop.votes_hidden,
        "votes_closed": workshop.votes_closed,
    }


def timer_json(workshop: Workshop) -> dict:
    """The timer: `running` until `ends_at` (ms since the epoch), or `paused` with `remaining_ms` left."""
    if workshop.timer_ends_at is not None:
        state = "running"
    elif workshop.timer_remaining_ms is not None:
        state = "paused"
    else:
        state = "stopped"
    return {
        "state": state,
        "ends_at": _ms(workshop.timer_ends_at),
        "remaining_ms": workshop.timer_remaining_ms,
        "duration_ms": workshop.timer_duration_ms,
    }


@snapshot_part
def _facilitation_part(board: Board) -> dict:
    workshop = Workshop.objects.get(id=board.workshop_id)
    return {
        "facilitation": {
            "phase": workshop.phase,
            **settings_json(workshop),
            "joining_open": workshop.joining_open,
            "locked": board.locked,
            "timer": timer_json(workshop),
            "private_counts": private_counts(board),
        }
    }


# --- phases -------------------------------------------------------------------------


@board_op("phase.set", facilitator_only=True, workshop_wide=True)
def do_set_phase(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """Moves the workshop to any phase, forward or back.

    Leaving silent writing reveals every private note that is not hidden: each
    gets the next place in its section, and the op carries the revealed notes
    so that every client, which never saw them, ends with the same board.
    """
    workshop = boards[0].workshop
    phase = data.get("phase")
    if phase not in phases.ORDER:
        raise Invalid(f"phase must be one of {', '.join(phases.ORDER)}.")
    if phase == workshop.phase:
        raise Invalid(f"The workshop is already in the {phase} phase.")
    Workshop.objects.filter(id=workshop.id).update(phase=phase)
    revealed = {board.id: [] for board in boards}
    if workshop.phase == Phase.WRITE:
        notes = list(
            Note.objects.filter(board__in=boards, private=True, hidden=False)
            .select_related("author", "section", "stage", "lane")
            .order_by("board_id", "section__position", "section_id", "id")
        )
        next_place = {}
        for note in notes:
            # A place is a section, a journey cell or a board's parking lot.
            place = (note.board_id, note.section_id, note.stage_id, note.lane_id)
            if place not in next_place:
                next_place[place] = Note.objects.filter(
                    board_id=note.board_id, **place_of(note), private=False
                ).count()
            note.private, note.position = False, next_place[place]
            next_place[place] += 1
            revealed[note.board_id].append(note_json(note))
        Note.objects.bulk_update(notes, ["private", "position"])
    return {
        board.id: {
            "phase": phase,
            "previous": workshop.phase,
            "revealed": revealed[board.id],
            "private_counts": private_counts(board),
            **anonymous_rows(revealed[board.id]),
        }
        for board in boards
    }


@reducer("phase.set")
def _phase(state: dict, data: dict) -> None:
    state["facilitation"]["phase"] = data["phase"]
    for note in data["revealed"]:
        state["notes"] = [n for n in state["notes"] if n["id"] != note["id"]]
        insert_note(state, dict(note), None)
    set_private_counts(state, data)


# --- settings -------------------------------------------------------------------------


@board_op("workshop.settings", facilitator_only=True, workshop_wide=True)
def do_change_settings(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """Anonymous mode, moderation and the vote rules; the op carries all of them afterwards."""
    workshop = Workshop.objects.get(id=boards[0].workshop_id)
    unknown = set(data) - set(SETTINGS)
    if unknown:
        raise Invalid(f"Unknown setting {sorted(unknown)[0]!r}; settings are {', '.join(SETTINGS)}.")
    changes = {}
    for field in ("anonymous", "moderation", "votes_hidden"):
        if field in data and _bool(data, field) != getattr(workshop, field):
            changes[field] = data[field]
    for field in ("votes_per_person", "votes_per_note"):
        if field in data and _whole(data, field, 1, MAX_VOTES) != getattr(workshop, field):
            changes[field] = data[field]
    if not changes:
        raise Invalid("Nothing to change.")
    Workshop.objects.filter(id=workshop.id).update(**changes)
    for field, value in changes.items():
        setattr(workshop, field, value)
    return _same(boards, settings_json(workshop))


@reducer("workshop.settings")
def _settings(state: dict, data: dict) -> None:
    state["facilitation"].update(data)


@board_op("workshop.joining", facilitator_only=True, workshop_wide=True)
def do_set_joining(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """Opens or closes the workshop to new joiners (people already in stay in)."""
    workshop = boards[0].workshop
    joining_open = _bool(data, "open")
    if joining_open == workshop.joining_open:
        raise Invalid(f"Joining is already {'open' if joining_open else 'closed'}.")
    Workshop.objects.filter(id=workshop.id).update(joining_open=joining_open)
    return _same(boards, {"joining_open": joining_open})


@reducer("workshop.joining")
def _joining(state: dict, data: dict) -> None:
    state["facilitation"]["joining_open"] = data["joining_open"]


@board_op("board.lock", facilitator_only=True)
def do_lock_board(board: Board, actor: Participant, data: dict) -> dict:
    """Makes the board read-only for everyone but facilitators, or writable again."""
    locked = _bool(data, "locked")
    if locked == board.locked:
        raise Invalid(f"The board is already {'locked' if locked else 'unlocked'}.")
    Board.objects.filter(id=board.id).update(locked=locked)
    return {"locked": locked}


@reducer("board.lock")
def _lock(state: dict, data: dict) -> None:
    state["facilitation"]["locked"] = data["locked"]


# --- the timer ------------------------------------------------------------------------


def _set_timer(boards: list[Board], **fields) -> dict[int, dict]:
    """Stores the timer and returns the op data: the timer and the server's clock (`server_now`)."""
    workshop = boards[0].workshop
    Workshop.objects.filter(id=workshop.id).update(**fields)
    for field, value in fields.items():
        setattr(workshop, field, value)
    return _same(boards, {"timer": timer_json(workshop), "server_now": _ms(timezone.now())})


@board_op("timer.start", facilitator_only=True, workshop_wide=True)
def do_start_timer(boards, actor, data):
    seconds = _whole(data, "seconds", 1, MAX_TIMER_SECONDS)
    return _set_timer(
        boards,
        timer_ends_at=_now() + timedelta(seconds=seconds),
        timer_remaining_ms=None,
        timer_duration_ms=seconds * 1000,
    )


@board_op("timer.pause", facilitator_only=True, workshop_wide=True)
def do_pause_timer(boards, actor, data):
    workshop = boards[0].workshop
    if workshop.timer_ends_at is None:
        raise Invalid("The timer is not running.")
    left = max(0, _ms(workshop.timer_ends_at) - _ms(_now()))
    return _set_timer(boards, timer_ends_at=None, timer_remaining_ms=left)


@board_op("timer.resume", facilitator_only=True, workshop_wide=True)
def do_resume_timer(boards, actor, data):
    workshop = boards[0].workshop
    if workshop.timer_remaining_ms is None:
        raise Invalid("The timer is not paused.")
    ends_at = _now() + timedelta(milliseconds=workshop.timer_remaining_ms)
    return _set_timer(boards, timer_ends_at=ends_at, timer_remaining_ms=None)


@board_op("timer.extend", facilitator_only=True, workshop_wide=True)
def do_extend_timer(boards, actor, data):
    """Adds time to a running or paused timer (a running one that ran out restarts from now)."""
    workshop = boards[0].workshop
    seconds = _whole(data, "seconds", 1, MAX_TIMER_SECONDS)
    duration = min((workshop.timer_duration_ms or 0) + seconds * 1000, 2 * MAX_TIMER_SECONDS * 1000)
    if workshop.timer_ends_at is not None:
        ends_at = max(workshop.timer_ends_at, _now()) + timedelta(seconds=seconds)
        return _set_timer(boards, timer_ends_at=ends_at, timer_duration_ms=duration)
    if workshop.timer_remaining_ms is not None:
        return _set_timer(
            boards,
            timer_remaining_ms=workshop.timer_remaining_ms + seconds * 1000,
            timer_duration_ms=duration,
        )
    raise Invalid("The timer is not running; start it instead.")


@board_op("timer.stop", facilitator_only=True, workshop_wide=True)
def do_stop_timer(boards, actor, data):
    workshop = boards[0].workshop
    if workshop.timer_ends_at is None and workshop.timer_remaining_ms is None:
        raise Invalid("The timer is already stopped.")
    return _set_timer(boards, timer_ends_at=None, timer_remaining_ms=None, timer_duration_ms=None)


def _timer(state: dict, data: dict) -> None:
    state["facilitation"]["timer"] = data["timer"]


for _kind in ("timer.start", "timer.pause", "timer.resume", "timer.extend", "timer.stop"):
    reducer(_kind)(_timer)


# --- people ---------------------------------------------------------------------------


def _participant(boards: list[Board], data) -> Participant:
    participant_id = data.get("id")
    if not isinstance(participant_id, int) or isinstance(participant_id, bool):
        raise Invalid("id must be a participant id (a number).")
    participant = Participant.objects.filter(
        id=participant_id, workshop_id=boards[0].workshop_id, removed_at__isnull=True
    ).first()
    if participant is None:
        raise NotFound("This workshop has no such participant.")
    return participant


def _keep_a_facilitator(participant: Participant) -> None:
    if participant.role == ParticipantRole.FACILITATOR:
        others = Participant.objects.filter(
            workshop_id=participant.workshop_id, role=ParticipantRole.FACILITATOR, removed_at__isnull=True
        ).exclude(id=participant.id)
        if not others.exists():
            raise Invalid("A workshop needs a facilitator: make someone else facilitator first.")


def _guard_the_team(actor: Participant, participant: Participant) -> None:
    if guards_the_team(participant) and not speaks_for_the_team(actor):
        raise Forbidden(
            "Only the team's owners and facilitators can remove or change the role of "
            "the workshop's creator or the team's owners and facilitators."
        )


@board_op("participant.role", facilitator_only=True, workshop_wide=True)
def do_set_role(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """Makes someone facilitator (a workshop may have several), participant or observer (read-only)."""
    participant = _participant(boards, data)
    role = data.get("role")
    if role not in ParticipantRole.values:
        raise Invalid(f"role must be one of {', '.join(ParticipantRole.values)}.")
    if role == participant.role:
        raise Invalid(f"They are already {role}.")
    _guard_the_team(actor, participant)
    _keep_a_facilitator(participant)
    Participant.objects.filter(id=participant.id).update(role=role)
    return _same(boards, {"id": participant.id, "role": role})


@board_op("participant.remove", facilitator_only=True, workshop_wide=True)
def do_remove_participant(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """Removes someone: their token stops working and their open connections are closed."""
    participant = _participant(boards, data)
    _guard_the_team(actor, participant)
    _keep_a_facilitator(participant)
    Participant.objects.filter(id=participant.id).update(removed_at=timezone.now())
    return _same(boards, {"id": participant.id})


@reducer("participant.role")
def _role(state: dict, data: dict) -> None:
    """People are not part of a board's state, but a note's (or an opportunity's) author
    carries their current role."""
    for item in state["notes"] + state.get("opportunities", []):
        author = item.get("author")
        if author and author.get("id") == data["id"]:
            author["role"] = data["role"]


@reducer("participant.remove")
def _nothing(state: dict, data: dict) -> None:
    """People are not part of a board's state (presence is ephemeral)."""


# --- moderation -----------------------------------------------------------------------


def _moderating(board: Board) -> None:
    if not board.workshop.moderation:
        raise Invalid("Turn moderation on to hide or merge notes.")


@board_op("note.hide", facilitator_only=True, phases=phases.MODERATING)
def do_hide_note(board: Board, actor: Participant, data: dict) -> dict:
    """Keeps a private note from being revealed, or lets it be revealed again.

    After the reveal, un-hiding a note reveals it at once, at the end of its section.
    """
    _moderating(board)
    note = find_note(board, data, actor)
    hidden = _bool(data, "hidden")
    if not note.private:
        raise Invalid("Only notes that are not revealed yet can be hidden.")
    if hidden == note.hidden:
        raise Invalid(f"The note is already {'hidden' if hidden else 'not hidden'}.")
    note.hidden = hidden
    if not hidden and board.workshop.phase != Phase.WRITE:
        note.private = False
        # The next place of its own cell or section, on its own board.
        note.position = Note.objects.filter(board_id=note.board_id, **place_of(note), private=False).count()
    Note.objects.filter(id=note.id).update(hidden=note.hidden, private=note.private, position=note.position)
    return {
        "id": note.id,
        "hidden": hidden,
        "note": note_json(note),
        **private_meta(note),
        "private_counts": private_counts(board),
        **anonymous_rows([{"anonymous": note.anonymous}]),
    }


@reducer("note.hide")
def _hide(state: dict, data: dict) -> None:
    state["notes"] = [n for n in state["notes"] if n["id"] != data["id"]]
    insert_note(state, dict(data["note"]), None)
    set_private_counts(state, data)


@board_op("note.merge", facilitator_only=True, phases=phases.MODERATING)
def do_merge_notes(board: Board, actor: Participant, data: dict) -> dict:
    """Merges note `id` into note `into`: its text is appended, and it is deleted."""
    _moderating(board)
    source = find_note(board, data, actor)
    target = find_note(board, data, actor, field="into")
    if source.id == target.id:
        raise Invalid("A note cannot be merged into itself.")
    text = "\n".join(t for t in (target.text, source.text) if t)
    if len(text) > MAX_NOTE_TEXT:
        raise Invalid(f"The merged text would be longer than {MAX_NOTE_TEXT} characters.")
    source.delete()
    close_gap(source)
    Note.objects.filter(id=target.id).update(text=text)
    result = {
        "id": target.id,
        "text": text,
        "removed": data["id"],
        **private_meta(target),
        **counts_if_private(board, source),
    }
    if source.private:
        result[REMOVED_PRIVATE_AUTHOR] = source.author_id
    return result


@reducer("note.merge")
def _merge(state: dict, data: dict) -> None:
    state["notes"] = [n for n in state["notes"] if n["id"] != data["removed"]]
    state["votes"] = [v for v in state.get("votes", []) if v["note"] != data["removed"]]
    set_private_counts(state, data)
    if "id" in data:
        for note in state["notes"]:
            if note["id"] == data["id"]:
                note["text"] = data["text"]
