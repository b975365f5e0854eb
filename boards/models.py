"""Workshops, their boards and the op log that is the truth about every board.

Rows here are changed only through the op door, boards/ops/ (see docs/architecture.md);
the models carry small helpers, never the rules for changing a board.
"""

import secrets

from django.conf import settings
from django.db import models
from django.dispatch import Signal

# Letters and digits people can read off a projector without confusing them
# (no 0/O, 1/I/L).
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_join_code() -> str:
    raw = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(6))
    return f"{raw[:3]}-{raw[3:]}"


def new_token() -> str:
    return secrets.token_hex(20)


class BoardKind(models.TextChoices):
    EMPATHY_MAP = "empathy-map", "Empathy map"
    EMPATHY_MAP_EXTENDED = "empathy-map-extended", "Extended empathy map"
    JOURNEY_MAP = "journey-map", "Customer journey map"
    JTBD = "jtbd", "Jobs-to-be-done interview"
    # Opportunities scored on impact and value (the decisions app).
    PRIORITISATION = "prioritisation", "Prioritisation matrix"


class Template(models.Model):
    """What a facilitator prepares: boards, sections, persona, agenda.

    `structure` is copied into a workshop when one is created, so later edits
    of the template never change a workshop already made from it.
    """

    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="templates"
    )
    slug = models.SlugField(max_length=60, blank=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    structure = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(team__isnull=True), name="builtin_template_slug_unique"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.team_id is None


class Phase(models.TextChoices):
    """Where a workshop is in its agenda (docs/protocol.md §7, "Phases").

    OPEN is no facilitation at all: every op is allowed and nothing is private.
    The others follow the agenda and may be moved forward and back.
    """

    OPEN = "open", "Open"
    WRITE = "write", "Silent writing"
    REVEAL = "reveal", "Reveal"
    GROUP = "group", "Grouping"
    VOTE = "vote", "Voting"
    DISCUSS = "discuss", "Discussion"
    WRAP_UP = "wrap-up", "Wrap-up"


class Workshop(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(max_length=200)
    template = models.ForeignKey(Template, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="workshops_created"
    )
    join_code = models.CharField(max_length=7, unique=True, default=new_join_code)
    joining_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Lifecycle (lifecycle/): archived workshops leave the team's default list;
    # retention_days overrides the team's "delete N days after closing" (null: the team's).
    archived_at = models.DateTimeField(null=True, blank=True)
    retention_days = models.PositiveIntegerField(null=True, blank=True)

    # Facilitation: changed only by the ops in boards/ops/facilitation.py,
    # each logged on every board of the workshop.
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.OPEN)
    anonymous = models.BooleanField(default=False)
    moderation = models.BooleanField(default=False)
    votes_per_person = models.PositiveSmallIntegerField(default=3)
    votes_per_note = models.PositiveSmallIntegerField(default=1)
    votes_hidden = models.BooleanField(default=True)
    votes_closed = models.BooleanField(default=False)
    # The timer is stopped (both empty), running (ends at timer_ends_at) or
    # paused (timer_remaining_ms left when resumed).
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    timer_remaining_ms = models.PositiveIntegerField(null=True, blank=True)
    timer_duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class ParticipantRole(models.TextChoices):
    FACILITATOR = "facilitator", "Facilitator"
    PARTICIPANT = "participant", "Participant"
    OBSERVER = "observer", "Observer"


class Participant(models.Model):
    """Someone in a workshop: an account holder or a guest with a display name.

    Every op names a participant as its actor, whichever door it came through.
    Guests authenticate with `token` (REST and WebSocket) or their session.
    """

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participations",
    )
    display_name = models.CharField(max_length=60)
    role = models.CharField(
        max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )
    token = models.CharField(max_length=40, unique=True, default=new_token)
    joined_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    # Taking part because of a team membership (boards/access.py), not a join
    # code: such a participant's rights follow the team, and leaving the team
    # or a new team role changes them (accounts/services.py).
    from_team = models.BooleanField(default=False)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"],
                condition=models.Q(user__isnull=False),
                name="one_participant_per_user",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def can_write(self) -> bool:
        return self.removed_at is None and self.role != ParticipantRole.OBSERVER

    @property
    def is_facilitator(self) -> bool:
        return self.removed_at is None and self.role == ParticipantRole.FACILITATOR


