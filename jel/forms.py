from django import forms

from jel.concurrency import VersionedFormMixin
from jel.models import NotificationSettings, ReminderKind, ReminderTimings, StaffProfile
from jel.validation import OneLineField


class GradeLevelsField(forms.TypedMultipleChoiceField):
    """Grade numbers from the school's grades: anything else ("x", a grade the
    school does not have) is a field error, checked before it becomes a number."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=[], **kwargs)


class StaffProfileForm(forms.ModelForm):
    grade_levels = GradeLevelsField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Grade levels you teach",
    )

    department = OneLineField(
        max_length=StaffProfile._meta.get_field("department").max_length,
        required=False,
        label="Department or content area",
    )

    class Meta:
        model = StaffProfile
        fields = ["years_experience", "department", "grade_levels"]
        labels = {
            "years_experience": "Years of teaching experience",
            "department": "Department or content area",
        }
        help_texts = {
            "years_experience": "Teachers with fewer than 3 years count as new."
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        label = {0: "Kindergarten"}
        self.fields["grade_levels"].choices = [
            (str(g), label.get(g, f"Grade {g}")) for g in sorted(school.grade_levels)
        ]
        self.initial["grade_levels"] = [str(g) for g in self.instance.grade_levels]


class SettingsVersionMixin(VersionedFormMixin):
    """A settings form carries the version it was drawn from, the unsaved
    defaults included (version 1), so a stale save is refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)


class NotificationSettingsForm(SettingsVersionMixin, forms.ModelForm):
    email_kinds = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="E-mail me about",
        help_text="Notices always appear in JEL; these also come by e-mail.",
    )

    class Meta:
        model = NotificationSettings
        fields = ["quiet_start", "quiet_end"]
        labels = {
            "quiet_start": "Quiet hours start",
            "quiet_end": "Quiet hours end",
        }
        help_texts = {
            "quiet_start": "No e-mail between these times (school time); it waits, "
            "it is not dropped. The same start and end means no quiet hours.",
        }
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_kinds"].choices = ReminderKind.choices
        self.initial["email_kinds"] = [
            kind for kind in ReminderKind.values if kind not in self.instance.email_off
        ]

    def save(self, commit=True):
        chosen = set(self.cleaned_data["email_kinds"])
        self.instance.email_off = [k for k in ReminderKind.values if k not in chosen]
        return super().save(commit)


class ReminderTimingsForm(SettingsVersionMixin, forms.ModelForm):
    # Left out (an older form, a script): the school's current value stays.
    KEEP_IF_BLANK = ("daily_cap", "more_today_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.KEEP_IF_BLANK:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in self.KEEP_IF_BLANK:
            if cleaned.get(name) in (None, "") and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        return cleaned

    class Meta:
        model = ReminderTimings
        fields = [
            "visit_tomorrow_at",
            "visit_soon_minutes",
            "reflection_prompt_at",
            "micro_debrief_nudge_hours",
            "follow_up_at",
            "follow_up_again_days",
            "digest_at",
            "daily_cap",
            "more_today_at",
        ]
        widgets = {
            name: forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            for name in (
                "visit_tomorrow_at",
                "reflection_prompt_at",
                "follow_up_at",
                "digest_at",
                "more_today_at",
            )
        }
