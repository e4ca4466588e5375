"""Forms for planning visits and editing the schedule."""

import datetime as dt

from django import forms
from django.forms import inlineformset_factory
from django.urls import reverse

from jel.concurrency import VersionedFormMixin
from jel.models import User
from jel.permissions import SCHOOL_STAFF
from jel.validation import (
    LINE_MAX,
    TITLE_MAX,
    IdChoiceField,
    IdMultipleChoiceField,
    OneLineField,
    SchoolDateField,
    check_no_control_characters,
    check_one_line,
    parse_school_date,
)
from scheduling import day_facts
from scheduling.models import DayType, ObservationWindow, Period, Term


def staff_of(school):
    """Everyone on the school's staff, by name: hosts, observers, coverers."""
    return User.objects.filter(
        memberships__school=school,
        memberships__is_active=True,
        memberships__role__in=SCHOOL_STAFF,
        is_active=True,
    ).order_by("full_name")


def default_class_periods(school):
    day_type = (
        DayType.objects.filter(school=school).order_by("-is_default", "name").first()
    )
    return Period.objects.filter(
        school=school, day_type=day_type, kind=Period.Kind.CLASS
    ).order_by("number")


PERIOD_HELP = "Times of the chosen date's bell schedule."


def period_times_note(info) -> str:
    """What the period list's times are, for a date's DayInfo (or None)."""
    if info is None:
        return "Pick a date to see that day's times (a late-start day has its own)."
    if not info.is_school_day:
        return f"{info.date:%A %-d %B} is not a school day ({info.why_not})."
    return f"Times of {info.date:%A %-d %B}, a {info.day_type} day."


