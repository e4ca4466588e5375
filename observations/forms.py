"""Forms for evidence, reflections and goals; services do the validating writes."""

import uuid

from django import forms
from django.utils import timezone

from cycles.models import LookFor
from jel.concurrency import VersionedFormMixin
from jel.validation import (
    LONG_MAX,
    NOTE_MAX,
    IdChoiceField,
    SchoolDateField,
    TextField,
)
from observations.models import (
    EVIDENCE_MAX_CHARS,
    Evidence,
    Goal,
    GoalCheckIn,
    Reflection,
)

# The service says the same, with the count formatted.
TOO_LONG = (
    f"Keep an entry to {EVIDENCE_MAX_CHARS:,} characters (this one has "
    "%(show_value)s): save it as two entries."
)


def _words(label: str, rows: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=EVIDENCE_MAX_CHARS,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class EvidenceForm(forms.Form):
    """A plain form post of one evidence entry (works without JavaScript)."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    text = _words("What did students do, say or make?", 3)
    look_for = IdChoiceField(
        queryset=None, required=False, label="Look-for", empty_label="None"
    )
    student_focus = forms.ChoiceField(
        label="Students were",
        choices=[("", "Not said"), *Evidence.StudentFocus.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    what = _words("What: we saw and heard", 2)
    so_what = _words("So what: why it matters for student understanding", 2)
    now_what = _words("Now what: implications for my practice", 2)
    is_tally = forms.BooleanField(required=False, widget=forms.HiddenInput)
    noted_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, look_fors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["look_for"].queryset = LookFor.objects.filter(
            pk__in=[look_for.pk for look_for in look_fors]
        )


class EvidenceEditForm(EvidenceForm):
    """The author changes an entry's words and tags (the time stays)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("client_id", "is_tally", "noted_at"):
            del self.fields[name]


def _cycle_field(label: str, empty_label: str) -> forms.ModelChoiceField:
    # The queryset is set per request: the scope is only active then.
    return IdChoiceField(
        queryset=None, required=False, label=label, empty_label=empty_label
    )


def _creation_token_field() -> forms.UUIDField:
    # Drawn with the blank form; a second submit of it lands on the first's row.
    return forms.UUIDField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": "Reload the page: this form is damaged."},
    )


def _reflection_body() -> TextField:
    return TextField(
        label="Your reflection",
        max_length=LONG_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class ReflectionForm(forms.ModelForm):
    cycle = _cycle_field("About a cycle (optional)", "Not about a cycle (journal)")
    body = _reflection_body()
    creation_token = _creation_token_field()
    field_order = ["cycle", "body", "visibility"]

    class Meta:
        model = Reflection
        fields = ["body", "visibility"]
        labels = {"body": "Your reflection", "visibility": "Who can read it"}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "visibility": "Private unless you choose otherwise. You can change "
            "this or delete the reflection at any time.",
        }

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles
        if not self.is_bound:
            self.initial.setdefault("creation_token", uuid.uuid4())


class ReflectionEditForm(VersionedFormMixin, forms.ModelForm):
    """The author's change of words or readers; the version refuses a stale tab."""

    body = _reflection_body()

    class Meta:
        model = Reflection
        fields = ["body", "visibility"]
        labels = ReflectionForm.Meta.labels
        widgets = ReflectionForm.Meta.widgets
        help_texts = ReflectionForm.Meta.help_texts


class ReplyForm(forms.Form):
    body = TextField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX,
    )


class GoalForm(forms.ModelForm):
    cycle = _cycle_field("Set after a cycle (optional)", "Not tied to a cycle")
    text = TextField(
        label=Goal._meta.get_field("text").verbose_name.capitalize(),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up_on = SchoolDateField(
        label=Goal._meta.get_field("follow_up_on").verbose_name.capitalize(),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="We will ask how it went on this day (two weeks from "
        "today unless you choose another).",
    )
    creation_token = _creation_token_field()

    class Meta:
        model = Goal
        fields = ["text", "follow_up_on"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "follow_up_on": "We will ask how it went on this day (two weeks from "
            "today unless you choose another).",
        }

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_on"].required = True
        # The model's callable default would add a hidden "initial-" copy that
        # carries the help text's aria-describedby (invalid HTML); nothing
        # here asks whether the date changed.
        self.fields["follow_up_on"].show_hidden_initial = False
        self.fields["cycle"].queryset = cycles
        if not self.is_bound:
            self.initial.setdefault("creation_token", uuid.uuid4())


class GoalCheckInForm(VersionedFormMixin, forms.Form):
    """A check-in; `version` is the goal's (a check-in moves its follow-up)."""

    tried = forms.TypedChoiceField(
        label=GoalCheckIn._meta.get_field("tried").verbose_name,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    results_as_anticipated = forms.ChoiceField(
        label=GoalCheckIn._meta.get_field("results_as_anticipated").verbose_name,
        choices=[("", "I did not try it yet"), *GoalCheckIn.Results.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    why = TextField(
        label="Why or why not?",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_follow_up_on = SchoolDateField(
        label="Check in again on (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    creation_token = _creation_token_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("creation_token", uuid.uuid4())

    def clean_next_follow_up_on(self):
        value = self.cleaned_data.get("next_follow_up_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError("Choose a day after today.")
        return value
