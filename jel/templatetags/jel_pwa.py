"""{% pwa_person %}: the name of the signed-in person's offline caches and stored
entries (a keyed hash of the user id), empty for nobody."""

from django import template

from jel.pwa import person_key

register = template.Library()


@register.simple_tag(takes_context=True)
def pwa_person(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return person_key(user)
