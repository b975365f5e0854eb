"""A board's state as plain data: read from the database, or replayed from ops.

`board_snapshot()` reads the state and its seq consistently; `apply_op()` is
the pure reducer that turns a state and one logged op into the next state.
Their agreement is G5 (state == the log replayed), proven by the replay tests,
and static/js/board-state.js is the same reducer for the browser.
"""

import copy
from collections.abc import Callable

from django.db import transaction
from django.db.models import F

from boards.models import Board, Note, Persona, Section

# Extra parts of a snapshot contributed by op families (journey stages,
# votes, ...): each takes the locked board and returns keys to add.
SNAPSHOT_PARTS: list[Callable[[Board], dict]] = []


def snapshot_part(fn):
    SNAPSHOT_PARTS.append(fn)
    return fn


def board_snapshot(board_id: int) -> dict:
    """The board's whole state with the seq it is at, read as one moment."""
    with transaction.atomic():
        # Locking the row keeps writers out while we read, so `seq` and the
        # notes describe the same moment.
        board = Board.objects.select_for_update().get(id=board_id)
        sections = list(Section.objects.filter(board=board).values("id", "key", "title", "prompt"))
        section_keys = {s["id"]: s["key"] for s in sections}
        # Plain rows, not model instances: building 2,000 Note objects with
        # their author, stage and lane cost more than the rest of the snapshot.
        rows = (
            Note.objects.filter(board=board)
            .order_by(
                F("section__position").asc(nulls_last=True),
                "section_id",
                F("stage__position").asc(nulls_last=True),
                F("lane__position").asc(nulls_last=True),
                "private",
                "position",
                "id",
            )
            .values_list(
                "id", "section_id", "stage__key", "lane__key", "text", "color",
                "author_id", "author__display_name", "author__role",
                "created_at", "private", "hidden", "cluster_id", "anonymous",
            )
        )  # fmt: skip
        notes = [
            {
                "id": note_id,
                **(
                    {"section": section_keys[section_id]}
                    if section_id is not None
                    # A journey map's note: in a cell, or both null for the parking lot.
                    else {"section": None, "stage": stage_key, "lane": lane_key}
                ),
                "text": text,
                "color": color,
                # actor_json() of the author, read in the same query.
                "author": {"id": author_id, "name": author_name, "role": author_role}
                if author_id is not None
                else None,
                "created_at": created_at.isoformat(),
                "private": private,
                "hidden": hidden,
                "cluster": cluster_id,
                # Written under anonymity: stays unnamed for good (boards/visibility.py).
                **({"anonymous": True} if anonymous else {}),
            }
            # Board order: by section, the public notes by position, then the
            # private ones (boards/ops/notes.py) by id.
            for (
                note_id, section_id, stage_key, lane_key, text, color,
                author_id, author_name, author_role, created_at, private, hidden, cluster_id, anonymous,
            ) in rows
        ]  # fmt: skip
        personas = [
            {"id": p.id, "name": p.name, "details": p.details, "color": p.color}
            for p in Persona.objects.filter(board=board)
        ]
        extra = {}
        for part in SNAPSHOT_PARTS:
            extra.update(part(board))
    return {
        "id": board.id,
        "workshop": board.workshop_id,
        "kind": board.kind,
        "title": board.title,
        "seq": board.seq,
        "sections": [{"key": s["key"], "title": s["title"], "prompt": s["prompt"]} for s in sections],
        "notes": notes,
        "personas": personas,
        **extra,
    }


# --- the reducer ------------------------------------------------------------------

REDUCERS: dict[str, Callable[[dict, dict], None]] = {}


def reducer(kind: str):
    def register(fn):
        REDUCERS[kind] = fn
        return fn

    return register


def apply_op(state: dict, event: dict) -> dict:
    """The state after one logged op (a new dict; `state` is left as it was)."""
    import boards.ops  # noqa: F401  (registers every reducer)

    if event["seq"] != state["seq"] + 1:
        raise ValueError(f"op {event['seq']} does not follow state at seq {state['seq']}")
    new_state = copy.deepcopy(state)
    REDUCERS[event["op"]](new_state, event["data"])
    new_state["seq"] = event["seq"]
    return new_state