class Board(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="boards")
    kind = models.CharField(max_length=30, choices=BoardKind.choices)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    # The number of the last op applied; ops.py moves it under a row lock.
    seq = models.PositiveBigIntegerField(default=0)
    # Read-only for everyone but facilitators (op `board.lock`).
    locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["workshop", "position", "id"]

    def __str__(self):
        return f"{self.title} ({self.kind})"


class Section(models.Model):
    """A quadrant or area of a board that holds notes ("says", "pains", ...)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=40)
    title = models.CharField(max_length=120)
    prompt = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["board", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["board", "key"], name="section_key_unique_per_board")]

    def __str__(self):
        return self.title


class Persona(models.Model):
    """Who the board is about: the card in the middle of an empathy map."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(max_length=120, blank=True)
    details = models.JSONField(default=dict, blank=True)
    color = models.CharField(max_length=20, default="#6d5dfc")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["board", "position", "id"]

    def __str__(self):
        return self.name or "Persona"


class NoteColor(models.TextChoices):
    YELLOW = "yellow", "Yellow"
    PINK = "pink", "Pink"
    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    ORANGE = "orange", "Orange"
    PURPLE = "purple", "Purple"


class Note(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="notes")
    # A note lives in a section (empathy maps), or on a journey map in a cell
    # (stage, lane) or, with all three empty, in that board's parking lot.
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    # RESTRICT: deleting a stage or lane must move its notes first, never drop
    # them; deleting the whole board (which deletes its notes too) stays possible.
    stage = models.ForeignKey("Stage", null=True, blank=True, on_delete=models.RESTRICT, related_name="notes")
    lane = models.ForeignKey("Lane", null=True, blank=True, on_delete=models.RESTRICT, related_name="notes")
    text = models.TextField(blank=True)
    color = models.CharField(max_length=20, choices=NoteColor.choices, default=NoteColor.YELLOW)
    # 0-based place within the section; ops.py keeps each section's run 0..n-1.
    position = models.PositiveIntegerField(default=0)
    author = models.ForeignKey(Participant, null=True, on_delete=models.SET_NULL, related_name="notes")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Facilitation. A note written in the silent-writing phase is private
    # (seen by its author, and by facilitators when moderation is on) until
    # the phase ends; a private note has no place in its section's order
    # (position 0) and lists after the public ones by id. A hidden note
    # (moderation) stays private when the others are revealed.
    private = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    cluster = models.ForeignKey(
        "Cluster", null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    # Written while anonymous mode was on: stays anonymous for good, even after
    # the mode is turned off (boards/visibility.py). The same on votes and scores.
    anonymous = models.BooleanField(default=False)

    class Meta:
        ordering = ["section__position", "private", "position", "id"]
        indexes = [models.Index(fields=["board", "section", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(section__isnull=False, stage__isnull=True, lane__isnull=True)
                | models.Q(section__isnull=True, stage__isnull=False, lane__isnull=False)
                | models.Q(section__isnull=True, stage__isnull=True, lane__isnull=True),
                name="note_in_section_or_cell_or_parking_lot",
            )
        ]

    def __str__(self):
        return self.text[:40]


class Op(models.Model):
    """One applied change to a board: the log that the board's state is replayed from."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="ops")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    actor = models.ForeignKey(Participant, null=True, on_delete=models.SET_NULL, related_name="+")
    client_op_id = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["board", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["board", "seq"], name="op_seq_unique_per_board"),
            models.UniqueConstraint(fields=["board", "client_op_id"], name="op_client_id_unique_per_board"),
        ]

    def __str__(self):
        return f"{self.board_id}#{self.seq} {self.kind}"


# --- Facilitation: grouping and dot voting (boards/ops/clusters.py, votes.py) -------


class Cluster(models.Model):
    """A named group of notes made by dragging one note onto another."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="clusters")
    title = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["board", "id"]

    def __str__(self):
        return self.title or f"Cluster {self.id}"


class Vote(models.Model):
    """One dot a participant put on a note; a person may put several on one note."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="votes")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)
    anonymous = models.BooleanField(default=False)

    class Meta:
        ordering = ["board", "id"]
        indexes = [models.Index(fields=["board", "participant"])]

    def __str__(self):
        return f"vote on {self.note_id} by {self.participant_id}"


# ===========================================================================

# Customer journey maps: stages (columns), lanes (rows), emotion scores, settings.
# Notes sit in cells through Note.stage / Note.lane above; boards/ops/journey.py
# holds the ops that change these rows.
# ==================================================================================


class Stage(models.Model):
    """A column of a journey map: one step of the customer's journey ("Book", "Wait")."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="stages")
    key = models.SlugField(max_length=40)
    title = models.CharField(max_length=120)
    # 0-based; ops keep each board's run 0..n-1.
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["board", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["board", "key"], name="stage_key_unique_per_board")]

    def __str__(self):
        return self.title


class LaneKind(models.TextChoices):
    NOTES = "notes", "Notes"
    # The row that shows the emotion curve instead of notes (at most one per board).
    EMOTION = "emotion", "Emotion curve"


class Lane(models.Model):
    """A row of a journey map ("Actions", "Pain points", the "Feelings" curve)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="lanes")
    key = models.SlugField(max_length=40)
    title = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=LaneKind.choices, default=LaneKind.NOTES)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["board", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["board", "key"], name="lane_key_unique_per_board")]

    def __str__(self):
        return self.title


MIN_EMOTION_SCORE = -3
MAX_EMOTION_SCORE = 3


class Curve(models.TextChoices):
    """Which curve of a persona a score belongs to ("as-is" sorts before "to-be")."""

    AS_IS = "as-is", "As-is"
    TO_BE = "to-be", "To-be"


# Below this many scores at a point of a curve, nobody but a facilitator sees its scores.
DEFAULT_RESPONDENT_FLOOR = 3
MIN_RESPONDENT_FLOOR = 1
MAX_RESPONDENT_FLOOR = 50


class EmotionScore(models.Model):
    """How one participant thinks a persona feels at one stage, from -3 to +3."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="emotion_scores")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="emotion_scores")
    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="emotion_scores")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="emotion_scores")
    # The current state ("as-is") or the target the team aims for ("to-be").
    curve = models.CharField(max_length=8, choices=Curve.choices, default=Curve.AS_IS)
    score = models.SmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)
    # Once given under anonymity, a score stays anonymous when it is changed later.
    anonymous = models.BooleanField(default=False)

    class Meta:
        ordering = ["stage__position", "persona__position", "persona_id", "curve", "participant_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "persona", "curve", "participant"],
                name="one_emotion_score_per_stage_persona_curve_participant",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=MIN_EMOTION_SCORE, score__lte=MAX_EMOTION_SCORE),
                name="emotion_score_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.score:+d}"


