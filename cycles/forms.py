"""Forms for problems of practice, look-fors, cycles and debriefs.

Forms collect and clean input; the rules live in services, whose field errors
are put back on these forms with `add_service_errors`.
"""

import uuid
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy

from cycles import selectors
from cycles.kinds import DEBRIEF_LABELS, spec_for
from cycles.models import (
    CYCLE_TITLE_MAX,
    FOLLOW_UP_DAYS_MAX,
    QUALITY_CHECKS,
    Cycle,
    CycleSettings,
    LabSeries,
    LookFor,
    ProblemOfPractice,
)
from jel.concurrency import VersionedFormMixin
from jel.models import Role
from jel.permissions import FACILITATORS, SCHOOL_STAFF
from jel.validation import (
    LINE_MAX,
    NOTE_MAX,
    IdChoiceField,
    OneLineField,
    SchoolDateField,
    SchoolDateTimeField,
    TextField,
    parse_id,
)
from scheduling import selectors as schedule
from scheduling.forms import (
    PERIOD_HELP,
    PeriodChoiceField,
    date_from,
    default_class_periods,
)
from scheduling.models import Period, Team

COMMON_FIELDS = [
    "title",
    "focus",
    "facilitator",
    "team",
    "look_fors",
    "hosts",
    "observers",
    "visit_date",
    "period",
    "start_time",
    "minutes",
    "arrange_cover",
    "window_override_reason",
    "debrief_at",
]


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's field errors beside the fields (others at the top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def _pk(value):
    return getattr(value, "value", value)


def guard_ids(form) -> None:
    """Every choice-by-id field of form refuses what is not an id ("abc", 2**63)
    as an invalid choice, before any query (SQLite overflows on a huge one).

    For fields a form inherits (scheduling's people and period lists) as well
    as its own; jel.validation.IdChoiceField does the same for one field.
    """
    for field in form.fields.values():
        if isinstance(field, forms.ModelMultipleChoiceField):
            field._check_values = _guarded_values(field, field._check_values)
        elif isinstance(field, forms.ModelChoiceField):
            field.to_python = _guarded_choice(field, field.to_python)


def _guarded_choice(field, to_python):
    def guarded(value):
        given = value not in field.empty_values and not hasattr(value, "pk")
        if given and parse_id(value) is None:
            raise ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice"
            )
        return to_python(value)

    return guarded


def _guarded_values(field, check_values):
    def guarded(values):
        for value in values:
            if not hasattr(value, "pk") and parse_id(value) is None:
                raise ValidationError(
                    field.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": value},
                )
        return check_values(values)

    return guarded


def creation_token_field() -> forms.UUIDField:
    """Drawn with the blank form; a second submit of it finds the first's row."""
    return forms.UUIDField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": "Reload the page: this form is damaged."},
    )


