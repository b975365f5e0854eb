"""Ops on notes and the persona card, and their replay (the core ops of the wire contract).

A note lives in a *place*: a section of an empathy map, or on a journey map a
cell (stage, lane) or the board's parking lot. The note ops are the same for
every place; only how a request names the place differs (`section`, or
`stage` + `lane`).
"""

from django.db.models import Count, F

from boards import phases
from boards.errors import Invalid, NotFound, TooLarge
from boards.models import (
    Board,
    BoardKind,
    Lane,
    LaneKind,
    Note,
    NoteColor,
    Participant,
    Persona,
    Phase,
    Section,
    Stage,
)
from boards.ops.core import actor_json, board_op
from boards.state import reducer
from boards.visibility import (
    META_KEYS,
    PRIVATE_AUTHOR,
    PRIVATE_COUNTS,
    anonymous_target,
    made_anonymously,
    viewer_of,
)

MAX_NOTE_TEXT = 2000
# Far more than a day-long workshop writes (the demo's busiest board has ~60),
# few enough that a snapshot, an export or a page stays quick.
MAX_NOTES_PER_BOARD = 5000
MAX_PERSONA_FIELDS = 12
MAX_PERSONA_FIELD = 500


# --- validation helpers -------------------------------------------------------


def _text(data, field="text", required=False, limit=MAX_NOTE_TEXT) -> str | None:
    if field not in data:
        if required:
            raise Invalid(f"{field} is required.")
        return None
    value = data[field]
    if not isinstance(value, str):
        raise Invalid(f"{field} must be a string.")
    if len(value) > limit:
        raise Invalid(f"{field} must be at most {limit} characters.")
    return value


def _color(data) -> str | None:
    if "color" not in data:
        return None
    if data["color"] not in NoteColor.values:
        raise Invalid(f"color must be one of {', '.join(NoteColor.values)}.")
    return data["color"]


def _section(board: Board, data) -> Section:
    key = data.get("section")
    if not isinstance(key, str):
        raise Invalid("section is required.")
    section = Section.objects.filter(board=board, key=key).order_by("pk").first()
    if section is None:
        raise Invalid(f"This board has no section {key!r}.")
    return section


def _cell(board: Board, data) -> dict:
    """A journey map's cell named by `stage` and `lane` keys; both null is the parking lot."""
    if "stage" not in data or "lane" not in data:
        raise Invalid("A note on a journey map needs stage and lane (both null: the parking lot).")
    stage_key, lane_key = data["stage"], data["lane"]
    if stage_key is None and lane_key is None:
        return {"section": None, "stage": None, "lane": None}
    if not isinstance(stage_key, str) or not isinstance(lane_key, str):
        raise Invalid("stage and lane must be keys, or both null for the parking lot.")
    stage = Stage.objects.filter(board=board, key=stage_key).order_by("pk").first()
    if stage is None:
        raise NotFound(f"This board has no stage {stage_key!r}.")
    lane = Lane.objects.filter(board=board, key=lane_key).order_by("pk").first()
    if lane is None:
        raise NotFound(f"This board has no lane {lane_key!r}.")
    if lane.kind != LaneKind.NOTES:
        raise Invalid(f"The {lane.title} lane holds the emotion curve, not notes.")
    return {"section": None, "stage": stage, "lane": lane}


def _place(board: Board, data) -> dict:
    """Where a request puts a note: the Note fields section, stage and lane."""
    if board.kind == BoardKind.JOURNEY_MAP:
        return _cell(board, data)
    if "stage" in data or "lane" in data:
        raise Invalid("Only a journey map has stages and lanes; give a section.")
    return {"section": _section(board, data), "stage": None, "lane": None}


def _siblings(board: Board, place: dict):
    """The public notes sharing a place, whose positions run 0..n-1."""
    return Note.objects.filter(board=board, private=False, **place)


def place_of(note: Note) -> dict:
    return {"section_id": note.section_id, "stage_id": note.stage_id, "lane_id": note.lane_id}


def place_json(place: dict) -> dict:
    """How ops and snapshots name a note's place."""
    if place["section"] is not None:
        return {"section": place["section"].key}
    return {
        "section": None,
        "stage": place["stage"].key if place["stage"] else None,
        "lane": place["lane"].key if place["lane"] else None,
    }


def find_note(board: Board, data, actor: Participant, field="id") -> Note:
    """The note `data[field]` names, if the actor may see it.

    A private note someone else wrote is answered as missing, exactly like a
    note that does not exist, so private notes cannot be probed.
    """
    note_id = data.get(field)
    if not isinstance(note_id, int) or isinstance(note_id, bool):
        raise Invalid(f"{field} must be a note id (a number).")
    note = (
        Note.objects.filter(board=board, id=note_id)
        .select_related("section", "stage", "lane")
        .order_by("pk")
        .first()
    )
    if note is None or (note.private and not viewer_of(actor, board.workshop).sees_private(note.author_id)):
        raise NotFound(f"This board has no note {note_id}.")
    return note


