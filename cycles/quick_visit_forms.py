"""The "Plan a visit" form: a one-visit micro-observation.

scheduling's VisitPlanForm (host, observers, date, period, title, window
reason) plus the micro-observation's rules: exactly one look-for as its focus,
minutes within the type's range.
"""

from django import forms

from cycles.forms import guard_ids
from cycles.kinds import spec_for
from cycles.models import CYCLE_TITLE_MAX, Cycle, LookFor
from jel.validation import OneLineField
from scheduling.forms import VisitPlanForm

MICRO = spec_for(Cycle.Kind.MICRO)


class LookForChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, look_for):
        return look_for.text


class QuickVisitForm(VisitPlanForm):
    look_for = LookForChoiceField(
        queryset=LookFor.objects.none(),
        label="Focus look-for",
        empty_label="Choose the one look-for",
        error_messages={
            "required": "Choose the one look-for this visit focuses on: a "
            "micro-observation has one tight focus."
        },
    )

    # The visit's title is its cycle's and its booking's: capped like a cycle's,
    # so "In 15 minutes: " + the title fits a reminder's subject.
    title = OneLineField(
        required=False,
        max_length=CYCLE_TITLE_MAX,
        help_text="Leave empty for “Visit to …”.",
    )

    field_order = ["host", "observers", "date", "period", "minutes", "look_for"]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, school=school, **kwargs)
        low, high = MICRO.minutes.low, MICRO.minutes.high
        self.fields["minutes"] = forms.IntegerField(
            min_value=low,
            max_value=high,
            initial=high,
            help_text=MICRO.minutes.help_text,
            error_messages={
                "min_value": MICRO.minutes.message,
                "max_value": MICRO.minutes.message,
            },
        )
        look_fors = (
            LookFor.objects.filter(school=school, archived_at__isnull=True)
            .select_related("problem")
            .order_by("problem_id", "position", "pk")
        )
        self.fields["look_for"].queryset = look_fors
        self.has_look_fors = look_fors.exists()
        self.fields[
            "look_for"
        ].help_text = "What the observers look for: one observable student behaviour."
        guard_ids(self)
