"""{% booking_action booking user as action %}: scheduling.actions.action_for in a template."""

from django import template

from scheduling.actions import action_for

register = template.Library()


@register.simple_tag
def booking_action(booking, user):
    return action_for(booking, user)