def _notes(label, rows=2, **kwargs) -> TextField:
    return TextField(
        required=False,
        max_length=NOTE_MAX,
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


@dataclass
class PeopleField:
    """A staff list: the chosen team's members, then everyone else."""

    field: object  # the BoundField
    team_options: list
    other_options: list
    team: object = None

    @property
    def name(self):
        return self.field.name

    @property
    def others_ticked(self) -> bool:
        return any(o.data["selected"] for o in self.other_options)


@dataclass
class LookForChoices:
    """The look-for list: the chosen problem's look-fors, then the others."""

    field: object  # the BoundField
    problem_options: list
    other_options: list
    problem: object = None

    @property
    def others_ticked(self) -> bool:
        return any(o.data["selected"] for o in self.other_options)


class PeopleBlock:
    """The hosts and observers lists, swapped together when the team changes."""

    name = PEOPLE = "people"

    def __init__(self, form):
        self.form = form

    @property
    def fields(self):
        return [
            self.form.people_field(name)
            for name in ("hosts", "observers")
            if name in self.form.fields
        ]


PEOPLE = PeopleBlock.PEOPLE


class UserChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.full_name or user.email


class CycleForm(VersionedFormMixin, forms.Form):
    title = OneLineField(max_length=CYCLE_TITLE_MAX)
    focus = TextField(
        required=False,
        max_length=LINE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The strategy or question the group looks at.",
    )
    problem_of_practice = forms.ModelChoiceField(
        queryset=ProblemOfPractice.objects.none(), required=False
    )
    facilitator = forms.ModelChoiceField(queryset=None, required=False)
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        help_text="Its PLC time is where the debrief goes unless you pick a time.",
    )
    look_fors = forms.ModelMultipleChoiceField(
        queryset=LookFor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Look-fors",
        help_text="Leave empty to use the problem of practice's look-fors.",
    )
    hosts = UserChoice(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    observers = UserChoice(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    visit_date = SchoolDateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Date"
    )
    period = PeriodChoiceField(
        queryset=Period.objects.none(),
        required=False,
        help_text=PERIOD_HELP,
    )
    start_time = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Optional: a start inside the period, at that day's times.",
    )
    minutes = forms.IntegerField(
        min_value=5, max_value=90, initial=15, label="Minutes per visit"
    )
    arrange_cover = forms.BooleanField(
        required=False,
        initial=True,
        label="Arrange cover for observers who teach then",
        help_text="A free colleague where there is one, otherwise a substitute.",
    )
    window_override_reason = OneLineField(
        required=False,
        max_length=LINE_MAX,
        label="Reason to visit outside an observation window (if needed)",
    )
    debrief_at = SchoolDateTimeField(
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        label="Debrief",
        help_text="Empty: the team's next free PLC time after the visits; "
        "without a team (or PLC time), the first time after the visits that "
        "the facilitator and everyone in the cycle are free.",
    )
    series = forms.ModelChoiceField(
        queryset=LabSeries.objects.none(),
        required=False,
        label="Part of a lab series",
    )
    new_series_title = OneLineField(
        required=False,
        max_length=CYCLE_TITLE_MAX,
        label="Or start a new series: its name",
    )
    new_series_inquiry = _notes(
        "The new series' inquiry",
        help_text="The question the labs in the series investigate together.",
    )
    prebrief_goal = _notes("Instructional goal (pre-brief)")
    prebrief_expectations = _notes("Expectations for visitors")
    prebrief_prompts = _notes("Look-for prompts")
    prebrief_at = SchoolDateTimeField(
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        label="Pre-brief (before the lesson)",
        help_text="Booked with the host and visitors when the lab is scheduled.",
    )
    follow_up_days = forms.IntegerField(
        min_value=1,
        max_value=FOLLOW_UP_DAYS_MAX,
        initial=14,
        label="Goal follow-up after (days)",
    )
    initiative = OneLineField(
        required=False, max_length=200, label="School-wide initiative"
    )
    grouping = forms.ChoiceField(
        choices=Cycle.Grouping.choices, required=False, label="Mix groups by"
    )
    group_size = forms.IntegerField(
        min_value=2, max_value=12, required=False, initial=4, label="Group size"
    )
    guiding_students_doing = _notes("What do we hope to see students doing?")
    guiding_subtle_prompts = _notes("What prompts define subtle practices?")
    guiding_expected_artifacts = _notes("What artifacts do we expect?")
    creation_token = creation_token_field()

    def __init__(self, *args, school, kind, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school, self.kind, self.cycle = school, kind, cycle
        self.spec = spec = spec_for(kind)
        wanted = set(COMMON_FIELDS) | set(spec.fields)
        if cycle is not None:
            # An edit carries the version it was drawn from (jel.concurrency).
            wanted.add("version")
            self.initial.setdefault("version", cycle.version)
        else:
            # A new plan carries a one-time token: a double submit is one cycle.
            wanted.add("creation_token")
            if not self.is_bound:
                self.initial.setdefault("creation_token", uuid.uuid4())
        if not spec.observers.asked:
            wanted.discard("observers")
        if not spec.observers.cover:
            wanted.discard("arrange_cover")
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        f = self.fields
        f["facilitator"].queryset = selectors.staff_choices(
            school=school, roles=FACILITATORS
        )
        f["facilitator"].label_from_instance = lambda u: u.full_name
        f["team"].queryset = Team.objects.filter(school=school)
        f["look_fors"].queryset = selectors.look_for_library(school=school)
        f["look_fors"].label_from_instance = lambda lf: (
            f"{lf.text} ({lf.get_kind_display().split(' ')[0].lower()})"
        )
        if "problem_of_practice" in f:
            f["problem_of_practice"].queryset = selectors.problems_for(school=school)
            f["problem_of_practice"].required = spec.problem.required
            f["problem_of_practice"].label = "Problem of practice"
            f["problem_of_practice"].label_from_instance = lambda p: (
                p.question
                if p.passes_all_checks
                else f"{p.question} (draft: {len(p.unchecked())} checks open)"
            )
            # Choosing a problem narrows the look-fors to its own (the page
            # asks again for the list alone, keeping what is ticked).
            f["problem_of_practice"].widget.attrs.update(
                {
                    "data-hx-get": self._own_url(),
                    "data-hx-trigger": "change",
                    "data-hx-target": "#look-fors",
                    "data-hx-select": "#look-fors",
                    "data-hx-swap": "outerHTML",
                    "data-hx-include": "closest form",
                    "aria-controls": "look-fors",
                }
            )
        self._period_choices()
        if "series" in f:
            f["series"].queryset = LabSeries.objects.filter(school=school)
        if "minutes" in f and spec.minutes.help_text:
            low, high = spec.minutes.low, spec.minutes.high
            f["minutes"].min_value = low
            f["minutes"].max_value = high
            f["minutes"].help_text = spec.minutes.help_text
            f["minutes"].widget.attrs.update(min=low, max=high)
        self._host_choices()
        if spec.hosts.help_text:
            f["hosts"].help_text = spec.hosts.help_text
        # Choosing a date and period shows who teaches (can host) and who is
        # free then (can observe without cover), before anything is saved.
        live = {
            "data-hx-get": reverse_lazy("cycles:availability"),
            "data-hx-trigger": "change",
            "data-hx-target": "#availability",
            "data-hx-swap": "outerHTML",
            "data-hx-include": "[name=visit_date],[name=period],[name=team]",
            # Date then period in quick succession: the newer question replaces
            # the older one, so a late answer cannot overwrite the right one.
            "data-hx-sync": "closest form:replace",
        }
        for name in ("visit_date", "period"):
            f[name].widget.attrs.update(live)
        if "observers" in f:
            f["observers"].queryset = selectors.staff_choices(
                school=school, roles=SCHOOL_STAFF
            )
            f["observers"].label = spec.observers.label
        # Choosing a team puts its members first in the staff lists (the page
        # asks again for the lists alone).
        self._team_first()
        f["team"].widget.attrs.update(
            {
                "data-hx-get": self._own_url(),
                "data-hx-trigger": "change",
                "data-hx-target": "#who-people",
                "data-hx-select": "#who-people",
                "data-hx-swap": "outerHTML",
                "data-hx-include": "closest form",
                "aria-controls": "who-people",
            }
        )
        if spec.visit_whole_lesson and "minutes" in f:
            # A lab is a lesson: left empty, the visit lasts the host's period.
            f["minutes"].required = False
            f["minutes"].initial = None
            f["minutes"].label = "Minutes of the visit"
            f["minutes"].help_text = (
                "Leave empty for the whole lesson: the host's period that day "
                "(from the start time, if you give one)."
            )
        guard_ids(self)

    def _period_choices(self):
        """Period slots of the usual bell schedule, at the chosen date's times."""
        field = self.fields["period"]
        field.queryset = default_class_periods(self.school)
        day = date_from(self, "visit_date")
        field.show_times_on(school=self.school, day=day, date_field="visit_date")
        # A saved visit names its own day's period (a late-start Period 3):
        # the list shows it as its slot.
        chosen = self.initial.get("period")
        chosen_pk = getattr(chosen, "pk", chosen)
        if chosen_pk and not field.queryset.filter(pk=chosen_pk).exists():
            saved = Period.objects.filter(school=self.school, pk=chosen_pk).first()
            slot = schedule.slot_in(list(field.queryset), saved) if saved else None
            self.initial["period"] = slot.pk if slot else None

    def clean(self):
        data = super().clean()
        day, period = data.get("visit_date"), data.get("period")
        if day is not None and period is not None:
            # The slot chosen, at the times of the chosen date's bell schedule.
            info = schedule.day_info(school=self.school, day=day)
            today = schedule.period_on(school=self.school, day=day, period=period)
            if info.is_school_day and today is None:
                self.add_error(
                    "period",
                    f"{day:%A %-d %B} is a {info.day_type} day, which has no "
                    f"{period.name}.",
                )
            elif today is not None:
                data["period"] = today
        return data

    def _host_choices(self):
        """Hosts ranked by rotation, least hosted first.

        Who to suggest depends on who teaches then: the availability panel
        names them once a date and period are chosen (one list, not two).
        """
        field = self.fields["hosts"]
        field.label = self.spec.hosts.label
        candidates = selectors.staff_choices(
            school=self.school, roles=[Role.TEACHER, Role.MENTOR]
        )
        ranked = selectors.host_rotation(school=self.school, candidates=candidates)
        self.host_counts = {user.pk: count for user, count in ranked}
        order = [user.pk for user, _ in ranked]
        field.queryset = candidates
        show_rotation = self.spec.hosts.rotation

        def label(user):
            name = user.full_name or user.email
            if not show_rotation:
                return name
            count = self.host_counts.get(user.pk, 0)
            times = "time" if count == 1 else "times"
            return f"{name} · hosted {count} {times} this year"

        field.label_from_instance = label
        # Keep the rotation order in the checkbox list.
        by_pk = {u.pk: u for u in candidates}
        field.choices = [(pk, label(by_pk[pk])) for pk in order if pk in by_pk]

    def _chosen_team(self):
        """The team the planner has chosen (in the submitted data or the plan)."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("team"))
        else:
            value = self.initial.get("team")
        value = parse_id(getattr(value, "pk", value))
        if value is None:
            return None
        return self.fields["team"].queryset.filter(pk=value).first()

    def _team_first(self):
        """With a team chosen, its members lead each staff list."""
        self.team = self._chosen_team()
        self.team_member_ids = (
            set(self.team.members.values_list("pk", flat=True)) if self.team else set()
        )
        if not self.team_member_ids:
            return
        for name in ("hosts", "observers"):
            if name in self.fields:
                field = self.fields[name]
                choices = list(field.choices)
                field.choices = [c for c in choices if c[0] in self.team_member_ids] + [
                    c for c in choices if c[0] not in self.team_member_ids
                ]

    def people_field(self, name):
        """A staff list split as the template shows it: the team, then everyone."""
        bound = self[name]
        options = list(bound.subwidgets)
        if not self.team_member_ids:
            return PeopleField(bound, options, [], None)
        team = [o for o in options if _pk(o.data["value"]) in self.team_member_ids]
        others = [
            o for o in options if _pk(o.data["value"]) not in self.team_member_ids
        ]
        return PeopleField(bound, team, others, self.team)

    def _chosen_problem_id(self):
        """The problem of practice chosen so far (submitted or planned), or None."""
        if "problem_of_practice" not in self.fields:
            return None
        if self.is_bound:
            value = self.data.get(self.add_prefix("problem_of_practice"))
        else:
            value = self.initial.get("problem_of_practice")
        return parse_id(getattr(value, "pk", value))

    def look_for_choices(self) -> LookForChoices:
        """The look-fors as the template shows them: the chosen problem's first."""
        bound = self["look_fors"]
        options = list(bound.subwidgets)
        problem_id = self._chosen_problem_id()
        if problem_id is None:
            return LookForChoices(bound, options, [])
        queryset = self.fields["look_fors"].queryset
        own = set(queryset.filter(problem_id=problem_id).values_list("pk", flat=True))
        if not own:
            return LookForChoices(bound, options, [])
        mine = [o for o in options if _pk(o.data["value"]) in own]
        others = [o for o in options if _pk(o.data["value"]) not in own]
        problem = (
            self.fields["problem_of_practice"].queryset.filter(pk=problem_id).first()
        )
        return LookForChoices(bound, mine, others, problem)

    def _own_url(self) -> str:
        if self.cycle is not None:
            return reverse("cycles:edit", args=[self.cycle.pk])
        return reverse("cycles:new") + f"?kind={self.kind}"

    def service_kwargs(self) -> dict:
        """The cleaned data as arguments for cycle_create / cycle_update.

        What the planner left empty is filled by the service, as the type says.
        """
        data = dict(self.cleaned_data)
        # The version and the one-time token are the view's to pass on.
        data.pop("version", None)
        data.pop("creation_token", None)
        for name in ("hosts", "observers", "look_fors"):
            data[name] = list(data.get(name) or [])
        if self.cycle is not None:
            data.pop("new_series_title", None)
            data.pop("new_series_inquiry", None)
        return data

    def field_groups(self):
        """Fields in the sections the template shows, skipping absent ones."""
        sections = [
            ("What", ["title", "focus", "problem_of_practice", "initiative"]),
            (
                "Pre-brief",
                [
                    "series",
                    "new_series_title",
                    "new_series_inquiry",
                    "prebrief_goal",
                    "prebrief_expectations",
                    "prebrief_prompts",
                    "prebrief_at",
                    "follow_up_days",
                ],
            ),
            (
                "Guiding questions",
                [
                    "guiding_students_doing",
                    "guiding_subtle_prompts",
                    "guiding_expected_artifacts",
                ],
            ),
            ("Look-fors", ["look_fors"]),
            (
                "When",
                [
                    "visit_date",
                    "period",
                    "start_time",
                    "minutes",
                    "arrange_cover",
                    "window_override_reason",
                    "debrief_at",
                ],
            ),
            (
                "Who",
                ["team", "facilitator", PEOPLE, "grouping", "group_size"],
            ),
        ]
        shown = []
        for heading, names in sections:
            fields = []
            for name in names:
                if name == PEOPLE:
                    fields.append(PeopleBlock(self))
                elif name in self.fields:
                    fields.append(self[name])
            if fields:
                shown.append((heading, fields))
        return shown


class AvailabilityForm(forms.Form):
    visit_date = SchoolDateField()
    period = forms.ModelChoiceField(queryset=Period.objects.none())
    # A team's cycle suggests hosts among its members.
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(school=school)
        self.fields["team"].queryset = Team.objects.filter(school=school)
        guard_ids(self)


class ProblemForm(VersionedFormMixin, forms.Form):
    """A problem of practice; `version` is only sent by the edit page."""

    question = TextField(
        max_length=LINE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="About students: What is the evidence that students ...?",
    )
    theory_of_action = TextField(
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Theory of action",
        help_text="If ..., then ...",
    )
    initiative = OneLineField(
        required=False,
        max_length=200,
        label="School-wide initiative it connects to",
    )
    checks = forms.MultipleChoiceField(
        required=False,
        choices=[(name, label) for name, label, _hint in QUALITY_CHECKS],
        widget=forms.CheckboxSelectMultiple,
        label="Quality checks",
    )

    def checklist(self):
        """(name, label, hint, checked) for each quality check."""
        chosen = set(self["checks"].value() or [])
        return [
            (name, label, hint, name in chosen) for name, label, hint in QUALITY_CHECKS
        ]


class LookForForm(forms.Form):
    text = OneLineField(max_length=LINE_MAX, label="What would you see or hear?")
    kind = forms.ChoiceField(choices=LookFor.Kind.choices)
    # Empty: a look-for of the school's library only.
    problem = IdChoiceField(
        queryset=ProblemOfPractice.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "That problem of practice is not here: open it "
            "from the list of problems and add the look-for there."
        },
    )

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        if school is not None:
            self.fields["problem"].queryset = ProblemOfPractice.objects.filter(
                school=school
            )


