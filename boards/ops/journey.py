"""Ops of customer journey maps, and their replay: stages, lanes, personas, emotion scores.

Notes in a journey map's cells use the core note ops (boards/ops/notes.py) with
`stage` + `lane` instead of `section`. A stage or lane that is deleted while it
holds notes sends them to the board's parking lot (notes with no stage and no
lane), where everyone sees them and can move them back: nothing is dropped.
"""

import re

from django.db.models import F
from django.utils.text import slugify

from boards.errors import Invalid, NotFound
from boards.models import (
    DEFAULT_RESPONDENT_FLOOR,
    MAX_EMOTION_SCORE,
    MAX_RESPONDENT_FLOOR,
    MIN_EMOTION_SCORE,
    MIN_RESPONDENT_FLOOR,
    Board,
    BoardKind,
    Curve,
    EmotionScore,
    JourneySettings,
    Lane,
    LaneKind,
    Note,
    Participant,
    Persona,
    Stage,
)
from boards.ops.core import board_op
from boards.ops.notes import insert_note, sort_notes
from boards.state import reducer, snapshot_part
from boards.visibility import anonymous_rows, made_anonymously, score_order

MAX_TITLE = 120
MAX_KEY = 40
MAX_STAGES = 30
MAX_LANES = 20
MAX_PERSONAS = 8
# Distinct on white and from each other; a new persona takes the first one not in use.
PERSONA_COLORS = ["#6d5dfc", "#e4572e", "#0f9d8a", "#d97706", "#c0399f", "#2563eb", "#4d7c0f", "#8d6e63"]
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


# --- validation helpers -------------------------------------------------------


def _journey(board: Board) -> None:
    if board.kind != BoardKind.JOURNEY_MAP:
        raise Invalid("Only a journey map has stages, lanes and emotion scores.")


def _title(data, field="title") -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"{field} must not be empty.")
    value = value.strip()
    if len(value) > MAX_TITLE:
        raise Invalid(f"{field} must be at most {MAX_TITLE} characters.")
    return value


def _whole(data, field) -> int:
    value = data.get(field)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Invalid(f"{field} must be a whole number, 0 or more.")
    return value


def _new_key(model, board: Board, data, title: str) -> str:
    """The key of a new stage or lane: the one asked for, or one made from the title."""
    taken = set(model.objects.filter(board=board).values_list("key", flat=True))
    if "key" in data:
        key = data["key"]
        if not isinstance(key, str) or not key or len(key) > MAX_KEY or slugify(key) != key:
            raise Invalid(f"key must be 1 to {MAX_KEY} lower-case letters, digits and dashes.")
        if key in taken:
            raise Invalid(f"The key {key!r} is already used on this board.")
        return key
    base = slugify(title)[: MAX_KEY - 4].strip("-") or model.__name__.lower()
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _stage(board: Board, data) -> Stage:
    key = data.get("stage")
    if not isinstance(key, str):
        raise Invalid("stage must be a stage key.")
    stage = Stage.objects.filter(board=board, key=key).first()
    if stage is None:
        raise NotFound(f"This board has no stage {key!r}.")
    return stage


def _lane(board: Board, data) -> Lane:
    key = data.get("lane")
    if not isinstance(key, str):
        raise Invalid("lane must be a lane key.")
    lane = Lane.objects.filter(board=board, key=key).first()
    if lane is None:
        raise NotFound(f"This board has no lane {key!r}.")
    return lane


def _persona(board: Board, data, field="persona") -> Persona:
    persona_id = data.get(field)
    if not isinstance(persona_id, int) or isinstance(persona_id, bool):
        raise Invalid(f"{field} must be a persona id (a number).")
    persona = Persona.objects.filter(board=board, id=persona_id).first()
    if persona is None:
        raise NotFound(f"This board has no persona {persona_id}.")
    return persona


def _score(data):
    if "score" not in data:
        raise Invalid("score is required: a whole number from -3 to 3, or null to clear yours.")
    score = data["score"]
    if score is None:
        return None
    if (
        not isinstance(score, int)
        or isinstance(score, bool)
        or not MIN_EMOTION_SCORE <= score <= MAX_EMOTION_SCORE
    ):
        raise Invalid("score must be a whole number from -3 to 3, or null to clear yours.")
    return score


