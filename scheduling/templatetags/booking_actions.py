"""scheduling.actions.action_for in a template.

{% load booking_actions %}{% booking_action booking user as action %}
"""

from django import template

from scheduling.actions import action_for

register = template.Library()


@register.simple_tag
def booking_action(booking, user):
    return action_for(booking, user)
