"""What the lifecycle does: close, reopen, archive, delete, retention, and people's own data.

Every write is a `do_*` function that checks who is asking, changes the rows
(board state only through the op door, boards/ops/core.py) and writes the
team's audit log. Views and the management command are thin callers.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q

from accounts.models import Membership, Role
from boards.access import access_team, access_workshop, participant_for
from boards.auth import GuestUser
from boards.errors import Closed, Forbidden, Invalid, NotFound
from boards.exports.cache import delete_cached_exports
from boards.models import EmotionScore, Note, Participant, ShareLink, Vote, Workshop
from boards.ops import apply_op_request
from lifecycle import clock, sockets
from lifecycle.models import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, AuditAction, AuditEntry, RetentionPolicy

# --- the audit log -------------------------------------------------------------------


def audit(team_id, action, actor=None, workshop=None, title="", detail="") -> AuditEntry:
    account = (
        actor if getattr(actor, "is_authenticated", False) and not isinstance(actor, GuestUser) else None
    )
    return AuditEntry.objects.create(
        team_id=team_id,
        at=clock.now(),
        action=action,
        actor=account,
        actor_name=(account.get_username() if account else getattr(actor, "display_name", ""))[:150],
        workshop_ref=workshop.id if workshop else None,
        workshop_title=(workshop.title if workshop else title)[:200],
        detail=detail[:300],
    )


def managed_workshop(user, workshop_id) -> Workshop:
    """A workshop the caller may archive, delete and set retention for: team owners and facilitators.

    Outsiders and guests get NotFound (ids cannot be probed; a guest, even one
    made facilitator, is not the team); members and viewers Forbidden.
    """
    workshop = Workshop.objects.select_related("team").filter(id=workshop_id).first()
    if workshop is None:
        raise NotFound("No such workshop.")
    try:
        access_team(user, workshop.team_id, role=Role.FACILITATOR)
    except NotFound:
        raise NotFound("No such workshop.") from None
    except Forbidden:
        raise Forbidden("Only the team's owners and facilitators can do that.") from None
    return workshop


# --- close and reopen: ops, so every screen sees it ---------------------------------------


def _facilitating(user, workshop_id) -> tuple[Workshop, Participant]:
    return access_workshop(user, workshop_id, facilitate=True)


def _workshop_op(workshop: Workshop, participant: Participant, kind: str) -> None:
    board = workshop.boards.order_by("position", "id").first()
    if board is not None:
        apply_op_request(board.id, participant.id, kind, {})
    else:  # no board, no socket to tell: the field alone
        Workshop.objects.filter(id=workshop.id).update(
            closed_at=clock.now() if kind == "workshop.close" else None
        )


def do_close(user, workshop_id) -> Workshop:
    workshop, participant = _facilitating(user, workshop_id)
    if workshop.closed_at is not None:
        raise Closed("The workshop is already closed.")
    _workshop_op(workshop, participant, "workshop.close")
    workshop.refresh_from_db()
    audit(workshop.team_id, AuditAction.WORKSHOP_CLOSED, user, workshop)
    return workshop


def do_reopen(user, workshop_id) -> Workshop:
    workshop, participant = _facilitating(user, workshop_id)
    if workshop.closed_at is None:
        raise Invalid("The workshop is not closed.")
    _workshop_op(workshop, participant, "workshop.reopen")
    workshop.refresh_from_db()
    audit(workshop.team_id, AuditAction.WORKSHOP_REOPENED, user, workshop)
    return workshop


# --- archive and delete -------------------------------------------------------------------


def do_archive(user, workshop_id, archived: bool) -> Workshop:
    workshop = managed_workshop(user, workshop_id)
    if archived == (workshop.archived_at is not None):
        raise Invalid(f"The workshop is {'already' if archived else 'not'} archived.")
    workshop.archived_at = clock.now() if archived else None
    Workshop.objects.filter(id=workshop.id).update(archived_at=workshop.archived_at)
    action = AuditAction.WORKSHOP_ARCHIVED if archived else AuditAction.WORKSHOP_UNARCHIVED
    audit(workshop.team_id, action, user, workshop)
    return workshop


def delete_workshop(workshop: Workshop, actor=None, detail: str = "") -> None:
    """Deletes the workshop and everything of it, logs who did it, and closes its sockets.

    Boards, sections, notes, votes, scores, clusters, the op log, participants
    (with their tokens) and share links go with it by cascade; the audit entry
    keeps only the id, the title, who and when.
    """
    with transaction.atomic():
        # Locked so that an op applied at this moment either commits first
        # (and is deleted with the rest) or finds no board afterwards.
        locked = Workshop.objects.select_for_update().filter(id=workshop.id).first()
        if locked is None:
            raise NotFound("No such workshop.")
        board_ids = list(locked.boards.values_list("id", flat=True))
        audit(locked.team_id, AuditAction.WORKSHOP_DELETED, actor, locked, detail=detail)
        locked.delete()
        transaction.on_commit(lambda: sockets.close_boards(board_ids))
        # Cached PDFs are files on disk, outside the transaction: removed once it commits.
        transaction.on_commit(lambda: delete_cached_exports(workshop.id))


def do_delete(user, workshop_id) -> None:
    delete_workshop(managed_workshop(user, workshop_id), user)


# --- retention ----------------------------------------------------------------------------


def clean_days(value) -> int | None:
    """A retention in days: null (keep), or a whole number from 1 day to 10 years."""
    if value is None:
        return None
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not (MIN_RETENTION_DAYS <= value <= MAX_RETENTION_DAYS)
    ):
        raise Invalid(
            f"days must be null (keep) or a whole number from {MIN_RETENTION_DAYS} to "
            f"{MAX_RETENTION_DAYS} (ten years)."
        )
    return value


def team_retention_days(team_id) -> int | None:
    return RetentionPolicy.objects.filter(team_id=team_id).values_list("delete_after_days", flat=True).first()


def retention_days_of(workshop: Workshop) -> int | None:
    """The workshop's own retention, or else its team's; None: kept until deleted by hand."""
    if workshop.retention_days is not None:
        return workshop.retention_days
    return team_retention_days(workshop.team_id)


def delete_at(workshop: Workshop):
    """When retention will delete the workshop: None while it is open or kept."""
    days = retention_days_of(workshop)
    if workshop.closed_at is None or days is None:
        return None
    return workshop.closed_at + timedelta(days=days)


def do_set_team_retention(user, team_id, days) -> int | None:
    access_team(user, team_id, role=Role.OWNER)
    days = clean_days(days)
    policy, _ = RetentionPolicy.objects.get_or_create(team_id=team_id)
    if policy.delete_after_days != days:
        policy.delete_after_days = days
        policy.save()
        audit(team_id, AuditAction.RETENTION_CHANGED, user, detail=f"team: {_days_text(days)}")
    return days


def do_set_workshop_retention(user, workshop_id, days) -> Workshop:
    workshop = managed_workshop(user, workshop_id)
    days = clean_days(days)
    if workshop.retention_days != days:
        workshop.retention_days = days
        Workshop.objects.filter(id=workshop.id).update(retention_days=days)
        audit(workshop.team_id, AuditAction.RETENTION_CHANGED, user, workshop, detail=_days_text(days))
    return workshop


def _days_text(days) -> str:
    return "keep" if days is None else f"delete {days} days after closing"


def due_workshops(now=None) -> list[Workshop]:
    now = now or clock.now()
    candidates = (
        Workshop.objects.filter(closed_at__isnull=False)
        .filter(Q(retention_days__isnull=False) | Q(team__retention_policy__delete_after_days__isnull=False))
        .select_related("team")
        .order_by("closed_at", "id")
    )
    return [w for w in candidates if (moment := delete_at(w)) is not None and moment <= now]


def purge_due_workshops(now=None) -> list[dict]:
    """Deletes every closed workshop whose retention has run out; returns what it deleted.

    Plain and idempotent: the background worker may run it on a schedule and
    `manage.py purge_workshops` runs it by hand. A workshop reopened or
    deleted meanwhile is skipped, not an error.
    """
    deleted = []
    for workshop in due_workshops(now):
        days = retention_days_of(workshop)
        try:
            delete_workshop(workshop, None, detail=f"retention: {days} days after closing")
        except NotFound:
            continue
        deleted.append(
            {"id": workshop.id, "title": workshop.title, "team": workshop.team.name, "days": days,
             "closed_at": workshop.closed_at.isoformat()}
        )  # fmt: skip
    return deleted


# --- a participant's own data ------------------------------------------------------------------


def _place(note: Note) -> dict:
    if note.section_id is not None:
        return {"section": note.section.key}
    return {"stage": note.stage.key if note.stage else None, "lane": note.lane.key if note.lane else None}


def data_of(participant: Participant) -> dict:
    """Everything this participant wrote in their workshop: notes, votes, emotion scores."""
    workshop = participant.workshop
    if participant.pk is None:  # a team member reading, who never took part
        notes, votes, scores = [], [], []
    else:
        notes = Note.objects.filter(author=participant).select_related("board", "section", "stage", "lane")
        votes = Vote.objects.filter(participant=participant).select_related("board").order_by("id")
        scores = EmotionScore.objects.filter(participant=participant).select_related(
            "board", "stage", "persona"
        )
    return {
        "workshop": {"id": workshop.id, "title": workshop.title},
        "participant": {
            "id": participant.pk,
            "display_name": participant.display_name,
            "role": participant.role,
            "joined_at": participant.joined_at.isoformat() if participant.joined_at else None,
        },
        "notes": [
            {"id": n.id, "board": n.board_id, "board_title": n.board.title, **_place(n), "text": n.text,
             "color": n.color, "created_at": n.created_at.isoformat(), "updated_at": n.updated_at.isoformat()}
            for n in notes.order_by("board_id", "id")
        ] if notes else [],
        "votes": [{"board": v.board_id, "note": v.note_id, "created_at": v.created_at.isoformat()} for v in votes],
        "emotion_scores": [
            {"board": s.board_id, "stage": s.stage.key, "persona": s.persona.name, "score": s.score,
             "updated_at": s.updated_at.isoformat()}
            for s in scores
        ],
    }  # fmt: skip


def erase(participant: Participant) -> dict:
    """Erases what the participant wrote through the op door (op participant.erase).

    Returns how much went. The op is sent to an unlocked board when there is
    one: the door checks the lock of the board an op is sent to.
    """
    if participant.pk is None:
        raise Invalid("You have nothing in this workshop to erase.")
    boards = list(participant.workshop.boards.order_by("locked", "position", "id"))
    if not boards:
        raise Invalid("You have nothing in this workshop to erase.")
    counts = {
        "notes": Note.objects.filter(author=participant).count(),
        "votes": Vote.objects.filter(participant=participant).count(),
        "emotion_scores": EmotionScore.objects.filter(participant=participant).count(),
    }
    apply_op_request(boards[0].id, participant.id, "participant.erase", {})
    return counts


def own_participant(user, workshop_id) -> Participant:
    """The caller's own participant (guest or account holder); never anyone else's."""
    workshop = Workshop.objects.filter(id=workshop_id).first()
    participant = participant_for(user, workshop, create=False) if workshop else None
    if participant is None:
        raise NotFound("No such workshop.")
    return participant


# --- an account holder's data across workshops ----------------------------------------------------


def account_data(user) -> dict:
    participations = (
        Participant.objects.filter(user=user).select_related("workshop").order_by("joined_at", "id")
    )
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
        },
        "teams": [
            {"id": m.team_id, "name": m.team.name, "role": m.role}
            for m in Membership.objects.filter(user=user).select_related("team")
        ],
        "workshops": [data_of(p) for p in participations],
    }


def erase_account_data(user) -> dict:
    """Erases the user's notes, votes and scores in every workshop; says where it could not.

    A removed participant cannot send ops any more (nor anyone on a board that is locked), so their
    data there is reported, not erased behind the op log's back.
    """
    erased, refused = [], []
    for participant in Participant.objects.filter(user=user).select_related("workshop"):
        has_data = (
            Note.objects.filter(author=participant).exists()
            or Vote.objects.filter(participant=participant).exists()
            or EmotionScore.objects.filter(participant=participant).exists()
        )
        if not has_data:
            continue
        try:
            counts = erase(participant)
        except (Forbidden, Invalid, NotFound) as error:
            refused.append({"workshop": participant.workshop_id, "title": participant.workshop.title,
                            "message": error.message})  # fmt: skip
            continue
        erased.append({"workshop": participant.workshop_id, "title": participant.workshop.title, **counts})
    return {"erased": erased, "refused": refused}


def do_delete_account(user) -> dict:
    """Erases the user's data everywhere, then deletes the account.

    Refused while the user is the last owner of a team others belong to: the
    team would be left with nobody to run it.
    """
    for membership in Membership.objects.filter(user=user, role=Role.OWNER).select_related("team"):
        team = membership.team
        others = team.memberships.exclude(user=user)
        if others.exists() and not others.filter(role=Role.OWNER).exists():
            raise Forbidden(f"You are the last owner of {team.name}. Make someone else an owner first.")
    result = erase_account_data(user)
    with transaction.atomic():
        # Where the data could not be erased, the participant stays as a guest by
        # the same name, so the notes keep their author and the board its log;
        # everywhere else the participant goes with the account.
        kept = [r["workshop"] for r in result["refused"]]
        Participant.objects.filter(user=user, workshop_id__in=kept).update(user=None)
        Participant.objects.filter(user=user).delete()
        user.delete()
    return result


# --- share links --------------------------------------------------------------------------


def live_share_links(workshop: Workshop):
    return workshop.share_links.live().select_related("created_by")


def share_link_list(workshop: Workshop):
    return ShareLink.objects.filter(workshop=workshop).select_related("created_by")