class LookForRowsForm(forms.Form):
    """Up to three look-fors written with a new problem of practice."""

    ROWS = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, self.ROWS + 1):
            self.fields[f"look_for_{i}"] = OneLineField(
                required=False, max_length=LINE_MAX, label=f"Look-for {i}"
            )
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                choices=LookFor.Kind.choices, label=f"Kind of look-for {i}"
            )

    def rows(self):
        return [
            (self[f"look_for_{i}"], self[f"kind_{i}"]) for i in range(1, self.ROWS + 1)
        ]

    def look_fors(self):
        return [
            (self.cleaned_data[f"look_for_{i}"], self.cleaned_data[f"kind_{i}"])
            for i in range(1, self.ROWS + 1)
            if self.cleaned_data.get(f"look_for_{i}", "").strip()
        ]


class DebriefForm(VersionedFormMixin, forms.Form):
    held = forms.BooleanField(
        required=False, label="The debrief has been held (record it now)"
    )
    attendees = UserChoice(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, debrief, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = debrief.cycle.kind
        self.protocol = spec_for(self.kind).debrief.fields
        self.initial.setdefault("version", debrief.version)
        for name in self.protocol:
            self.fields[name] = TextField(
                required=False,
                max_length=NOTE_MAX,
                label=DEBRIEF_LABELS[name],
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=getattr(debrief, name),
            )
        self.group_numbers = list(groups)
        steps = {s.group_number: s.next_step for s in debrief.group_steps.all()}
        for number in self.group_numbers:
            self.fields[f"group_{number}"] = TextField(
                required=False,
                max_length=NOTE_MAX,
                label=f"Group {number}: one next step",
                widget=forms.TextInput,
                initial=steps.get(number, ""),
            )
        self.fields["attendees"].queryset = debrief.cycle.participants.distinct()
        self.fields["attendees"].initial = [u.pk for u in debrief.attendees.all()]
        self.fields["held"].initial = debrief.held_at is not None
        guard_ids(self)

    def protocol_fields(self):
        return [self[name] for name in self.protocol]

    def group_fields(self):
        return [self[f"group_{n}"] for n in self.group_numbers]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data.get(name, "") for name in self.protocol}
        kwargs["held"] = data["held"]
        kwargs["attendees"] = list(data.get("attendees") or [])
        kwargs["group_steps"] = {
            n: data.get(f"group_{n}", "") for n in self.group_numbers
        }
        return kwargs


class CycleSettingsForm(VersionedFormMixin, forms.ModelForm):
    """The school's limits; the defaults shown before any save are version 1."""

    class Meta:
        model = CycleSettings
        fields = [
            "swap_days_cap_per_teacher_per_year",
            "swap_rotations_target_per_semester",
            "lab_follow_up_days",
        ]
        labels = {
            "swap_days_cap_per_teacher_per_year": "Most swap days per teacher a year",
            "swap_rotations_target_per_semester": "Swap day rotations per semester "
            "(target)",
            "lab_follow_up_days": "Days from a lab to its goal follow-up",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        # The model's limits, said by the form too (and by the browser).
        for name, field in self.fields.items():
            if name == "version":
                continue
            for validator in CycleSettings._meta.get_field(name).validators:
                attr = {"min_value": "min", "max_value": "max"}.get(validator.code)
                if attr:
                    field.validators.append(validator)
                    field.widget.attrs[attr] = validator.limit_value
