"""A new workshop of a team starts with the review of the team's open actions from earlier workshops."""

from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver

from boards.models import Workshop
from decisions.models import Action, ActionReview, ActionStatus, ReviewOutcome


def open_actions_of(team_id, before_workshop_id=None):
    """The team's actions still open: not done in their workshop nor in a later review.

    An action's latest review outcome wins over its own status: "carried" keeps
    it open for the next workshop, "done" ends it.
    """
    actions = (
        Action.objects.filter(workshop__team_id=team_id)
        .exclude(workshop_id=before_workshop_id)
        .select_related("workshop")
        # Soonest due first, undated last, the same on SQLite and PostgreSQL.
        .order_by(F("due").asc(nulls_last=True), "id")
    )
    latest = {}
    for action_id, outcome in (
        ActionReview.objects.filter(action__in=actions).exclude(outcome="").order_by("updated_at", "id")
    ).values_list("action_id", "outcome"):
        latest[action_id] = outcome
    result = []
    for action in actions:
        status = latest.get(action.id)
        if status is None:
            status = action.status
        if status != ActionStatus.DONE and status != ReviewOutcome.DONE:
            result.append(action)
    return result


@receiver(post_save, sender=Workshop, dispatch_uid="decisions-review-on-create")
def start_review(sender, instance: Workshop, created: bool, raw=False, **kwargs):
    if not created or raw:
        return
    ActionReview.objects.bulk_create(
        ActionReview(
            workshop=instance,
            action=action,
            title=action.title,
            owner_name=action.owner_name,
            due=action.due,
            from_workshop=action.workshop.title,
        )
        for action in open_actions_of(instance.team_id, before_workshop_id=instance.id)
    )
