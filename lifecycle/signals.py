"""The team's audit log listens here to what other apps do: workshops made, share links, members."""

from django.db.models.signals import post_save

from accounts.services import member_removed
from boards.models import ShareLink, Workshop, share_link_revoked
from lifecycle.models import AuditAction
from lifecycle.services import audit


def _workshop_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        audit(instance.team_id, AuditAction.WORKSHOP_CREATED, instance.created_by, instance)


def _share_link_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        detail = f"works until {instance.expires_at:%Y-%m-%d %H:%M} UTC" if instance.expires_at else ""
        audit(instance.workshop.team_id, AuditAction.SHARE_LINK_CREATED, instance.created_by,
              instance.workshop, detail=detail)  # fmt: skip


def _share_link_revoked(sender, link, by=None, **kwargs):
    audit(link.workshop.team_id, AuditAction.SHARE_LINK_REVOKED, by, link.workshop)


def _member_removed(sender, membership, by_self, **kwargs):
    who = membership.user.get_username()
    audit(membership.team_id, AuditAction.MEMBER_REMOVED, membership.user if by_self else None,
          detail=f"{who} left the team" if by_self else f"{who} was removed")  # fmt: skip


def connect() -> None:
    post_save.connect(_workshop_created, sender=Workshop, dispatch_uid="lifecycle.workshop_created")
    post_save.connect(_share_link_created, sender=ShareLink, dispatch_uid="lifecycle.share_link_created")
    share_link_revoked.connect(_share_link_revoked, dispatch_uid="lifecycle.share_link_revoked")
    member_removed.connect(_member_removed, dispatch_uid="lifecycle.member_removed")
