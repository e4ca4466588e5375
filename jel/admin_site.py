from django.contrib import admin


class SuperuserOnlyAdminSite(admin.AdminSite):
    """Django admin is a superuser's tool; school staff use the app's own pages."""

    site_header = "JEL administration"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
