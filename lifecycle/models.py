"""The team's audit log and its retention policy.

Both outlive the workshops they speak of: an audit entry keeps the workshop's
id and title as plain values, never a foreign key, so deleting the workshop
leaves the record of who deleted it.
"""

from django.conf import settings
from django.db import models

MIN_RETENTION_DAYS = 1
MAX_RETENTION_DAYS = 3650  # ten years


class AuditAction(models.TextChoices):
    WORKSHOP_CREATED = "workshop.created", "Workshop created"
    WORKSHOP_CLOSED = "workshop.closed", "Workshop closed"
    WORKSHOP_REOPENED = "workshop.reopened", "Workshop reopened"
    WORKSHOP_ARCHIVED = "workshop.archived", "Workshop archived"
    WORKSHOP_UNARCHIVED = "workshop.unarchived", "Workshop taken out of the archive"
    WORKSHOP_DELETED = "workshop.deleted", "Workshop deleted"
    SHARE_LINK_CREATED = "share_link.created", "Share link made"
    SHARE_LINK_REVOKED = "share_link.revoked", "Share link revoked"
    MEMBER_REMOVED = "member.removed", "Member removed"
    RETENTION_CHANGED = "retention.changed", "Retention changed"
    PARTICIPANT_ERASED = "participant.erased", "A participant erased their data"


class AuditEntry(models.Model):
    """One thing that happened to a team's workshops: who, when, to which workshop."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="audit_entries")
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    # Who did it: kept as a name too, so the entry still reads after the account is gone.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    # Plain values, not a foreign key: the entry must survive the workshop.
    workshop_ref = models.PositiveBigIntegerField(null=True, blank=True)
    workshop_title = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.workshop_title}"


class RetentionPolicy(models.Model):
    """A team's "delete workshops N days after they close"; no row, or no days: keep them."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="retention_policy")
    delete_after_days = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "retention policies"

    def __str__(self):
        return f"{self.team}: {self.delete_after_days or 'keep'}"
