"""The cycle list's filters (django-filter), shared by the page and the API."""

import django_filters

from cycles.kinds import kind_choices
from cycles.models import Cycle


class CycleFilter(django_filters.FilterSet):
    """Type and status; an unknown value is ignored rather than refused."""

    kind = django_filters.ChoiceFilter(choices=kind_choices(), label="Type")
    status = django_filters.ChoiceFilter(choices=Cycle.Status.choices)

    class Meta:
        model = Cycle
        fields = ["kind", "status"]