def private_meta(note: Note) -> dict:
    """For an op about a note: who may see it, whether its author stays unnamed (visibility strips these)."""
    return {**({PRIVATE_AUTHOR: note.author_id} if note.private else {}), **anonymous_target(note.anonymous)}


def private_counts(board: Board) -> dict[str, int]:
    """How many notes are still private in each place (the count everyone may see rise).

    A place is named by its section key, or on a journey map by "stage/lane".
    """
    rows = (
        Note.objects.filter(board=board, private=True)
        .order_by()
        .values_list("section__key", "stage__key", "lane__key")
        .annotate(n=Count("id"))
    )
    return {section or f"{stage}/{lane}": n for section, stage, lane, n in rows}


def counts_if_private(board: Board, note: Note) -> dict:
    """For an op that adds, moves or removes a private note: the sections' new private counts."""
    return {PRIVATE_COUNTS: private_counts(board)} if note.private else {}


def close_gap(note: Note) -> None:
    """Closes the gap a public note leaves in its place's order (private notes have no place yet)."""
    if not note.private:
        Note.objects.filter(
            board_id=note.board_id, **place_of(note), private=False, position__gt=note.position
        ).update(position=F("position") - 1)


def _index(data) -> int:
    index = data.get("index")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise Invalid("index must be a whole number, 0 or more.")
    return index


def note_json(note: Note) -> dict:
    """A note as snapshots and `note.add` carry it."""
    return {
        "id": note.id,
        **place_json({"section": note.section, "stage": note.stage, "lane": note.lane}),
        "text": note.text,
        "color": note.color,
        "author": actor_json(note.author),
        "created_at": note.created_at.isoformat(),
        "private": note.private,
        "hidden": note.hidden,
        "cluster": note.cluster_id,
        **made_anonymously(note.anonymous),
    }


# --- notes ----------------------------------------------------------------------


@board_op("note.add", phases=phases.WRITING)
def do_add_note(board: Board, actor: Participant, data: dict) -> dict:
    """Adds a note at the end of its place; in silent writing it is private until the phase ends."""
    place = _place(board, data)
    text = _text(data) or ""
    color = _color(data) or NoteColor.YELLOW
    if Note.objects.filter(board=board).count() >= MAX_NOTES_PER_BOARD:
        raise TooLarge(f"A board holds at most {MAX_NOTES_PER_BOARD:,} notes; delete or merge some first.")
    private = board.workshop.phase == Phase.WRITE
    position = 0 if private else _siblings(board, place).count()
    note = Note.objects.create(
        board=board,
        **place,
        text=text,
        color=color,
        position=position,
        author=actor,
        private=private,
        anonymous=board.workshop.anonymous,
    )
    return {**note_json(note), **private_meta(note), **counts_if_private(board, note)}


@board_op("note.update", phases=phases.EDITING)
def do_update_note(board: Board, actor: Participant, data: dict) -> dict:
    note = find_note(board, data, actor)
    changes = {}
    text = _text(data)
    if text is not None and text != note.text:
        changes["text"] = text
    color = _color(data)
    if color is not None and color != note.color:
        changes["color"] = color
    if not changes:
        raise Invalid("Nothing to change: give a new text or color.")
    Note.objects.filter(id=note.id).update(**changes)
    return {"id": note.id, **changes, **private_meta(note)}


@board_op("note.move", phases=phases.EDITING)
def do_move_note(board: Board, actor: Participant, data: dict) -> dict:
    """Puts a note at `index` of a place (clamped), closing the gap it leaves.

    A private note has no place in the order yet: it only changes place (its
    index is always 0) and lists after the public notes.
    """
    note = find_note(board, data, actor)
    target = _place(board, data)
    same_place = {k: getattr(v, "id", None) for k, v in target.items()} == {
        "section": note.section_id,
        "stage": note.stage_id,
        "lane": note.lane_id,
    }
    if note.private:
        _index(data)
        if same_place:
            raise Invalid("The note is already there.")
        Note.objects.filter(id=note.id).update(**target)
        return {
            "id": note.id,
            **place_json(target),
            "index": 0,
            **private_meta(note),
            **counts_if_private(board, note),
        }
    others = _siblings(board, target).exclude(id=note.id)
    index = min(_index(data), others.count())
    if same_place and index == note.position:
        raise Invalid("The note is already there.")
    close_gap(note)
    others.filter(position__gte=index).update(position=F("position") + 1)
    Note.objects.filter(id=note.id).update(**target, position=index)
    return {"id": note.id, **place_json(target), "index": index, **anonymous_target(note.anonymous)}


@board_op("note.delete", phases=phases.EDITING)
def do_delete_note(board: Board, actor: Participant, data: dict) -> dict:
    note = find_note(board, data, actor)
    note.delete()
    close_gap(note)
    return {"id": data["id"], **private_meta(note), **counts_if_private(board, note)}


