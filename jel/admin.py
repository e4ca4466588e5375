from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_scopes import scopes_disabled

from jel.models import District, Membership, School, StaffProfile, User


class ScopesDisabledAdminMixin:
    """The admin is for superusers across all schools, on purpose unscoped."""

    def changelist_view(self, request, extra_context=None):
        with scopes_disabled():
            return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with scopes_disabled():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with scopes_disabled():
            return super().delete_view(request, object_id, extra_context)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (None, {"fields": ("email", "full_name", "password1", "password2")}),
    )


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "time_zone", "privacy_threshold"]
    list_filter = ["district"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role", "is_active"]
    list_filter = ["school", "role"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["membership", "years_experience", "department"]
