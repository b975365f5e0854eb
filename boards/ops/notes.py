"""Ops on notes and the persona card, and their replay (the core ops of the wire contract)."""

from django.db.models import F

from boards.errors import Invalid, NotFound
from boards.models import Board, Note, NoteColor, Participant, Persona, Section
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


def _note(board: Board, data) -> Note:
    note_id = data.get("id")
    if not isinstance(note_id, int) or isinstance(note_id, bool):
        raise Invalid("id must be a note id (a number).")
    note = Note.objects.filter(board=board, id=note_id).select_related("section").first()
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
    return {
        "id": note.id,
        "section": note.section.key,
        "text": note.text,
        "color": note.color,
        "author": actor_json(note.author),
        "created_at": note.created_at.isoformat(),
    }


# --- notes ----------------------------------------------------------------------


@board_op("note.add")
def do_add_note(board: Board, actor: Participant, data: dict) -> dict:
    section = _section(board, data)
    text = _text(data) or ""
    color = _color(data) or NoteColor.YELLOW
    position = Note.objects.filter(section=section).count()
    note = Note.objects.create(
        board=board, section=section, text=text, color=color, position=position, author=actor
    )
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
    """Puts a note at `index` of `section` (clamped), closing the gap it leaves."""
    note = _note(board, data)
    target = _section(board, data)
    others = Note.objects.filter(section=target).exclude(id=note.id)
    index = min(_index(data), others.count())
    if target.id == note.section_id and index == note.position:
        raise Invalid("The note is already there.")
    Note.objects.filter(section_id=note.section_id, position__gt=note.position).update(
        position=F("position") - 1
    )
    others.filter(position__gte=index).update(position=F("position") + 1)
    Note.objects.filter(id=note.id).update(section=target, position=index)
    return {"id": note.id, "section": target.key, "index": index}


@board_op("note.delete")
def do_delete_note(board: Board, actor: Participant, data: dict) -> dict:
    note = _note(board, data)
    note.delete()
    Note.objects.filter(section_id=note.section_id, position__gt=note.position).update(
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


def _section_order(state: dict) -> dict[str, int]:
    return {section["key"]: i for i, section in enumerate(state["sections"])}


def _place(state: dict, note: dict, index: int | None) -> None:
    """Puts a note into the notes list at `index` of its section (None: at the end).

    The notes list is kept in board order: by section, then position.
    """
    order = _section_order(state)
    notes = state["notes"]
    rank = order[note["section"]]
    start = next((i for i, n in enumerate(notes) if order[n["section"]] >= rank), len(notes))
    end = next((i for i, n in enumerate(notes) if order[n["section"]] > rank), len(notes))
    at = end if index is None else min(start + index, end)
    notes.insert(at, note)


def _find(state: dict, note_id: int) -> dict:
    return next(n for n in state["notes"] if n["id"] == note_id)


@reducer("note.add")
def _add(state: dict, data: dict) -> None:
    _place(state, dict(data), None)


@reducer("note.update")
def _update(state: dict, data: dict) -> None:
    _find(state, data["id"]).update({k: v for k, v in data.items() if k != "id"})


@reducer("note.move")
def _move(state: dict, data: dict) -> None:
    note = _find(state, data["id"])
    state["notes"].remove(note)
    note["section"] = data["section"]
    _place(state, note, data["index"])


@reducer("note.delete")
def _delete(state: dict, data: dict) -> None:
    state["notes"] = [n for n in state["notes"] if n["id"] != data["id"]]


@reducer("persona.update")
def _persona(state: dict, data: dict) -> None:
    persona = next(p for p in state["personas"] if p["id"] == data["id"])
    persona.update({k: v for k, v in data.items() if k != "id"})
