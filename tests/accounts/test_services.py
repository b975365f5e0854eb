"""The membership rules, called directly (the views only translate them)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Invite, Membership, Role
from accounts.services import (
    AlreadyMember,
    MembershipError,
    do_accept_invite,
    do_change_role,
    do_create_invite,
    do_create_team,
    do_leave_team,
    do_remove_member,
)


def test_create_team_makes_the_creator_owner(outsider):
    team = do_create_team(outsider, "New")
    assert team.role_of(outsider) == Role.OWNER


def test_create_invite_sets_a_week_long_expiry(team, owner):
    invite = do_create_invite(team, owner, Role.VIEWER)
    assert timedelta(days=6, hours=23) < invite.expires_at - timezone.now() <= timedelta(days=7)
    assert invite.role == Role.VIEWER


def test_invite_keys_are_unguessable_and_distinct(team, owner):
    keys = {do_create_invite(team, owner).key for _ in range(5)}
    assert len(keys) == 5
    assert all(len(key) >= 32 for key in keys)


def test_accept_refuses_expired(team, owner, outsider):
    invite = Invite.objects.create(
        team=team, created_by=owner, expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(MembershipError, match="expired"):
        do_accept_invite(invite, outsider)
    assert team.role_of(outsider) is None


def test_accept_refuses_used_even_from_a_stale_object(team, owner, outsider, make_user):
    invite = do_create_invite(team, owner)
    stale = Invite.objects.get(pk=invite.pk)
    do_accept_invite(invite, make_user("first"))
    with pytest.raises(MembershipError, match="already been used"):
        do_accept_invite(stale, outsider)
    assert team.role_of(outsider) is None


def test_accept_refuses_members(team, owner, viewer):
    invite = do_create_invite(team, owner, Role.OWNER)
    with pytest.raises(AlreadyMember):
        do_accept_invite(invite, viewer)
    assert team.role_of(viewer) == Role.VIEWER


def test_demoting_one_of_two_owners_is_allowed_but_not_the_second(team, owner, member):
    do_change_role(Membership.objects.get(team=team, user=member), Role.OWNER)
    do_change_role(Membership.objects.get(team=team, user=owner), Role.MEMBER)
    with pytest.raises(MembershipError, match="last owner"):
        do_change_role(Membership.objects.get(team=team, user=member), Role.VIEWER)
    assert team.role_of(member) == Role.OWNER
    assert team.memberships.filter(role=Role.OWNER).count() == 1


def test_stale_role_does_not_bypass_the_last_owner_rule(team, owner, member):
    # The caller's copy says "member"; the row says "owner" and is the last one.
    stale = Membership.objects.get(team=team, user=owner)
    stale.role = Role.MEMBER
    with pytest.raises(MembershipError):
        do_remove_member(stale)
    assert team.role_of(owner) == Role.OWNER


def test_leaving_as_last_owner_is_refused(team, owner):
    with pytest.raises(MembershipError, match="You are the last owner"):
        do_leave_team(Membership.objects.get(team=team, user=owner))
    assert team.role_of(owner) == Role.OWNER


def test_removing_a_membership_removed_meanwhile_is_a_clear_error(team, member):
    membership = Membership.objects.get(team=team, user=member)
    Membership.objects.filter(pk=membership.pk).delete()
    with pytest.raises(MembershipError, match="no longer in the team"):
        do_remove_member(membership)
