"""Admin screens for teams, their members and invites (support and fixing mistakes)."""

from django.contrib import admin

from accounts.models import Invite, Membership, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "team__name"]
    autocomplete_fields = ["user", "team"]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["team", "role", "created_by", "created_at", "expires_at", "used_by", "used_at"]
    list_filter = ["role"]
    search_fields = ["team__name", "key"]
    readonly_fields = ["key", "created_at"]
    raw_id_fields = ["created_by", "used_by"]
    autocomplete_fields = ["team"]
