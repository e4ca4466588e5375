from django.contrib import admin

from cycles.models import (
    Cycle,
    CycleLookFor,
    CycleParticipant,
    CycleSettings,
    CycleTransition,
    Debrief,
    LabSeries,
    LookFor,
    ProblemOfPractice,
    ProblemOfPracticeVersion,
    Visit,
)
from jel.admin import ScopesDisabledAdminMixin


class ParticipantInline(admin.TabularInline):
    model = CycleParticipant
    extra = 0
    raw_id_fields = ["user"]


class TransitionInline(admin.TabularInline):
    model = CycleTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]
    can_delete = False


@admin.register(Cycle)
class CycleAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "status", "school", "starts_on"]
    list_filter = ["school", "kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["facilitator", "created_by", "problem_of_practice"]
    inlines = [ParticipantInline, TransitionInline]


@admin.register(ProblemOfPractice)
class ProblemAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["question", "school", "version"]
    list_filter = ["school"]


@admin.register(LookFor)
class LookForAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["text", "kind", "school", "archived_at"]
    list_filter = ["school", "kind"]


@admin.register(Visit)
class VisitAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["cycle", "host", "date", "starts_at", "minutes"]
    raw_id_fields = ["cycle", "host", "observers", "booking"]


@admin.register(Debrief)
class DebriefAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["cycle", "due_at", "held_at"]
    raw_id_fields = ["cycle", "visit", "attendees", "booking"]


for model in (
    CycleSettings,
    LabSeries,
    ProblemOfPracticeVersion,
    CycleLookFor,
):
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin", (ScopesDisabledAdminMixin, admin.ModelAdmin), {}
        ),
    )
