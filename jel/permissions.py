"""Who may open what: one place for role checks on pages and API endpoints.

Tenancy (another school's record → 404) comes from django-scopes; these checks
add the role rule (wrong role → 403).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from rest_framework.permissions import BasePermission

from jel.models import ALL_ROLES


def role_required(*role_sets):
    """Decorate a view: signed in, with a current school, in one of the roles."""
    allowed = frozenset().union(*role_sets) if role_sets else ALL_ROLES

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.membership is None:
                return redirect("no_school")
            if request.membership.role not in allowed:
                raise PermissionDenied(
                    "Your role in this school cannot open this page."
                )
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed
        return wrapped

    return decorator


class RoleRequiredMixin:
    """Class-based view version of role_required; set allowed_roles."""

    allowed_roles = ALL_ROLES

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.membership is None:
            return redirect("no_school")
        if request.membership.role not in self.allowed_roles:
            raise PermissionDenied("Your role in this school cannot open this page.")
        return super().dispatch(request, *args, **kwargs)


class HasCurrentSchool(BasePermission):
    message = "You are not a member of any school."

    def has_permission(self, request, view):
        return getattr(request._request, "membership", None) is not None


class HasRole(BasePermission):
    """DRF: the view's allowed_roles must include the user's role here."""

    message = "Your role in this school cannot use this endpoint."

    def has_permission(self, request, view):
        membership = getattr(request._request, "membership", None)
        allowed = getattr(view, "allowed_roles", ALL_ROLES)
        return membership is not None and membership.role in allowed