def _curve(data) -> str:
    """Which curve a score is for: "as-is" (the default) or "to-be"."""
    curve = data.get("curve", Curve.AS_IS)
    if curve not in Curve.values:
        raise Invalid(f"curve must be one of {', '.join(Curve.values)}.")
    return curve


def _insert_at(model, board: Board, data, count: int) -> int:
    """Makes room at `index` (clamped; default: the end) in a run of positions 0..count-1."""
    index = min(_whole(data, "index"), count) if "index" in data else count
    model.objects.filter(board=board, position__gte=index).update(position=F("position") + 1)
    return index


def _move(model, board: Board, item, data) -> int:
    """Moves an item of a run 0..n-1 to `index`, clamped to the last place."""
    count = model.objects.filter(board=board).count()
    index = min(_whole(data, "index"), count - 1)
    if index == item.position:
        raise Invalid("It is already there.")
    if index > item.position:
        model.objects.filter(board=board, position__gt=item.position, position__lte=index).update(
            position=F("position") - 1
        )
    else:
        model.objects.filter(board=board, position__gte=index, position__lt=item.position).update(
            position=F("position") + 1
        )
    model.objects.filter(id=item.id).update(position=index)
    return index


def _close_gap(model, board: Board, position: int) -> None:
    model.objects.filter(board=board, position__gt=position).update(position=F("position") - 1)


def _park(board: Board, notes) -> list[int]:
    """Sends notes, in the order given, to the end of the board's parking lot."""
    notes = list(notes)
    start = Note.objects.filter(board=board, section=None, stage=None, lane=None).count()
    for offset, note in enumerate(notes):
        note.stage = note.lane = None
        note.position = start + offset
    Note.objects.bulk_update(notes, ["stage", "lane", "position"])
    return [note.id for note in notes]


def journey_settings_json(board: Board) -> dict:
    """The facilitator's choices for the curve (the defaults for a board without a row)."""
    settings = JourneySettings.objects.filter(board=board).first()
    if settings is None:
        return {"scores_visible_before_own": True, "respondent_floor": DEFAULT_RESPONDENT_FLOOR}
    return {
        "scores_visible_before_own": settings.scores_visible_before_own,
        "respondent_floor": settings.respondent_floor,
    }


def log_settings(board: Board) -> dict:
    """What boards.visibility.log_reader_at needs to read this board's log after the fact."""
    if board.kind != BoardKind.JOURNEY_MAP:
        return {}
    return {"journey_settings": journey_settings_json(board)}


def emotion_scores_json(board: Board, **filters) -> list[dict]:
    """Emotion scores in board order: by stage, persona, curve ("as-is" first), then participant id."""
    return [
        {
            "stage": stage,
            "persona": persona,
            "curve": curve,
            "participant": participant,
            "score": score,
            **made_anonymously(anon),
        }
        for stage, persona, curve, participant, score, anon in EmotionScore.objects.filter(
            board=board, **filters
        )
        .order_by("stage__position", "persona__position", "persona_id", "curve", "participant_id")
        .values_list("stage__key", "persona_id", "curve", "participant_id", "score", "anonymous")
    ]


def persona_json(persona: Persona) -> dict:
    return {"id": persona.id, "name": persona.name, "details": persona.details, "color": persona.color}


# --- stages ---------------------------------------------------------------------------


@board_op("stage.add", facilitator_only=True)
def do_add_stage(board: Board, actor: Participant, data: dict) -> dict:
    _journey(board)
    title = _title(data)
    count = Stage.objects.filter(board=board).count()
    if count >= MAX_STAGES:
        raise Invalid(f"A journey map has at most {MAX_STAGES} stages.")
    key = _new_key(Stage, board, data, title)
    index = _insert_at(Stage, board, data, count)
    Stage.objects.create(board=board, key=key, title=title, position=index)
    return {"stage": key, "title": title, "index": index}


@board_op("stage.rename", facilitator_only=True)
def do_rename_stage(board: Board, actor: Participant, data: dict) -> dict:
    _journey(board)
    stage = _stage(board, data)
    title = _title(data)
    if title == stage.title:
        raise Invalid("The stage already has that title.")
    Stage.objects.filter(id=stage.id).update(title=title)
    return {"stage": stage.key, "title": title}