class PeriodChoiceField(IdChoiceField):
    """A period slot of the usual bell schedule, labelled with a date's times.

    The value is the usual day type's period; a date of another day type (a late
    start) holds the same slot at its own times, which the labels show once
    `show_times_on` is told the date (and static/js/period-times.js when the
    date changes in the page).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = {}

    def show_times_on(self, *, school, day, date_field: str):
        info = day_facts.day_info(school=school, day=day) if day else None
        self.labels = day_facts.period_labels_on(
            school=school, day=day, periods=self.queryset
        )
        self.help_text = period_times_note(info)
        self.widget.attrs.update(
            {
                "data-period-times": reverse("scheduling:period_times"),
                "data-period-date": date_field,
            }
        )

    def label_from_instance(self, period):
        return self.labels.get(period.pk) or day_facts.period_label(period)


def date_from(form, name):
    """The date a form was given in field name (bound data or initial), or None."""
    raw = form.data.get(form.add_prefix(name)) if form.is_bound else None
    if raw is None:
        raw = form.initial.get(name)
    if isinstance(raw, dt.date):
        return raw
    # Only a date a school could mean labels the periods: year 1 or 9999 has no
    # bell schedule, and its field error says why.
    return parse_school_date(raw)


class PersonChoiceField(IdChoiceField):
    def label_from_instance(self, user):
        return user.full_name or user.email


class PeopleChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, user):
        return user.full_name or user.email


class VisitPlanForm(forms.Form):
    host = PersonChoiceField(
        queryset=User.objects.none(),
        label="Host teacher",
        help_text="Whose class is visited.",
    )
    observers = PeopleChoiceField(
        queryset=User.objects.none(),
        label="Observers",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    date = SchoolDateField(widget=forms.DateInput(attrs={"type": "date"}))
    period = PeriodChoiceField(
        queryset=None,
        label="Period",
        help_text=PERIOD_HELP,
    )
    minutes = forms.IntegerField(min_value=5, max_value=90, initial=15)
    # One line: it is the calendar entry's summary and the reminders' subject.
    title = OneLineField(
        required=False, max_length=TITLE_MAX, help_text="Leave empty for “Visit to …”."
    )
    window_override_reason = OneLineField(
        required=False,
        max_length=LINE_MAX,
        label="Reason to book outside an observation window",
        help_text="Only needed when the date is outside every window.",
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        people = staff_of(school)
        self.fields["host"].queryset = people
        self.fields["observers"].queryset = people
        self.fields["period"].queryset = default_class_periods(school)
        self.fields["period"].show_times_on(
            school=school, day=date_from(self, "date"), date_field="date"
        )

    def clean(self):
        data = super().clean()
        host, observers = data.get("host"), data.get("observers") or []
        if host is not None and host in observers:
            self.add_error("observers", f"{host} hosts this visit, so cannot observe.")
        return data


class DayTypeForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = DayType
        fields = ["name", "is_default"]
        labels = {"is_default": "The usual day type"}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["name"].validators += [check_one_line, check_no_control_characters]

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        # The school's names are unique (day_type_name_unique): said on the
        # field, before the database would refuse it with an IntegrityError.
        taken = DayType.objects.filter(school=self.school, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if name and taken.exists():
            raise forms.ValidationError(
                f"The school already has a day type called {taken.first().name}: "
                "give this one another name, or edit that one.",
                code="unique",
            )
        return name


def _minutes_of(time: dt.time) -> int:
    return time.hour * 60 + time.minute


class PeriodForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].validators += [check_one_line, check_no_control_characters]

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        # Said here, on the field, before the database's check constraint would
        # answer with its own name.
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error(
                "ends_at",
                f"A period ends after it starts: this one starts at "
                f"{starts_at:%H:%M}, so it must end later than that.",
            )
        return data


PERIODS_MAX = 30


class BasePeriodFormSet(forms.BaseInlineFormSet):
    """A day's periods together: two class periods cannot overlap (a teacher
    would be in two classes) and a number is one class slot."""

    def clean(self):
        kept = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = form.cleaned_data
            if not (data.get("starts_at") and data.get("ends_at")):
                continue
            if data["ends_at"] <= data["starts_at"]:
                continue  # said on the row already
            kept.append(form)
        classes = [f for f in kept if f.cleaned_data.get("kind") == Period.Kind.CLASS]
        classes.sort(key=lambda f: f.cleaned_data["starts_at"])
        for earlier, later in zip(classes, classes[1:], strict=False):
            a, b = earlier.cleaned_data, later.cleaned_data
            if _minutes_of(b["starts_at"]) < _minutes_of(a["ends_at"]):
                before = a.get("name") or "the period before"
                later.add_error(
                    "starts_at",
                    f"This period starts at {b['starts_at']:%H:%M}, before {before} "
                    f"ends at {a['ends_at']:%H:%M}: class periods cannot overlap.",
                )
        numbers, repeated = {}, False
        for form in kept:
            data = form.cleaned_data
            key = (data.get("number"), data.get("kind"))
            if key[0] is None or key[1] not in Period.Kind.values:
                continue
            if key in numbers:
                form.add_error(
                    "number",
                    f"{numbers[key]} already has number {key[0]}: give each "
                    f"{Period.Kind(key[1]).label.lower()} period its own number.",
                )
                repeated = True
            else:
                numbers[key] = data.get("name") or f"Row {self.forms.index(form) + 1}"
        if not repeated:
            # Django's own check of the same numbers says less: only when ours
            # found nothing (it also checks rows ours skipped).
            super().clean()


PeriodFormSet = inlineformset_factory(
    DayType,
    Period,
    form=PeriodForm,
    formset=BasePeriodFormSet,
    fields=["name", "number", "kind", "starts_at", "ends_at"],
    extra=2,
    # A bell schedule has at most some fifteen blocks; a posted count of
    # thousands is refused at once instead of building thousands of rows.
    max_num=PERIODS_MAX,
    absolute_max=PERIODS_MAX,
    validate_max=True,
    can_delete=True,
    # The page explains numbering once; repeating it under every row is noise.
    help_texts={"name": "", "number": ""},
    widgets={
        "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    },
)


class PeriodsChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, period):
        return f"{period.name} ({period.starts_at:%H:%M})"


class ObservationWindowForm(VersionedFormMixin, forms.ModelForm):
    # Querysets of scoped models are set per request; at import no scope is active.
    term = IdChoiceField(queryset=None, required=False)
    periods = PeriodsChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every period.",
    )

    class Meta:
        model = ObservationWindow
        fields = ["name", "term", "starts_on", "ends_on", "periods"]
        field_classes = {"starts_on": SchoolDateField, "ends_on": SchoolDateField}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].validators += [check_one_line, check_no_control_characters]
        self.fields["term"].queryset = Term.objects.filter(school=school)
        self.fields["periods"].queryset = default_class_periods(school)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The window must end on or after its first day.")
        return data


class SchoolDayForm(VersionedFormMixin, forms.Form):
    """Set one date's day type. `version` is that date's entry's as the form was
    drawn (empty: there was none), so two people setting one date at once do
    not silently overwrite each other."""

    NO_SCHOOL = "none"

    date = SchoolDateField(widget=forms.DateInput(attrs={"type": "date"}))
    day_type = forms.ChoiceField(label="Day type")
    note = OneLineField(
        required=False, max_length=120, help_text="For example Thanksgiving."
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.day_types = {str(d.pk): d for d in DayType.objects.filter(school=school)}
        self.fields["day_type"].choices = [
            (self.NO_SCHOOL, "No school (holiday)"),
            *((pk, d.name) for pk, d in self.day_types.items()),
        ]

    def school_day(self) -> dict:
        """The fields of scheduling.services.school_day_set."""
        data = self.cleaned_data
        no_school = data["day_type"] == self.NO_SCHOOL
        return {
            "date": data["date"],
            "day_type": None if no_school else self.day_types[data["day_type"]],
            "note": data["note"],
        }


class CoverageEmailForm(forms.Form):
    to = forms.EmailField(label="Office e-mail address")
    date = SchoolDateField(widget=forms.HiddenInput)


class CoverageAssignForm(forms.Form):
    SUBSTITUTE = "substitute"

    covered_by = forms.ChoiceField(
        label="Covered by", widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(o.user.pk): o.user for o in options}
        self.fields["covered_by"].choices = [
            (self.SUBSTITUTE, "A substitute"),
            *(
                (
                    str(o.user.pk),
                    f"{o.user} (covering {o.covering_today} today, "
                    f"{o.covering_total} this year)",
                )
                for o in options
            ),
        ]

    def chosen(self):
        value = self.cleaned_data["covered_by"]
        return None if value == self.SUBSTITUTE else self.people[value]


class BadQuery(ValueError):
    """A query string's value that is not what the page takes (answered 400)."""


