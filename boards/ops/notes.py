"""Ops on notes and the persona card, and their replay (the core ops of the wire contract).

A note lives in a *place*: a section of an empathy map, or on a journey map a
cell (stage, lane) or the board's parking lot. The note ops are the same for
every place; only how a request names the place differs (`section`, or
`stage` + `lane`).
"""

from django.db.models import F

from boards.errors import Invalid, NotFound
from boards.models import (
    Board,
    BoardKind,
    Lane,
    LaneKind,
    Note,
    NoteColor,
    Participant,
    Persona,
    Section,
    Stage,
)
from boards.ops.core import actor_json, board_op
from boards.state import reducer

MAX_NOTE_TEXT = 2000
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
    section = Section.objects.filter(board=board, key=key).first()
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
    stage = Stage.objects.filter(board=board, key=stage_key).first()
    if stage is None:
        raise NotFound(f"This board has no stage {stage_key!r}.")
    lane = Lane.objects.filter(board=board, key=lane_key).first()
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
    """The notes sharing a place, whose positions run 0..n-1."""
    return Note.objects.filter(board=board, **place)


def _place_of(note: Note) -> dict:
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


def _note(board: Board, data) -> Note:
    note_id = data.get("id")
    if not isinstance(note_id, int) or isinstance(note_id, bool):
        raise Invalid("id must be a note id (a number).")
    note = Note.objects.filter(board=board, id=note_id).select_related("section", "stage", "lane").first()
    if note is None:
        raise NotFound(f"This board has no note {note_id}.")
    return note


def _index(data) -> int:
    index = data.get("index")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise Invalid("index must be a whole number, 0 or more.")
    return index


def note_json(note: Note) -> dict:
    """A note as snapshots and `note.add` carry it."""
    place = {"section": note.section, "stage": note.stage, "lane": note.lane}
    return {
        "id": note.id,
        **place_json(place),
        "text": note.text,
        "color": note.color,
        "author": actor_json(note.author),
        "created_at": note.created_at.isoformat(),
    }


# --- notes ----------------------------------------------------------------------


@board_op("note.add")
def do_add_note(board: Board, actor: Participant, data: dict) -> dict:
    place = _place(board, data)
    text = _text(data) or ""
    color = _color(data) or NoteColor.YELLOW
    position = _siblings(board, place).count()
    note = Note.objects.create(board=board, **place, text=text, color=color, position=position, author=actor)
    return note_json(note)


@board_op("note.update")
def do_update_note(board: Board, actor: Participant, data: dict) -> dict:
    note = _note(board, data)
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
    return {"id": note.id, **changes}


@board_op("note.move")
def do_move_note(board: Board, actor: Participant, data: dict) -> dict:
    """Puts a note at `index` of a place (clamped), closing the gap it leaves."""
    note = _note(board, data)
    target = _place(board, data)
    others = _siblings(board, target).exclude(id=note.id)
    index = min(_index(data), others.count())
    same_place = {k: getattr(v, "id", None) for k, v in target.items()} == {
        "section": note.section_id,
        "stage": note.stage_id,
        "lane": note.lane_id,
    }
    if same_place and index == note.position:
        raise Invalid("The note is already there.")
    Note.objects.filter(board=board, **_place_of(note), position__gt=note.position).update(
        position=F("position") - 1
    )
    others.filter(position__gte=index).update(position=F("position") + 1)
    Note.objects.filter(id=note.id).update(**target, position=index)
    return {"id": note.id, **place_json(target), "index": index}


@board_op("note.delete")
def do_delete_note(board: Board, actor: Participant, data: dict) -> dict:
    note = _note(board, data)
    note.delete()
    Note.objects.filter(board=board, **_place_of(note), position__gt=note.position).update(
        position=F("position") - 1
    )
    return {"id": data["id"]}


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

    The notes list is kept in board order: by place, then position.
    """
    rank = place_rank(state)
    notes = state["notes"]
    mine = rank(note)
    start = next((i for i, n in enumerate(notes) if rank(n) >= mine), len(notes))
    end = next((i for i, n in enumerate(notes) if rank(n) > mine), len(notes))
    at = end if index is None else min(start + index, end)
    notes.insert(at, note)


def _find(state: dict, note_id: int) -> dict:
    return next(n for n in state["notes"] if n["id"] == note_id)


@reducer("note.add")
def _add(state: dict, data: dict) -> None:
    insert_note(state, dict(data), None)


@reducer("note.update")
def _update(state: dict, data: dict) -> None:
    _find(state, data["id"]).update({k: v for k, v in data.items() if k != "id"})


@reducer("note.move")
def _move(state: dict, data: dict) -> None:
    note = _find(state, data["id"])
    state["notes"].remove(note)
    note.update({k: v for k, v in data.items() if k in ("section", "stage", "lane")})
    insert_note(state, note, data["index"])


@reducer("note.delete")
def _delete(state: dict, data: dict) -> None:
    state["notes"] = [n for n in state["notes"] if n["id"] != data["id"]]


@reducer("persona.update")
def _persona(state: dict, data: dict) -> None:
    persona = next(p for p in state["personas"] if p["id"] == data["id"])
    persona.update({k: v for k, v in data.items() if k != "id"})
