from django.contrib import admin

from jel.admin import ScopesDisabledAdminMixin
from observations.models import (
    Evidence,
    Goal,
    GoalCheckIn,
    Observation,
    Reflection,
    ReflectionReply,
)


@admin.register(Observation)
class ObservationAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["visit", "observer", "started_at", "ended_at"]
    list_filter = ["school"]
    raw_id_fields = ["visit", "observer"]


@admin.register(Evidence)
class EvidenceAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "student_focus", "is_tally", "bright_spot", "noted_at"]
    list_filter = ["school", "student_focus", "bright_spot"]
    raw_id_fields = ["observation", "look_for"]


@admin.register(Reflection)
class ReflectionAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    # Superusers only: the admin is for support, and reflections stay private
    # there too unless needed; the list shows no words.
    list_display = ["author", "visibility", "created_at"]
    list_filter = ["school", "visibility"]
    fields = ["school", "author", "visibility", "cycle", "visit"]
    readonly_fields = fields


@admin.register(ReflectionReply)
class ReflectionReplyAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["author", "reflection", "created_at"]
    raw_id_fields = ["reflection", "author"]


class GoalCheckInInline(admin.TabularInline):
    model = GoalCheckIn
    extra = 0


@admin.register(Goal)
class GoalAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "owner", "follow_up_on"]
    list_filter = ["school"]
    raw_id_fields = ["owner", "cycle"]
    inlines = [GoalCheckInInline]