def parse_week(value: str | None, today: dt.date) -> dt.date:
    """A page's ?week= / ?date= / ?month= day: today when absent, BadQuery when it
    is not a date a school could mean (year 1 has no week before it)."""
    if value is None or not str(value).strip():
        return today
    day = parse_school_date(value)
    if day is None:
        raise BadQuery(value)
    return day


class BookingMoveForm(forms.Form):
    date = SchoolDateField(widget=forms.DateInput(attrs={"type": "date"}))
    period = PeriodChoiceField(queryset=None, required=False, label="Period")
    start_time = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Only for a time outside the periods, such as after school.",
    )
    window_override_reason = OneLineField(
        required=False,
        max_length=LINE_MAX,
        label="Reason to book outside an observation window",
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = default_class_periods(school)
        self.fields["period"].show_times_on(
            school=school, day=date_from(self, "date"), date_field="date"
        )

    def clean(self):
        data = super().clean()
        if not data.get("period") and not data.get("start_time"):
            raise forms.ValidationError("Choose a period or a start time.")
        return data


ROSTER_MAX_BYTES = 200 * 2**20


class RosterUploadForm(forms.Form):
    export = forms.FileField(
        label="OneRoster export (.zip)",
        help_text="The .zip your student information system exports: OneRoster "
        "1.1 or 1.2 CSV, with bell_schedules.csv and calendar_days.csv beside "
        "it if you have them.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_export(self):
        import zipfile

        upload = self.cleaned_data["export"]
        if upload.size > ROSTER_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 200 MB.")
        if not zipfile.is_zipfile(upload):
            raise forms.ValidationError("This is not a .zip file.")
        upload.seek(0)
        return upload
