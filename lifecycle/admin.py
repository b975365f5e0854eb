"""Admin: workshops by team with their retention and size, the audit log and retention policies."""

from django.contrib import admin
from django.db.models import Count

from boards.models import Workshop
from lifecycle import services
from lifecycle.models import AuditEntry, RetentionPolicy


class WorkshopLifecycle(Workshop):
    """Workshops seen by operators: team, status, retention and size."""

    class Meta:
        proxy = True
        verbose_name = "workshop (lifecycle)"
        verbose_name_plural = "workshops (lifecycle)"


@admin.register(WorkshopLifecycle)
class WorkshopLifecycleAdmin(admin.ModelAdmin):
    list_display = ("title", "team", "created_at", "closed_at", "archived_at", "retention", "delete_at",
                    "note_count", "op_count", "participant_count")  # fmt: skip
    list_filter = (
        "team",
        ("closed_at", admin.EmptyFieldListFilter),
        ("archived_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("title", "team__name")
    ordering = ("team__name", "-created_at")
    fields = ("title", "team", "closed_at", "archived_at", "retention_days")
    readonly_fields = ("title", "team", "closed_at", "archived_at")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("team")
            .annotate(
                notes_n=Count("boards__notes", distinct=True),
                ops_n=Count("boards__ops", distinct=True),
                people_n=Count("participants", distinct=True),
            )
        )

    @admin.display(description="retention (days)")
    def retention(self, obj):
        days = services.retention_days_of(obj)
        return "keep" if days is None else days

    @admin.display(description="deleted on")
    def delete_at(self, obj):
        return services.delete_at(obj)

    @admin.display(description="notes", ordering="notes_n")
    def note_count(self, obj):
        return obj.notes_n

    @admin.display(description="ops", ordering="ops_n")
    def op_count(self, obj):
        return obj.ops_n

    @admin.display(description="people", ordering="people_n")
    def participant_count(self, obj):
        return obj.people_n

    def has_add_permission(self, request):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "team", "action", "actor_name", "workshop_title", "detail")
    list_filter = ("action", "team")
    search_fields = ("workshop_title", "actor_name")

    def has_change_permission(self, request, obj=None):
        return False  # a log is not edited


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("team", "delete_after_days", "updated_at")
