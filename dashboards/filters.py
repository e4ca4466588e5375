"""The dashboards' filters (django-filter): what a dashboard can be narrowed by.

A GET form, so every view can be bookmarked. The FilterSet declares and
validates the choices and resolves them into `selectors.Filters`; the report
selectors do their own grouped counting (a filtered view must be checked
against the wider one for small-group suppression), so they take the resolved
Filters rather than a filtered queryset. The API validates the same range
rules through `period_errors`.
"""

import django_filters
from django import forms

from cycles.models import Cycle, ProblemOfPractice, Visit
from dashboards import selectors
from jel.validation import SchoolDateField
from scheduling.models import Term

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def period_errors(start, end) -> list[tuple[str | None, str]]:
    """What is wrong with a date range: (field or None for the pair, message)."""
    if bool(start) != bool(end):
        return [(None, "Give both dates of the range, or neither.")]
    if start and end:
        if end < start:
            return [("end", "The end date is before the start date.")]
        if (end - start).days > selectors.MAX_RANGE_DAYS:
            return [("end", "Choose a range of at most three years.")]
    return []


class SchoolDateFilter(django_filters.DateFilter):
    """A date no school would mean (year 1, 9999) is a field error, not a 500."""

    field_class = SchoolDateField


class PeriodForm(forms.Form):
    def clean(self):
        data = super().clean()
        if "start" in self.errors or "end" in self.errors:
            return data  # a date already refused: its own message says why
        for field, message in period_errors(data.get("start"), data.get("end")):
            self.add_error(field, message)
        return data


class DashboardFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(
        queryset=Term.objects.none(),
        empty_label="This term (or the dates chosen)",
        field_name="date",
        method="in_term",
    )
    start = SchoolDateFilter(
        field_name="date", lookup_expr="gte", label="From", widget=DATE_INPUT
    )
    end = SchoolDateFilter(
        field_name="date", lookup_expr="lte", label="To", widget=DATE_INPUT
    )
    kind = django_filters.ChoiceFilter(
        field_name="cycle__kind",
        label="Cycle type",
        choices=Cycle.Kind.choices,
        empty_label="All cycle types",
    )
    problem = django_filters.ModelChoiceFilter(
        field_name="cycle__problem_of_practice",
        label="Problem of practice",
        queryset=ProblemOfPractice.objects.none(),
        empty_label="All problems of practice",
    )
    department = django_filters.ChoiceFilter(
        label="Department",
        empty_label="All departments",
        method="in_department",
    )
    by = django_filters.ChoiceFilter(
        label="Heat map columns",
        choices=list(selectors.HEATMAP_BY.items()),
        empty_label=None,
        method="columns_only",
    )

    class Meta:
        model = Visit
        fields: list[str] = []
        form = PeriodForm

    def __init__(self, data=None, *, school, fields=None):
        super().__init__(data or None, queryset=Visit.objects.filter(school=school))
        self.school = school
        if fields is not None:
            for name in list(self.filters):
                if name not in fields:
                    del self.filters[name]
        if "term" in self.filters:
            self.filters["term"].queryset = Term.objects.filter(
                school=school
            ).select_related("year")
        if "problem" in self.filters:
            self.filters["problem"].queryset = ProblemOfPractice.objects.filter(
                school=school
            )
        if "department" in self.filters:
            self.filters["department"].extra["choices"] = [
                (d, d) for d in selectors.departments_of(school=school)
            ]

    def in_term(self, queryset, name, value):
        return queryset.filter(date__gte=value.starts_on, date__lte=value.ends_on)

    def in_department(self, queryset, name, value):
        return queryset.filter(
            host__memberships__school=self.school,
            host__memberships__profile__department=value,
        )

    def columns_only(self, queryset, name, value):
        return queryset  # how the heat map is laid out, not which visits

    def filters_chosen(self) -> selectors.Filters:
        """The filters chosen, or the defaults (this term) when the form is invalid."""
        data = self.form.cleaned_data if self.is_valid() else {}
        problem = data.get("problem")
        return selectors.resolve_filters(
            school=self.school,
            term=data.get("term"),
            start=data.get("start"),
            end=data.get("end"),
            kind=data.get("kind", ""),
            problem_id=problem.pk if problem else None,
            department=data.get("department", ""),
            by=data.get("by", ""),
        )
