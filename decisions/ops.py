"""Ops of opportunities, their scores, actions and the review of last time's actions, with their replay.

Opportunities, actions and the review belong to the workshop, so their ops are
workshop-wide (logged on every board: a source board marks its linked notes,
the prioritisation board lists them). Scores belong to one prioritisation
board. Every function validates, changes rows and returns the op's `data`;
the reducer beside it replays that data (boards/state.py, G5).
"""

import datetime

from accounts.models import Membership
from boards.errors import Invalid, NotFound
from boards.models import Board, Note, Participant
from boards.ops.core import actor_json, board_op
from boards.state import reducer, snapshot_part
from decisions.models import (
    MAX_SCORE,
    MIN_SCORE,
    Action,
    ActionReview,
    ActionStatus,
    Opportunity,
    OpportunityScore,
    OpportunitySource,
    PrioritisationSettings,
    ReviewOutcome,
)

PRIORITISATION = "prioritisation"
MAX_TITLE = 200
MAX_DESCRIPTION = 4000
MAX_SOURCES = 50
MAX_FLOOR = 50


# --- validation helpers -----------------------------------------------------------


def _id(data, field="id") -> int:
    value = data.get(field)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid(f"{field} must be a number.")
    return value


def _text(data, field, limit, required) -> str:
    value = data.get(field, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise Invalid(f"{field} must not be empty." if required else f"{field} must be a string.")
    value = value.strip()
    if len(value) > limit:
        raise Invalid(f"{field} must be at most {limit} characters.")
    return value


def _opportunity(workshop_id, data, field="id") -> Opportunity:
    opportunity_id = _id(data, field)
    opportunity = (
        Opportunity.objects.filter(workshop_id=workshop_id, id=opportunity_id).order_by("pk").first()
    )
    if opportunity is None:
        raise NotFound(f"This workshop has no opportunity {opportunity_id}.")
    return opportunity


def _source_note(workshop_id, note_id) -> Note:
    """A revealed note of this workshop; a note of another workshop is refused by name."""
    if not isinstance(note_id, int) or isinstance(note_id, bool):
        raise Invalid("note must be a note id (a number).")
    note = Note.objects.filter(id=note_id).select_related("board").order_by("pk").first()
    if note is None:
        raise NotFound(f"There is no note {note_id}.")
    if note.board.workshop_id != workshop_id:
        raise Invalid(
            "That note belongs to another workshop: opportunities link notes of their own workshop."
        )
    if note.private:
        # Answered like a missing note would be to anyone but its author, and
        # nobody may link it yet: an opportunity is public.
        raise Invalid("A note that is not revealed yet cannot be linked to an opportunity.")
    return note


def _date(value, field="due"):
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid(f"{field} must be a date (YYYY-MM-DD) or null.")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{field} must be a date (YYYY-MM-DD) or null.") from None


def _score(data, field, required=True):
    if field not in data and not required:
        return None
    value = data.get(field)
    if not isinstance(value, int) or isinstance(value, bool) or not MIN_SCORE <= value <= MAX_SCORE:
        raise Invalid(f"{field} must be a whole number from {MIN_SCORE} to {MAX_SCORE}.")
    return value


def _prioritisation(board: Board) -> None:
    if board.kind != PRIORITISATION:
        raise Invalid("Scores are given on a prioritisation board.")


# --- the state as data --------------------------------------------------------------


def opportunity_json(opportunity: Opportunity) -> dict:
    return {
        "id": opportunity.id,
        "title": opportunity.title,
        "description": opportunity.description,
        "author": actor_json(opportunity.author),
        "sources": [{"note": s.note_id, "board": s.board_id} for s in opportunity.sources.all()],
    }


def owner_json(action: Action) -> dict:
    if action.owner_participant_id is not None:
        return {"participant": action.owner_participant_id, "name": action.owner_name}
    return {"user": action.owner_user_id, "name": action.owner_name}


def action_json(action: Action) -> dict:
    return {
        "id": action.id,
        "opportunity": action.opportunity_id,
        "title": action.title,
        "owner": owner_json(action),
        "due": action.due.isoformat() if action.due else None,
        "status": action.status,
    }


def review_json(review: ActionReview) -> dict:
    return {
        # No action id: the action may be deleted in its own workshop, and this
        # workshop's state must not change without an op in its own log.
        "id": review.id,
        "title": review.title,
        "owner": review.owner_name,
        "due": review.due.isoformat() if review.due else None,
        "from_workshop": review.from_workshop,
        "outcome": review.outcome or None,
    }


def settings_of(board: Board) -> PrioritisationSettings:
    return PrioritisationSettings.objects.filter(board=board).first() or PrioritisationSettings(board=board)


def settings_json(settings: PrioritisationSettings) -> dict:
    return {"effort": settings.effort, "floor": settings.floor, "private": settings.private}


def scores_json(board: Board, **filters) -> list[dict]:
    return [
        {"opportunity": o, "participant": p, "impact": i, "value": v, "effort": e}
        for o, p, i, v, e in OpportunityScore.objects.filter(board=board, **filters)
        .order_by("opportunity_id", "participant_id")
        .values_list("opportunity_id", "participant_id", "impact", "value", "effort")
    ]


def counts_of(scores: list[dict]) -> dict[str, int]:
    """How many people scored each opportunity (keys are strings: the state is JSON)."""
    counts: dict[str, int] = {}
    for s in scores:
        key = str(s["opportunity"])
        counts[key] = counts.get(key, 0) + 1
    return counts


@snapshot_part
def decisions_part(board: Board) -> dict:
    workshop_id = board.workshop_id
    part = {
        "opportunities": [
            opportunity_json(o)
            for o in Opportunity.objects.filter(workshop_id=workshop_id)
            .select_related("author")
            .prefetch_related("sources")
            .order_by("id")
        ],
        "actions": [action_json(a) for a in Action.objects.filter(workshop_id=workshop_id).order_by("id")],
        "action_review": [
            review_json(r) for r in ActionReview.objects.filter(workshop_id=workshop_id).order_by("id")
        ],
    }
    if board.kind == PRIORITISATION:
        scores = scores_json(board)
        part["prioritisation"] = {
            **settings_json(settings_of(board)),
            "scores": scores,
            "counts": counts_of(scores),
        }
    return part


def _each(boards, data: dict) -> dict[int, dict]:
    return {b.id: data for b in boards}


# --- opportunities ---------------------------------------------------------------------


@board_op("opportunity.add", workshop_wide=True)
def do_add_opportunity(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """A new opportunity, from no note or from some notes of this workshop."""
    workshop_id = boards[0].workshop_id
    title = _text(data, "title", MAX_TITLE, required=True)
    description = _text(data, "description", MAX_DESCRIPTION, required=False)
    note_ids = data.get("notes", [])
    if not isinstance(note_ids, list) or len(note_ids) > MAX_SOURCES:
        raise Invalid(f"notes must list at most {MAX_SOURCES} note ids.")
    if len(set(map(repr, note_ids))) != len(note_ids):
        raise Invalid("notes lists a note twice.")
    notes = [_source_note(workshop_id, n) for n in note_ids]
    opportunity = Opportunity.objects.create(
        workshop_id=workshop_id, title=title, description=description, author=actor
    )
    OpportunitySource.objects.bulk_create(
        OpportunitySource(opportunity=opportunity, board_id=n.board_id, note_id=n.id) for n in notes
    )
    return _each(boards, {"opportunity": opportunity_json(opportunity)})


@board_op("opportunity.update", workshop_wide=True)
def do_update_opportunity(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    opportunity = _opportunity(boards[0].workshop_id, data)
    changed = {}
    if "title" in data:
        changed["title"] = _text(data, "title", MAX_TITLE, required=True)
    if "description" in data:
        changed["description"] = _text(data, "description", MAX_DESCRIPTION, required=False)
    changed = {k: v for k, v in changed.items() if getattr(opportunity, k) != v}
    if not changed:
        raise Invalid("Nothing to change: give a new title or description.")
    Opportunity.objects.filter(id=opportunity.id).update(**changed)
    return _each(boards, {"id": opportunity.id, **changed})


@board_op("opportunity.delete", workshop_wide=True)
def do_delete_opportunity(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """Deletes an opportunity and its scores; one that became an action stays until its actions go."""
    opportunity = _opportunity(boards[0].workshop_id, data)
    if opportunity.actions.exists():
        raise Invalid("This opportunity has actions: delete them first, or keep it.")
    opportunity_id = opportunity.id  # delete() blanks it
    opportunity.delete()
    return _each(boards, {"id": opportunity_id})


@board_op("opportunity.link", workshop_wide=True)
def do_link_opportunity(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    workshop_id = boards[0].workshop_id
    opportunity = _opportunity(workshop_id, data)
    note = _source_note(workshop_id, data.get("note"))
    sources = list(opportunity.sources.all())
    if any(s.note_id == note.id for s in sources):
        raise Invalid("That note is already a source of this opportunity.")
    if len(sources) >= MAX_SOURCES:
        raise Invalid(f"An opportunity has at most {MAX_SOURCES} source notes.")
    OpportunitySource.objects.create(opportunity=opportunity, board_id=note.board_id, note_id=note.id)
    return _each(boards, {"id": opportunity.id, "note": note.id, "board": note.board_id})


@board_op("opportunity.unlink", workshop_wide=True)
def do_unlink_opportunity(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    opportunity = _opportunity(boards[0].workshop_id, data)
    note_id = _id(data, "note")
    if not OpportunitySource.objects.filter(opportunity=opportunity, note_id=note_id).delete()[0]:
        raise NotFound(f"Note {note_id} is not a source of this opportunity.")
    return _each(boards, {"id": opportunity.id, "note": note_id})


@reducer("opportunity.add")
def _opportunity_add(state: dict, data: dict) -> None:
    state["opportunities"].append(data["opportunity"])


@reducer("opportunity.update")
def _opportunity_update(state: dict, data: dict) -> None:
    for o in state["opportunities"]:
        if o["id"] == data["id"]:
            o.update({k: v for k, v in data.items() if k != "id"})


@reducer("opportunity.delete")
def _opportunity_delete(state: dict, data: dict) -> None:
    state["opportunities"] = [o for o in state["opportunities"] if o["id"] != data["id"]]
    if "prioritisation" in state:
        p = state["prioritisation"]
        p["scores"] = [s for s in p["scores"] if s["opportunity"] != data["id"]]
        p["counts"].pop(str(data["id"]), None)


@reducer("opportunity.link")
def _opportunity_link(state: dict, data: dict) -> None:
    for o in state["opportunities"]:
        if o["id"] == data["id"]:
            o["sources"].append({"note": data["note"], "board": data["board"]})


@reducer("opportunity.unlink")
def _opportunity_unlink(state: dict, data: dict) -> None:
    for o in state["opportunities"]:
        if o["id"] == data["id"]:
            o["sources"] = [s for s in o["sources"] if s["note"] != data["note"]]


# --- scores on a prioritisation board ------------------------------------------------------


def _scores_data(board: Board, opportunity_id: int, actor: Participant) -> dict:
    """What a score op carries: every score of the opportunity, so that
    decisions/visibility.py can decide per recipient (floor, private scoring)
    without a query, and the reducer replaces that opportunity's scores whole."""
    scores = scores_json(board, opportunity_id=opportunity_id)
    return {
        "opportunity": opportunity_id,
        "participant": actor.id,
        "scores": scores,
        "count": len(scores),
        **settings_json(settings_of(board)),
    }


@board_op("opportunity.score")
def do_score_opportunity(board: Board, actor: Participant, data: dict) -> dict:
    """Sets the actor's own impact and value (and effort, when the board asks for it)."""
    _prioritisation(board)
    opportunity = _opportunity(board.workshop_id, data, "opportunity")
    settings = settings_of(board)
    impact, value = _score(data, "impact"), _score(data, "value")
    effort = _score(data, "effort", required=False)
    if effort is not None and not settings.effort:
        raise Invalid("This board does not ask for effort: the facilitator has not turned it on.")
    mine = OpportunityScore.objects.filter(board=board, opportunity=opportunity, participant=actor)
    current = mine.values("impact", "value", "effort").first()
    wanted = {"impact": impact, "value": value, "effort": effort}
    if current is not None and settings.effort is False:
        wanted["effort"] = current["effort"]
    if current == wanted:
        raise Invalid("Your score is already that.")
    if current is None:
        OpportunityScore.objects.create(board=board, opportunity=opportunity, participant=actor, **wanted)
    else:
        mine.update(**wanted)
    return _scores_data(board, opportunity.id, actor)


@board_op("opportunity.unscore")
def do_unscore_opportunity(board: Board, actor: Participant, data: dict) -> dict:
    _prioritisation(board)
    opportunity = _opportunity(board.workshop_id, data, "opportunity")
    if not OpportunityScore.objects.filter(board=board, opportunity=opportunity, participant=actor).delete()[
        0
    ]:
        raise Invalid("You have not scored this opportunity.")
    return _scores_data(board, opportunity.id, actor)


@board_op("prioritisation.settings", facilitator_only=True)
def do_prioritisation_settings(board: Board, actor: Participant, data: dict) -> dict:
    """Effort on or off, the respondent floor, private scoring.

    `data` carries every score, which decisions/visibility.py redacts per
    recipient: any of these switches changes what a participant may see.
    """
    _prioritisation(board)
    settings = settings_of(board)
    before = settings_json(settings)
    for field in ("effort", "private"):
        if field in data:
            if not isinstance(data[field], bool):
                raise Invalid(f"{field} must be true or false.")
            setattr(settings, field, data[field])
    if "floor" in data:
        floor = data["floor"]
        if not isinstance(floor, int) or isinstance(floor, bool) or not 1 <= floor <= MAX_FLOOR:
            raise Invalid(f"floor must be a whole number from 1 to {MAX_FLOOR}.")
        settings.floor = floor
    if settings_json(settings) == before:
        raise Invalid("Nothing to change: those are already the settings.")
    settings.save()
    scores = scores_json(board)
    return {**settings_json(settings), "scores": scores, "counts": counts_of(scores)}


@reducer("opportunity.score")
@reducer("opportunity.unscore")
def _score_replay(state: dict, data: dict) -> None:
    p = state["prioritisation"]
    p.update({k: data[k] for k in ("effort", "floor", "private")})
    p["scores"] = sorted(
        [s for s in p["scores"] if s["opportunity"] != data["opportunity"]]
        + [dict(s) for s in data["scores"]],
        # Stable: within an opportunity the scores keep the server's order
        # (by participant), also where anonymity blanked the participant.
        key=lambda s: s["opportunity"],
    )
    if data["count"]:
        p["counts"][str(data["opportunity"])] = data["count"]
    else:
        p["counts"].pop(str(data["opportunity"]), None)


@reducer("prioritisation.settings")
def _settings_replay(state: dict, data: dict) -> None:
    state["prioritisation"] = {
        **{k: data[k] for k in ("effort", "floor", "private")},
        "scores": [dict(s) for s in data["scores"]],
        "counts": dict(data["counts"]),
    }


# --- actions ----------------------------------------------------------------------------


def _owner(workshop, data) -> dict:
    """An owner is a participant of this workshop or a member of its team; anyone else is refused."""
    owner = data.get("owner")
    if not isinstance(owner, dict) or len(owner) != 1 or not ({"participant", "user"} & set(owner)):
        raise Invalid('owner must be {"participant": id} or {"user": id} (a member of the team).')
    if "participant" in owner:
        pid = _id(owner, "participant") if isinstance(owner["participant"], int) else _bad_owner()
        participant = (
            Participant.objects.filter(workshop=workshop, id=pid, removed_at__isnull=True)
            .order_by("pk")
            .first()
        )
        if participant is None:
            raise Invalid("The owner must be a participant of this workshop or a member of its team.")
        return {"owner_participant": participant, "owner_user": None, "owner_name": participant.display_name}
    uid = _id(owner, "user") if isinstance(owner["user"], int) else _bad_owner()
    membership = (
        Membership.objects.filter(team_id=workshop.team_id, user_id=uid).select_related("user").first()
    )
    if membership is None:
        raise Invalid("The owner must be a participant of this workshop or a member of its team.")
    user = membership.user
    name = (user.get_full_name() or user.get_username())[:150]
    return {"owner_participant": None, "owner_user": user, "owner_name": name}


def _bad_owner():
    raise Invalid('owner must be {"participant": id} or {"user": id}: ids are numbers.')


def _action(workshop_id, data) -> Action:
    action_id = _id(data)
    action = Action.objects.filter(workshop_id=workshop_id, id=action_id).order_by("pk").first()
    if action is None:
        raise NotFound(f"This workshop has no action {action_id}.")
    return action


@board_op("action.add", workshop_wide=True)
def do_add_action(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """Turns an opportunity into an action with an owner and a due date (a past date is allowed)."""
    workshop = boards[0].workshop
    opportunity = _opportunity(workshop.id, data, "opportunity")
    title = _text(data, "title", MAX_TITLE, required=False) or opportunity.title
    owner = _owner(workshop, data)
    due = _date(data.get("due"))
    action = Action.objects.create(
        workshop=workshop, opportunity=opportunity, title=title, due=due, status=ActionStatus.OPEN, **owner
    )
    return _each(boards, {"action": action_json(action)})


@board_op("action.update", workshop_wide=True)
def do_update_action(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    workshop = boards[0].workshop
    action = _action(workshop.id, data)
    before = action_json(action)
    if "title" in data:
        action.title = _text(data, "title", MAX_TITLE, required=True)
    if "owner" in data:
        for field, value in _owner(workshop, data).items():
            setattr(action, field, value)
    if "due" in data:
        action.due = _date(data["due"])
    if "status" in data:
        if data["status"] not in ActionStatus.values:
            raise Invalid(f"status must be one of {', '.join(ActionStatus.values)}.")
        action.status = data["status"]
    after = action_json(action)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if not changed:
        raise Invalid("Nothing to change.")
    action.save()
    return _each(boards, {"id": action.id, **changed})


@board_op("action.delete", workshop_wide=True)
def do_delete_action(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    action = _action(boards[0].workshop_id, data)
    action_id = action.id  # delete() blanks it
    action.delete()
    return _each(boards, {"id": action_id})


@reducer("action.add")
def _action_add(state: dict, data: dict) -> None:
    state["actions"].append(data["action"])


@reducer("action.update")
def _action_update(state: dict, data: dict) -> None:
    for a in state["actions"]:
        if a["id"] == data["id"]:
            a.update({k: v for k, v in data.items() if k != "id"})


@reducer("action.delete")
def _action_delete(state: dict, data: dict) -> None:
    state["actions"] = [a for a in state["actions"] if a["id"] != data["id"]]


# --- the review of last time's actions --------------------------------------------------


@board_op("review.mark", workshop_wide=True)
def do_mark_review(boards: list[Board], actor: Participant, data: dict) -> dict[int, dict]:
    """The room marks one of last time's actions done or carried on (null: not decided yet)."""
    review_id = _id(data)
    review = ActionReview.objects.filter(workshop_id=boards[0].workshop_id, id=review_id).first()
    if review is None:
        raise NotFound(f"This workshop's review has no item {review_id}.")
    outcome = data.get("outcome", "missing")
    if outcome is not None and outcome not in ReviewOutcome.values:
        raise Invalid(f"outcome must be one of {', '.join(ReviewOutcome.values)}, or null.")
    if (review.outcome or None) == outcome:
        raise Invalid("That is already its outcome.")
    review.outcome = outcome or ""
    review.save(update_fields=["outcome", "updated_at"])
    return _each(boards, {"id": review.id, "outcome": outcome})


@reducer("review.mark")
def _review_mark(state: dict, data: dict) -> None:
    for r in state["action_review"]:
        if r["id"] == data["id"]:
            r["outcome"] = data["outcome"]