class JourneySettings(models.Model):
    """Per-board choices of a journey map's facilitator; a board without a row has the defaults."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="journey_settings")
    # Off: a participant sees nobody else's score for a point of the curve until
    # they have given their own there (no anchoring on the room's first answers).
    scores_visible_before_own = models.BooleanField(default=True)
    # The respondent floor: fewer scores than this at a stage (per persona and curve)
    # and only facilitators see them, so a lone score cannot be traced to its author.
    respondent_floor = models.PositiveSmallIntegerField(default=DEFAULT_RESPONDENT_FLOOR)

    def __str__(self):
        return f"journey settings of board {self.board_id}"


# --- Share links (summaries and exports) ----------------------------------------------
# Kept in one block at the end of the file so that parallel work on the models
# above merges cleanly.


def new_share_token() -> str:
    return secrets.token_urlsafe(32)


class ShareLinkQuerySet(models.QuerySet):
    def live(self):
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ShareLink(models.Model):
    """A read-only link to a workshop's summary for people without an account.

    The token is the only credential, so it is long and random (256 bits) and
    never derived from the workshop. Revoking keeps the row, so the summary page
    can show who shared what and when; a revoked token answers 404 like a made-up one.
    """

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=new_share_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Optional: past it the link answers 404 like a revoked one.
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Share link to {self.workshop_id} ({'revoked' if self.revoked_at else 'live'})"

    @property
    def is_live(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    def revoke(self, by=None) -> None:
        """Ends the link for good; revoking twice keeps the first time."""
        from django.utils import timezone

        now = timezone.now()
        # A conditional update: two facilitators revoking at once both succeed
        # and the recorded time is the first one.
        if ShareLink.objects.filter(id=self.id, revoked_at__isnull=True).update(revoked_at=now):
            self.revoked_at = now
            share_link_revoked.send(sender=ShareLink, link=self, by=by)


# Sent once when a share link is revoked (the team's audit log listens, lifecycle/signals.py).
share_link_revoked = Signal()
