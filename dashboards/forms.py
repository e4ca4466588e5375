"""The dashboards' filter form: a GET form, so every view can be bookmarked."""

from django import forms
from django.core.exceptions import ValidationError

from cycles.models import Cycle, ProblemOfPractice
from dashboards import selectors as dashboards
from scheduling.models import Term

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DashboardFilterForm(forms.Form):
    term = forms.ModelChoiceField(
        queryset=Term.objects.none(),
        required=False,
        empty_label="This term (or the dates below)",
    )
    start = forms.DateField(label="From", required=False, widget=DATE_INPUT)
    end = forms.DateField(label="To", required=False, widget=DATE_INPUT)
    kind = forms.ChoiceField(
        label="Cycle type",
        required=False,
        choices=[("", "All cycle types"), *Cycle.Kind.choices],
    )
    problem = forms.ModelChoiceField(
        label="Problem of practice",
        queryset=ProblemOfPractice.objects.none(),
        required=False,
        empty_label="All problems of practice",
    )
    department = forms.ChoiceField(label="Department", required=False)
    by = forms.ChoiceField(
        label="Heat map columns",
        required=False,
        choices=list(dashboards.HEATMAP_BY.items()),
    )

    def __init__(self, data=None, *, school, fields=None):
        super().__init__(data or None)
        self.school = school
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]
        if "term" in self.fields:
            self.fields["term"].queryset = Term.objects.filter(
                school=school
            ).select_related("year")
        if "problem" in self.fields:
            self.fields["problem"].queryset = ProblemOfPractice.objects.filter(
                school=school
            )
        if "department" in self.fields:
            self.fields["department"].choices = [("", "All departments")] + [
                (d, d) for d in dashboards.departments_of(school=school)
            ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise ValidationError("Give both dates of the range, or neither.")
        if start and end:
            if end < start:
                self.add_error("end", "The end date is before the start date.")
            elif (end - start).days > dashboards.MAX_RANGE_DAYS:
                self.add_error("end", "Choose a range of at most three years.")
        return data

    def filters(self) -> dashboards.Filters:
        """The filters chosen, or the defaults (this term) when the form is invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        problem = data.get("problem")
        return dashboards.resolve_filters(
            school=self.school,
            term=data.get("term"),
            start=data.get("start"),
            end=data.get("end"),
            kind=data.get("kind", ""),
            problem_id=problem.pk if problem else None,
            department=data.get("department", ""),
            by=data.get("by", ""),
        )