@board_op("stage.move", facilitator_only=True)
def do_move_stage(board: Board, actor: Participant, data: dict) -> dict:
    _journey(board)
    stage = _stage(board, data)
    return {"stage": stage.key, "index": _move(Stage, board, stage, data)}


@board_op("stage.delete", facilitator_only=True)
def do_delete_stage(board: Board, actor: Participant, data: dict) -> dict:
    """Deletes a stage: its notes go to the parking lot, its emotion scores are deleted."""
    _journey(board)
    stage = _stage(board, data)
    parked = _park(
        board, Note.objects.filter(stage=stage).order_by("lane__position", "lane_id", "position", "id")
    )
    scores_removed, _ = EmotionScore.objects.filter(stage=stage).delete()
    stage.delete()
    _close_gap(Stage, board, stage.position)
    return {"stage": stage.key, "parked": parked, "scores_removed": scores_removed}


# --- lanes ------------------------------------------------------------------------------


@board_op("lane.add", facilitator_only=True)
def do_add_lane(board: Board, actor: Participant, data: dict) -> dict:
    _journey(board)
    title = _title(data)
    kind = data.get("kind", LaneKind.NOTES)
    if kind not in LaneKind.values:
        raise Invalid(f"kind must be one of {', '.join(LaneKind.values)}.")
    count = Lane.objects.filter(board=board).count()
    if count >= MAX_LANES:
        raise Invalid(f"A journey map has at most {MAX_LANES} lanes.")
    if kind == LaneKind.EMOTION and Lane.objects.filter(board=board, kind=LaneKind.EMOTION).exists():
        raise Invalid("This journey map already has an emotion lane.")
    key = _new_key(Lane, board, data, title)
    index = _insert_at(Lane, board, data, count)
    Lane.objects.create(board=board, key=key, title=title, kind=kind, position=index)
    return {"lane": key, "title": title, "kind": kind, "index": index}


@board_op("lane.rename", facilitator_only=True)
def do_rename_lane(board: Board, actor: Participant, data: dict) -> dict:
    _journey(board)
    lane = _lane(board, data)
    title = _title(data)
    if title == lane.title:
        raise Invalid("The lane already has that title.")
    Lane.objects.filter(id=lane.id).update(title=title)
    return {"lane": lane.key, "title": title}


@board_op("lane.move", facilitator_only=True)
def do_move_lane(board: Board, actor: Participant, data: dict) -> dict:
    _journey(board)
    lane = _lane(board, data)
    return {"lane": lane.key, "index": _move(Lane, board, lane, data)}


@board_op("lane.delete", facilitator_only=True)
def do_delete_lane(board: Board, actor: Participant, data: dict) -> dict:
    """Deletes a lane: its notes go to the parking lot. Emotion scores belong to
    stages, so deleting the emotion lane only hides the curve until one is added again."""
    _journey(board)
    lane = _lane(board, data)
    parked = _park(
        board, Note.objects.filter(lane=lane).order_by("stage__position", "stage_id", "position", "id")
    )
    lane.delete()
    _close_gap(Lane, board, lane.position)
    return {"lane": lane.key, "parked": parked}


# --- personas -----------------------------------------------------------------------------


@board_op("persona.add", facilitator_only=True)
def do_add_persona(board: Board, actor: Participant, data: dict) -> dict:
    """Adds a persona to follow: its own colour, its own curve."""
    _journey(board)
    name = _title(data, "name")
    personas = Persona.objects.filter(board=board)
    if personas.count() >= MAX_PERSONAS:
        raise Invalid(f"A journey map follows at most {MAX_PERSONAS} personas.")
    if "color" in data:
        color = data["color"]
        if not isinstance(color, str) or not COLOR_RE.match(color):
            raise Invalid("color must be a colour like #e4572e.")
        color = color.lower()
    else:
        used = set(personas.values_list("color", flat=True))
        color = next((c for c in PERSONA_COLORS if c not in used), PERSONA_COLORS[0])
    last = personas.order_by("-position").values_list("position", flat=True).first()
    persona = Persona.objects.create(
        board=board, name=name, details={}, color=color, position=0 if last is None else last + 1
    )
    return persona_json(persona)