# --- persona ----------------------------------------------------------------------


@board_op("persona.update")
def do_update_persona(board: Board, actor: Participant, data: dict) -> dict:
    """Changes the persona card: its name and any of its short detail fields."""
    personas = Persona.objects.filter(board=board)
    if "id" in data:
        persona = personas.filter(id=data["id"]).first() if isinstance(data["id"], int) else None
    else:
        persona = personas.first()
    if persona is None:
        raise NotFound("This board has no such persona.")
    changes = {}
    name = _text(data, "name", limit=120)
    if name is not None and name != persona.name:
        changes["name"] = name
    if "details" in data:
        details = data["details"]
        if not isinstance(details, dict) or not all(
            isinstance(k, str) and 0 < len(k) <= 40 and isinstance(v, str) and len(v) <= MAX_PERSONA_FIELD
            for k, v in details.items()
        ):
            raise Invalid(
                f"details must map short field names to texts of at most {MAX_PERSONA_FIELD} characters."
            )
        merged = {**persona.details, **details}
        if len(merged) > MAX_PERSONA_FIELDS:
            raise Invalid(f"A persona has at most {MAX_PERSONA_FIELDS} detail fields.")
        if merged != persona.details:
            changes["details"] = merged
    if not changes:
        raise Invalid("Nothing to change: give a new name or details.")
    Persona.objects.filter(id=persona.id).update(**changes)
    return {"id": persona.id, **changes}


# --- replay (boards/state.py applies these to plain-data states) ---------------


def place_rank(state: dict):
    """Board order of the places notes live in: sections in order; on a journey
    map cells by stage then lane, and the parking lot last."""
    sections = {s["key"]: i for i, s in enumerate(state["sections"])}
    stages = {s["key"]: i for i, s in enumerate(state.get("stages", []))}
    lanes = {s["key"]: i for i, s in enumerate(state.get("lanes", []))}
    last = len(stages) + len(lanes) + 1

    def rank(note: dict) -> tuple:
        if note["section"] is not None:
            return (0, sections[note["section"]], 0)
        if note["stage"] is None:
            return (1, last, last)
        return (1, stages[note["stage"]], lanes[note["lane"]])

    return rank


def sort_notes(state: dict) -> None:
    """Restores board order after places were reordered (stable: keeps each place's order)."""
    state["notes"].sort(key=place_rank(state))


def insert_note(state: dict, note: dict, index: int | None) -> None:
    """Puts a note into the notes list at `index` of its place (None: at the end).

    The notes list is kept in board order: by place, then the public notes by
    position, then the private ones by id.
    """
    rank = place_rank(state)
    notes = state["notes"]
    mine = rank(note)
    start = next((i for i, n in enumerate(notes) if rank(n) >= mine), len(notes))
    end = next((i for i, n in enumerate(notes) if rank(n) > mine), len(notes))
    public_end = next((i for i in range(start, end) if notes[i].get("private")), end)
    if note.get("private"):
        at = next((i for i in range(public_end, end) if notes[i]["id"] > note["id"]), end)
    else:
        at = public_end if index is None else min(start + index, public_end)
    notes.insert(at, note)


def without_meta(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in (*META_KEYS, PRIVATE_COUNTS, "id")}


def set_private_counts(state: dict, data: dict) -> None:
    if PRIVATE_COUNTS in data:
        state["facilitation"][PRIVATE_COUNTS] = data[PRIVATE_COUNTS]


def _find(state: dict, note_id: int) -> dict:
    return next(n for n in state["notes"] if n["id"] == note_id)


@reducer("note.add")
def _add(state: dict, data: dict) -> None:
    insert_note(state, {k: v for k, v in data.items() if k not in (*META_KEYS, PRIVATE_COUNTS)}, None)
    set_private_counts(state, data)


@reducer("note.update")
def _update(state: dict, data: dict) -> None:
    _find(state, data["id"]).update(without_meta(data))


@reducer("note.move")
def _move(state: dict, data: dict) -> None:
    note = _find(state, data["id"])
    state["notes"].remove(note)
    note.update({k: v for k, v in data.items() if k in ("section", "stage", "lane")})
    insert_note(state, note, data["index"])
    set_private_counts(state, data)


@reducer("note.delete")
def _delete(state: dict, data: dict) -> None:
    state["notes"] = [n for n in state["notes"] if n["id"] != data["id"]]
    # A note's votes go with it (boards/ops/votes.py).
    state["votes"] = [v for v in state.get("votes", []) if v["note"] != data["id"]]
    set_private_counts(state, data)


@reducer("persona.update")
def _persona(state: dict, data: dict) -> None:
    persona = next(p for p in state["personas"] if p["id"] == data["id"])
    persona.update({k: v for k, v in data.items() if k != "id"})
