"""Ops on notes and the persona card, and their replay (the core ops of the wire contract)."""

from django.db.models import Count, F

from boards import phases
from boards.errors import Invalid, NotFound
from boards.models import Board, Note, NoteColor, Participant, Persona, Phase, Section
from boards.ops.core import actor_json, board_op
from boards.state import reducer
from boards.visibility import PRIVATE_AUTHOR, PRIVATE_COUNTS, viewer_of

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


def find_note(board: Board, data, actor: Participant, field="id") -> Note:
    """The note `data[field]` names, if the actor may see it.

    A private note someone else wrote is answered as missing, exactly like a
    note that does not exist, so private notes cannot be probed.
    """
    note_id = data.get(field)
    if not isinstance(note_id, int) or isinstance(note_id, bool):
        raise Invalid(f"{field} must be a note id (a number).")
    note = Note.objects.filter(board=board, id=note_id).select_related("section").first()
    if note is None or (note.private and not viewer_of(actor, board.workshop).sees_private(note.author_id)):
        raise NotFound(f"This board has no note {note_id}.")
    return note


def private_meta(note: Note) -> dict:
    """For an op about a private note: who may see it (boards/visibility.py strips this)."""
    return {PRIVATE_AUTHOR: note.author_id} if note.private else {}


def private_counts(board: Board) -> dict[str, int]:
    """How many notes are still private in each section (the count everyone may see rise)."""
    rows = Note.objects.filter(board=board, private=True).order_by().values_list("section__key")
    return dict(rows.annotate(n=Count("id")))


def counts_if_private(board: Board, note: Note) -> dict:
    """For an op that adds, moves or removes a private note: the sections' new private counts."""
    return {PRIVATE_COUNTS: private_counts(board)} if note.private else {}


def close_gap(note: Note) -> None:
    """Closes the gap a public note leaves in its section's order (private notes have no place)."""
    if not note.private:
        Note.objects.filter(section_id=note.section_id, private=False, position__gt=note.position).update(
            position=F("position") - 1
        )


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
        "private": note.private,
        "hidden": note.hidden,
        "cluster": note.cluster_id,
    }


# --- notes ----------------------------------------------------------------------


@board_op("note.add", phases=phases.WRITING)
def do_add_note(board: Board, actor: Participant, data: dict) -> dict:
    """Adds a note at the end of its section; in silent writing it is private until the phase ends."""
    section = _section(board, data)
    text = _text(data) or ""
    color = _color(data) or NoteColor.YELLOW
    private = board.workshop.phase == Phase.WRITE
    position = 0 if private else Note.objects.filter(section=section, private=False).count()
    note = Note.objects.create(
        board=board, section=section, text=text, color=color, position=position, author=actor, private=private
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
    """Puts a note at `index` of `section` (clamped), closing the gap it leaves.

    A private note has no place in the order yet: it only changes section
    (its index is always 0) and lists after the public notes.
    """
    note = find_note(board, data, actor)
    target = _section(board, data)
    if note.private:
        _index(data)
        if target.id == note.section_id:
            raise Invalid("The note is already there.")
        Note.objects.filter(id=note.id).update(section=target)
        return {
            "id": note.id,
            "section": target.key,
            "index": 0,
            **private_meta(note),
            **counts_if_private(board, note),
        }
    others = Note.objects.filter(section=target, private=False).exclude(id=note.id)
    index = min(_index(data), others.count())
    if target.id == note.section_id and index == note.position:
        raise Invalid("The note is already there.")
    close_gap(note)
    others.filter(position__gte=index).update(position=F("position") + 1)
    Note.objects.filter(id=note.id).update(section=target, position=index)
    return {"id": note.id, "section": target.key, "index": index}


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


def _section_order(state: dict) -> dict[str, int]:
    return {section["key"]: i for i, section in enumerate(state["sections"])}


def place(state: dict, note: dict, index: int | None) -> None:
    """Puts a note into the notes list at `index` of its section (None: at the end).

    The notes list is kept in board order: by section, then the public notes
    by position, then the private ones by id.
    """
    order = _section_order(state)
    notes = state["notes"]
    rank = order[note["section"]]
    start = next((i for i, n in enumerate(notes) if order[n["section"]] >= rank), len(notes))
    end = next((i for i, n in enumerate(notes) if order[n["section"]] > rank), len(notes))
    public_end = next((i for i in range(start, end) if notes[i].get("private")), end)
    if note.get("private"):
        at = next((i for i in range(public_end, end) if notes[i]["id"] > note["id"]), end)
    else:
        at = public_end if index is None else min(start + index, public_end)
    notes.insert(at, note)


def without_meta(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in (PRIVATE_AUTHOR, PRIVATE_COUNTS, "id")}


def set_private_counts(state: dict, data: dict) -> None:
    if PRIVATE_COUNTS in data:
        state["facilitation"][PRIVATE_COUNTS] = data[PRIVATE_COUNTS]


def _find(state: dict, note_id: int) -> dict:
    return next(n for n in state["notes"] if n["id"] == note_id)


@reducer("note.add")
def _add(state: dict, data: dict) -> None:
    place(state, {k: v for k, v in data.items() if k not in (PRIVATE_AUTHOR, PRIVATE_COUNTS)}, None)
    set_private_counts(state, data)


@reducer("note.update")
def _update(state: dict, data: dict) -> None:
    _find(state, data["id"]).update(without_meta(data))


@reducer("note.move")
def _move(state: dict, data: dict) -> None:
    note = _find(state, data["id"])
    state["notes"].remove(note)
    note["section"] = data["section"]
    place(state, note, data["index"])
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
