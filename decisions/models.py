"""Opportunities made from notes, their scores on a prioritisation board, and actions.

Rows here change only through the ops in decisions/ops.py (the one op door,
boards/ops/core.py), except the review list a new workshop starts with
(decisions/signals.py), which is its state at seq 0.
"""

from django.conf import settings
from django.db import models

from boards.models import Board, Participant, Workshop

MIN_SCORE = 1
MAX_SCORE = 5


class Opportunity(models.Model):
    """Something the team could do about what the notes say ("Text when the bike is ready")."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="opportunities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    author = models.ForeignKey(Participant, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "id"]

    def __str__(self):
        return self.title


class OpportunitySource(models.Model):
    """A note an opportunity came from (the link both ways: a note lists its opportunities too).

    The note is kept as a plain id, not a foreign key: deleting the note (an op
    on its own board) must not change the opportunity on every other board,
    whose op log never saw it. A source whose note is gone reads "deleted note".
    """

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="sources")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    note_id = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["opportunity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "note_id"], name="one_link_per_opportunity_note")
        ]

    def __str__(self):
        return f"note {self.note_id} -> opportunity {self.opportunity_id}"


class OpportunityScore(models.Model):
    """One participant's customer impact and business value (and effort) for an opportunity."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="opportunity_scores")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="scores")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    impact = models.PositiveSmallIntegerField()
    value = models.PositiveSmallIntegerField()
    effort = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["board", "opportunity", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "opportunity", "participant"], name="one_score_per_board_opportunity_person"
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=MIN_SCORE, impact__lte=MAX_SCORE)
                & models.Q(value__gte=MIN_SCORE, value__lte=MAX_SCORE)
                & (models.Q(effort__isnull=True) | models.Q(effort__gte=MIN_SCORE, effort__lte=MAX_SCORE)),
                name="opportunity_scores_in_range",
            ),
        ]

    def __str__(self):
        return f"impact {self.impact}, value {self.value}"


class PrioritisationSettings(models.Model):
    """A prioritisation board's choices; a board without a row has the defaults."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="prioritisation_settings")
    effort = models.BooleanField(default=False)
    # Below this many people scoring an opportunity, participants see only their own dot.
    floor = models.PositiveSmallIntegerField(default=3)
    # Private scoring: participants see only their own dots until the facilitator reveals.
    private = models.BooleanField(default=False)

    def __str__(self):
        return f"prioritisation settings of board {self.board_id}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CARRIED = "carried", "Carried on"


class Action(models.Model):
    """What someone will do about an opportunity, by when."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="actions")
    opportunity = models.ForeignKey(Opportunity, null=True, on_delete=models.SET_NULL, related_name="actions")
    title = models.CharField(max_length=200)
    owner_participant = models.ForeignKey(Participant, null=True, on_delete=models.SET_NULL, related_name="+")
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept so the team's list still names the owner after they leave.
    owner_name = models.CharField(max_length=150)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "id"]

    def __str__(self):
        return self.title


class ReviewOutcome(models.TextChoices):
    DONE = "done", "Done"
    CARRIED = "carried", "Carried on"


class ActionReview(models.Model):
    """One of last time's actions as a new workshop reviews it.

    Made when the workshop is created, with the action's title, owner and due
    date copied: the review is this workshop's state, changed only by its own
    ops, so its boards replay from their own log (G5).
    """

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="action_reviews")
    # SET_NULL: deleting the action in its own workshop (an op on that workshop's
    # boards) must not change this workshop's review, whose log never saw it.
    action = models.ForeignKey(Action, null=True, on_delete=models.SET_NULL, related_name="reviews")
    title = models.CharField(max_length=200)
    owner_name = models.CharField(max_length=150)
    due = models.DateField(null=True, blank=True)
    from_workshop = models.CharField(max_length=200)
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["workshop", "id"]

    def __str__(self):
        return f"review of {self.title}"


class SuggestedCluster(models.Model):
    """A cluster made by accepting a suggestion (decisions/analysis.py), so the summary can say so."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    cluster_id = models.PositiveBigIntegerField()
    accepted_by = models.ForeignKey(Participant, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"suggested cluster {self.cluster_id}"
