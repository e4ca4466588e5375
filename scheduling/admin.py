from django.contrib import admin

from jel.admin import ScopesDisabledAdminMixin
from scheduling.models import (
    AcademicYear,
    Booking,
    BookingPerson,
    CalendarToken,
    Coverage,
    DayType,
    ObservationWindow,
    Period,
    Room,
    SchoolDay,
    Section,
    Team,
    Term,
)


class ScopedAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_filter = ["school"]


@admin.register(AcademicYear)
class AcademicYearAdmin(ScopedAdmin):
    list_display = ["name", "school", "starts_on", "ends_on"]


@admin.register(Term)
class TermAdmin(ScopedAdmin):
    list_display = ["name", "kind", "year", "starts_on", "ends_on"]


class PeriodInline(admin.TabularInline):
    model = Period
    extra = 0
    fields = ["name", "number", "kind", "starts_at", "ends_at"]


@admin.register(DayType)
class DayTypeAdmin(ScopedAdmin):
    list_display = ["name", "school", "is_default"]
    inlines = [PeriodInline]


@admin.register(SchoolDay)
class SchoolDayAdmin(ScopedAdmin):
    list_display = ["date", "school", "day_type", "is_school_day", "note"]
    date_hierarchy = "date"


@admin.register(Room)
class RoomAdmin(ScopedAdmin):
    list_display = ["name", "school"]
    search_fields = ["name"]


@admin.register(Section)
class SectionAdmin(ScopedAdmin):
    list_display = ["course", "period", "term", "teacher", "room"]
    list_select_related = ["period", "term", "teacher", "room"]
    search_fields = ["course", "code", "teacher__full_name"]
    raw_id_fields = ["teacher"]


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    list_display = ["name", "kind", "school", "plc_day_of_week", "plc_starts_at"]
    filter_horizontal = ["members"]


@admin.register(ObservationWindow)
class ObservationWindowAdmin(ScopedAdmin):
    list_display = ["name", "school", "starts_on", "ends_on"]


class BookingPersonInline(admin.TabularInline):
    model = BookingPerson
    extra = 0
    raw_id_fields = ["user"]


class CoverageInline(admin.TabularInline):
    model = Coverage
    extra = 0
    raw_id_fields = ["observer", "covered_by", "section"]


@admin.register(Booking)
class BookingAdmin(ScopedAdmin):
    list_display = ["title", "kind", "date", "starts_at", "host", "status"]
    list_filter = ["school", "kind", "status"]
    date_hierarchy = "date"
    raw_id_fields = ["host", "created_by"]
    readonly_fields = ["uid", "sequence"]
    inlines = [BookingPersonInline, CoverageInline]


@admin.register(CalendarToken)
class CalendarTokenAdmin(ScopedAdmin):
    list_display = ["user", "school", "created_at", "revoked_at"]
    # The token is a secret; the admin shows who has one, not what it is.
    exclude = ["token"]
    raw_id_fields = ["user"]
