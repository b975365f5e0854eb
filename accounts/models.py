"""Teams and their members: who may see and run which workshops."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    FACILITATOR = "facilitator", "Facilitator"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Viewer"


# Each role can do everything the roles below it can.
ROLE_RANK = {Role.VIEWER: 0, Role.MEMBER: 1, Role.FACILITATOR: 2, Role.OWNER: 3}


def role_at_least(role: str, needed: str) -> bool:
    return ROLE_RANK[Role(role)] >= ROLE_RANK[Role(needed)]


class Team(models.Model):
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="teams")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def role_of(self, user) -> str | None:
        """The user's role in this team, or None for an outsider."""
        if not getattr(user, "is_authenticated", False):
            return None
        membership = self.memberships.filter(user=user).only("role").first()
        return membership.role if membership else None


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")]
        ordering = ["team", "user__username"]

    def __str__(self):
        return f"{self.user} in {self.team} ({self.role})"

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER

    @property
    def can_run_workshops(self) -> bool:
        """Owners and facilitators start workshops; members take part, viewers read."""
        return role_at_least(self.role, Role.FACILITATOR)


def new_invite_key() -> str:
    return secrets.token_urlsafe(24)


def default_invite_expiry():
    return timezone.now() + timedelta(days=7)


class Invite(models.Model):
    """A one-use link that adds whoever opens it (logged in) to a team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invites")
    key = models.CharField(max_length=64, unique=True, default=new_invite_key)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_invite_expiry)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Invite to {self.team} ({self.role})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
