"""The term planner's forms: the intentions, moving a visit, accepting."""

from django import forms
from django.utils import timezone

from cycles.models import LookFor
from scheduling.forms import default_class_periods
from scheduling.models import Team, Term


class TermPlanForm(forms.Form):
    term = forms.ModelChoiceField(queryset=Term.objects.none(), label="Term")
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Teams",
        help_text="Leave empty to plan for every teacher who teaches in the term.",
    )
    observe_at_least = forms.IntegerField(
        label="Each teacher observes at least this many colleagues",
        min_value=0,
        max_value=10,
        initial=2,
    )
    host_at_least = forms.IntegerField(
        label="Each teacher hosts at least this many times",
        min_value=0,
        max_value=10,
        initial=1,
    )
    weekly_for_new = forms.BooleanField(
        label="New teachers make a micro-observation every week",
        required=False,
        initial=True,
    )
    cover_cap_week = forms.IntegerField(
        label="Most classes one colleague covers per week (contract)",
        min_value=0,
        max_value=20,
        initial=2,
        required=False,
        help_text="Leave empty for no cap. Beyond it, a substitute covers.",
    )
    allow_several_a_day = forms.BooleanField(
        label="Allow a teacher more than one visit a day",
        required=False,
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["term"].queryset = Term.objects.filter(
            school=school, ends_on__gt=today
        ).select_related("year")
        self.fields["teams"].queryset = Team.objects.filter(school=school)

    def clean(self):
        data = super().clean()
        if not (
            data.get("observe_at_least")
            or data.get("host_at_least")
            or data.get("weekly_for_new")
        ):
            raise forms.ValidationError(
                "Ask for at least one thing: observing, hosting or weekly "
                "micro-observations."
            )
        return data

    def intentions(self) -> dict:
        data = self.cleaned_data
        return {
            "observe_at_least": data["observe_at_least"],
            "host_at_least": data["host_at_least"],
            "weekly_for_new": data["weekly_for_new"],
            "cover_cap_week": data["cover_cap_week"],
            "allow_several_a_day": data["allow_several_a_day"],
        }


class MoveVisitForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ModelChoiceField(queryset=None, label="Period")

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = default_class_periods(school)


class AcceptPlanForm(forms.Form):
    look_for = forms.ModelChoiceField(
        queryset=LookFor.objects.none(),
        label="The look-for of every visit",
        help_text="Each visit is a micro-observation with one tight focus.",
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["look_for"].queryset = LookFor.objects.filter(
            school=school, archived_at__isnull=True
        )
