"""{% can "plan_cycles" as may_plan %}: templates ask abilities, not role strings."""

from django import template

from jel import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, ability: str) -> bool:
    request = context.get("request")
    return request is not None and permissions.can(request, ability)