@board_op("persona.remove", facilitator_only=True)
def do_remove_persona(board: Board, actor: Participant, data: dict) -> dict:
    """Stops following a persona: its emotion scores go with it. The last one stays."""
    _journey(board)
    persona = _persona(board, data, "id")
    if Persona.objects.filter(board=board).count() <= 1:
        raise Invalid("A journey map follows at least one persona; add another before removing this one.")
    persona_id = persona.id  # delete() clears it
    scores_removed, _ = EmotionScore.objects.filter(persona=persona).delete()
    persona.delete()
    return {"id": persona_id, "scores_removed": scores_removed}


# --- emotion scores and settings -----------------------------------------------------------


@board_op("emotion.set")
def do_set_emotion(board: Board, actor: Participant, data: dict) -> dict:
    """Sets (or, with null, clears) the actor's own score for a persona at a stage.

    `data` carries every score of that point of the curve, so that
    boards/visibility.py can reveal the room's scores to someone the moment they
    give their own, without another query.
    """
    _journey(board)
    stage = _stage(board, data)
    persona = _persona(board, data)
    curve = _curve(data)
    score = _score(data)
    mine = EmotionScore.objects.filter(stage=stage, persona=persona, curve=curve, participant=actor)
    current, was_anonymous = mine.values_list("score", "anonymous").first() or (None, False)
    # Once given under anonymity, a score stays anonymous when it changes later.
    anonymous = was_anonymous or board.workshop.anonymous
    if score == current:
        raise Invalid("Your score is already that." if score is not None else "You have no score there.")
    if score is None:
        mine.delete()
    elif current is None:
        EmotionScore.objects.create(
            board=board,
            stage=stage,
            persona=persona,
            curve=curve,
            participant=actor,
            score=score,
            anonymous=anonymous,
        )
    else:
        mine.update(score=score, anonymous=anonymous)
    scores = [
        {"participant": s["participant"], "score": s["score"], **made_anonymously(s.get("anonymous"))}
        for s in emotion_scores_json(board, stage=stage, persona=persona, curve=curve)
    ]
    return {
        "stage": stage.key,
        "persona": persona.id,
        "curve": curve,
        "participant": actor.id,
        "score": score,
        "scores": scores,
        **made_anonymously(anonymous),
        **anonymous_rows(scores),
        **journey_settings_json(board),
    }


@board_op("journey.settings", facilitator_only=True)
def do_journey_settings(board: Board, actor: Participant, data: dict) -> dict:
    """Changes what participants see of the curve: others' scores before their own, and
    the respondent floor (the fewest scores a point needs before anyone but a
    facilitator sees them). Either or both; the op carries both afterwards.

    `data` carries all emotion scores, which boards/visibility.py redacts per
    recipient: a change either way changes what each participant may see.
    """
    _journey(board)
    settings = journey_settings_json(board)
    changed = dict(settings)
    if "scores_visible_before_own" in data:
        if not isinstance(data["scores_visible_before_own"], bool):
            raise Invalid("scores_visible_before_own must be true or false.")
        changed["scores_visible_before_own"] = data["scores_visible_before_own"]
    if "respondent_floor" in data:
        floor = data["respondent_floor"]
        if (
            not isinstance(floor, int)
            or isinstance(floor, bool)
            or not MIN_RESPONDENT_FLOOR <= floor <= MAX_RESPONDENT_FLOOR
        ):
            raise Invalid(
                f"respondent_floor must be a whole number from {MIN_RESPONDENT_FLOOR} to {MAX_RESPONDENT_FLOOR}."
            )
        changed["respondent_floor"] = floor
    if not {"scores_visible_before_own", "respondent_floor"} & data.keys():
        raise Invalid("Give scores_visible_before_own, respondent_floor or both.")
    if changed == settings:
        raise Invalid("That is already the setting.")
    JourneySettings.objects.update_or_create(board=board, defaults=changed)
    scores = emotion_scores_json(board)
    return {**changed, "emotion_scores": scores, **anonymous_rows(scores)}


# --- snapshot ------------------------------------------------------------------------------


@snapshot_part
def journey_part(board: Board) -> dict:
    if board.kind != BoardKind.JOURNEY_MAP:
        return {}
    return {
        "stages": [
            {"key": k, "title": t} for k, t in Stage.objects.filter(board=board).values_list("key", "title")
        ],
        "lanes": [
            {"key": k, "title": t, "kind": kind}
            for k, t, kind in Lane.objects.filter(board=board).values_list("key", "title", "kind")
        ],
        "emotion_scores": emotion_scores_json(board),
        "journey_settings": journey_settings_json(board),
    }


# --- replay (boards/state.py applies these to plain-data states) -------------------------


def _sort_scores(state: dict) -> None:
    stages = {s["key"]: i for i, s in enumerate(state["stages"])}
    personas = {p["id"]: i for i, p in enumerate(state["personas"])}
    state["emotion_scores"].sort(key=lambda s: score_order(stages, personas, s))


def _reorder(items: list, key: str, index: int) -> None:
    item = next(i for i in items if i["key"] == key)
    items.remove(item)
    items.insert(index, item)


def _park_replay(state: dict, note_ids: list[int]) -> None:
    for note_id in note_ids:
        # Someone else's private note is not in a participant's state: nothing to move there.
        note = next((n for n in state["notes"] if n["id"] == note_id), None)
        if note is None:
            continue
        state["notes"].remove(note)
        note["stage"] = note["lane"] = None
        insert_note(state, note, None)


@reducer("stage.add")
def _stage_add(state: dict, data: dict) -> None:
    state["stages"].insert(data["index"], {"key": data["stage"], "title": data["title"]})


@reducer("stage.rename")
def _stage_rename(state: dict, data: dict) -> None:
    next(s for s in state["stages"] if s["key"] == data["stage"])["title"] = data["title"]


@reducer("stage.move")
def _stage_move(state: dict, data: dict) -> None:
    _reorder(state["stages"], data["stage"], data["index"])
    sort_notes(state)
    _sort_scores(state)


@reducer("stage.delete")
def _stage_delete(state: dict, data: dict) -> None:
    _park_replay(state, data["parked"])
    state["stages"] = [s for s in state["stages"] if s["key"] != data["stage"]]
    state["emotion_scores"] = [s for s in state["emotion_scores"] if s["stage"] != data["stage"]]


@reducer("lane.add")
def _lane_add(state: dict, data: dict) -> None:
    state["lanes"].insert(data["index"], {"key": data["lane"], "title": data["title"], "kind": data["kind"]})


@reducer("lane.rename")
def _lane_rename(state: dict, data: dict) -> None:
    next(s for s in state["lanes"] if s["key"] == data["lane"])["title"] = data["title"]


@reducer("lane.move")
def _lane_move(state: dict, data: dict) -> None:
    _reorder(state["lanes"], data["lane"], data["index"])
    sort_notes(state)


@reducer("lane.delete")
def _lane_delete(state: dict, data: dict) -> None:
    _park_replay(state, data["parked"])
    state["lanes"] = [s for s in state["lanes"] if s["key"] != data["lane"]]


@reducer("persona.add")
def _persona_add(state: dict, data: dict) -> None:
    state["personas"].append(dict(data))


@reducer("persona.remove")
def _persona_remove(state: dict, data: dict) -> None:
    state["personas"] = [p for p in state["personas"] if p["id"] != data["id"]]
    state["emotion_scores"] = [s for s in state["emotion_scores"] if s["persona"] != data["id"]]


@reducer("emotion.set")
def _emotion_set(state: dict, data: dict) -> None:
    # Ops logged before there were to-be curves have no `curve`: they are as-is.
    curve = data.get("curve", Curve.AS_IS)
    point = (data["stage"], data["persona"], curve)
    state["emotion_scores"] = [
        s for s in state["emotion_scores"] if (s["stage"], s["persona"], s["curve"]) != point
    ] + [{"stage": data["stage"], "persona": data["persona"], "curve": curve, **s} for s in data["scores"]]
    _sort_scores(state)


@reducer("journey.settings")
def _journey_settings(state: dict, data: dict) -> None:
    state["journey_settings"] = {
        "scores_visible_before_own": data["scores_visible_before_own"],
        "respondent_floor": data.get("respondent_floor", DEFAULT_RESPONDENT_FLOOR),
    }
    state["emotion_scores"] = [{"curve": Curve.AS_IS, **s} for s in data["emotion_scores"]]
    _sort_scores(state)
