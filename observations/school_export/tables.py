"""The export's tables and columns: the one list the writer, the README and the
restore read (see the package docstring)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from cycles import models as cyc
from cycles.selectors import cycle_settings_of
from jel.models import Membership, StaffProfile
from jel.permissions import evidence_disclosure, evidence_shuffle_key
from observations import selectors
from observations.models import (
    Goal,
    GoalCheckIn,
    ImportedEvidence,
    Observation,
    Reflection,
    ReflectionReply,
)
from scheduling import models as sch

FORMAT = "jel-school-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
README = "README.md"

KINDS = {
    "id": "integer, this export's id of the row (1, 2, ...)",
    "text": "text",
    "int": "integer",
    "bool": "True or False",
    "date": "date, YYYY-MM-DD",
    "time": "time of day in the school's time zone, HH:MM[:SS]",
    "datetime": "date and time, ISO 8601 with its UTC offset",
    "uuid": "UUID",
    "json": "JSON (in the CSV: the JSON text)",
    "ref": "id of a row in another table",
    "refs": "ids of rows in another table (in the CSV: separated by spaces)",
}


@dataclass(frozen=True)
class Column:
    name: str
    doc: str
    kind: str = "text"
    ref: str | None = None  # the table a ref or refs column points into
    attr: str | None = None  # the model attribute, when not the column's name
    optional: bool = False  # may be empty (refs: may be an empty list)

    @property
    def source(self) -> str:
        return self.attr or self.name

    def describe(self) -> str:
        kind = KINDS[self.kind]
        if self.ref:
            kind = f"{kind}: {self.ref}"
        return kind + (", may be empty" if self.optional else "")


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    model: type | None = None
    # rows(ctx) -> the objects in export order; default: the model's rows by pk.
    rows: Callable | None = None
    prefetch: tuple = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def C(name, doc, kind="text", ref=None, **extra):  # noqa: N802 - a short table DSL
    return Column(name, doc, kind, ref, **extra)


def ID(what):  # noqa: N802
    return Column("id", f"This {what}'s id in the export.", "id")


def PERSON(name, doc, optional=True, attr=None):  # noqa: N802
    return Column(name, doc, "ref", "people", attr=attr, optional=optional)


def CREATED():  # noqa: N802
    return Column("created_at", "When it was made.", "datetime")


def UPDATED():  # noqa: N802
    return Column("updated_at", "When it was last changed.", "datetime")


# --- What each table holds ---------------------------------------------------


@dataclass
class Context:
    """The downloader and the export's own ids, filled in table by table."""

    school: object
    user: object
    role: str
    ids: dict = field(default_factory=dict)  # table -> {pk: export id}
    extra_people: list = field(default_factory=list)  # users without a membership

    def export_id(self, table: str, pk):
        if pk is None:
            return None
        if table == "people":
            return self.person_id(pk)
        return self.ids[table].get(pk)

    def person_id(self, user_id):
        people = self.ids.setdefault("people", {})
        if user_id not in people:
            # Someone the school's rows name who no longer has a membership
            # here: listed in people with no role, so the reference holds.
            people[user_id] = len(people) + 1
            self.extra_people.append(user_id)
        return people[user_id]


def _school_rows(ctx):
    return [ctx.school]


def _people_rows(ctx):
    memberships = list(
        Membership.objects.filter(school=ctx.school)
        .select_related("user")
        .order_by("pk")
    )
    profiles = {p.membership_id: p for p in StaffProfile.objects.all()}
    for m in memberships:
        m.export_profile = profiles.get(m.pk)
    return memberships


def _cycle_settings_rows(ctx):
    found = cycle_settings_of(school=ctx.school)
    return [found] if found.pk else []


def _evidence_rows(ctx):
    """Evidence the downloader may read, each entry only with what they may see."""
    readable = selectors.evidence_visible_to(user=ctx.user, role=ctx.role)
    ordered = list(
        selectors.evidence_in_reading_order(evidence=readable, role=ctx.role)
    )
    shown = selectors.evidence_rows(evidence=ordered, role=ctx.role, reader=ctx.user)
    out = []
    for entry, row in zip(ordered, shown, strict=True):
        out.append(
            {
                "cycle": ctx.export_id("cycles", row["cycle"]),
                "look_for": ctx.export_id("look_fors", row["look_for"]),
                # The observation names the visit and the observer: only with both.
                "observation": ctx.export_id("observations", entry.observation_id)
                if "visit" in row and "observer" in row
                else None,
                "observer": ctx.person_id(entry.observation.observer_id)
                if "observer" in row
                else None,
                "noted_at": row.get("noted_at"),
                "client_id": row.get("client_id"),
                **{name: row[name] for name in EVIDENCE_CONTENT},
            }
        )
    out.extend(_imported_evidence_rows(ctx))
    return out


def _imported_evidence_rows(ctx):
    """Evidence that came in with an earlier export, under the same rule."""
    entries = ImportedEvidence.objects.select_related("cycle", "cycle__school")
    readable, too_few = [], {}
    for entry in entries:
        shown = evidence_disclosure(
            role=ctx.role, reader_id=ctx.user.pk, observer_id=entry.observer_id
        )
        if entry.cycle_id and entry.cycle_id not in too_few:
            too_few[entry.cycle_id] = selectors.too_few_classrooms_for(
                cycle=entry.cycle, role=ctx.role
            )
        mine = entry.observer_id == ctx.user.pk
        if entry.cycle_id and not mine and too_few[entry.cycle_id]:
            continue
        readable.append((entry, shown))
    if not all(shown.chronological for _e, shown in readable):
        readable.sort(
            key=lambda pair: (
                pair[0].cycle_id or 0,
                pair[0].look_for_id or 0,
                evidence_shuffle_key(pair[0].pk),
            )
        )
    rows = []
    for entry, shown in readable:
        rows.append(
            {
                "cycle": ctx.export_id("cycles", entry.cycle_id),
                "look_for": ctx.export_id("look_fors", entry.look_for_id),
                "observation": None,
                "observer": ctx.person_id(entry.observer_id)
                if shown.observer and entry.observer_id
                else None,
                "noted_at": entry.noted_at if shown.time_of_day else None,
                "client_id": entry.client_id if shown.ids else None,
                **{name: getattr(entry, name) for name in EVIDENCE_CONTENT},
            }
        )
    return rows


EVIDENCE_CONTENT = (
    "student_focus",
    "is_tally",
    "text",
    "what",
    "so_what",
    "now_what",
    "bright_spot",
)


def _reflection_rows(ctx):
    return list(selectors.reflections_for(user=ctx.user, role=ctx.role).order_by("pk"))


def _reply_rows(ctx):
    readable = ctx.ids["reflections"]
    return list(
        ReflectionReply.objects.filter(reflection_id__in=list(readable)).order_by("pk")
    )


def _goal_rows(ctx):
    return list(selectors.goals_for(user=ctx.user).order_by("pk"))


def _check_in_rows(ctx):
    return list(
        GoalCheckIn.objects.filter(goal_id__in=list(ctx.ids["goals"])).order_by("pk")
    )


TABLES: tuple[Table, ...] = (
    Table(
        "school",
        "The school itself (one row).",
        (
            ID("school"),
            C("name", "The school's name."),
            C("district", "Its district's name.", attr="district.name"),
            C("time_zone", "IANA time zone; times of day are in it."),
            C(
                "privacy_threshold",
                "Aggregates over fewer classrooms are suppressed.",
                "int",
            ),
            C(
                "grade_levels",
                "Grades taught, e.g. [6, 7, 8]; 0 is kindergarten.",
                "json",
            ),
        ),
        rows=_school_rows,
    ),
    Table(
        "people",
        "Everyone with a role in the school, and anyone the school's rows name "
        "who no longer has one (role empty). No passwords are exported.",
        (
            ID("person"),
            C("email", "Sign-in e-mail address (unique)."),
            C("full_name", "Name."),
            C(
                "role",
                "principal, coach, mentor, teacher or district; empty "
                "when the person has no role here any more.",
                optional=True,
            ),
            C("is_active", "Whether the role is active.", "bool", optional=True),
            C(
                "years_experience",
                "Years of teaching experience.",
                "int",
                optional=True,
            ),
            C("department", "Department or content area.", optional=True),
            C("grade_levels", "Grades taught.", "json", optional=True),
        ),
        rows=_people_rows,
    ),
    Table(
        "cycle_settings",
        "The school's limits and targets for cycles (no row: the defaults).",
        (
            ID("settings row"),
            C(
                "swap_days_cap_per_teacher_per_year",
                "Cap on swap days.",
                "int",
                optional=True,
            ),
            C("swap_rotations_target_per_semester", "Target rotations.", "int"),
            C("lab_follow_up_days", "Days after a lab to follow up a goal.", "int"),
        ),
        model=cyc.CycleSettings,
        rows=_cycle_settings_rows,
    ),
    Table(
        "academic_years",
        "School years.",
        (
            ID("year"),
            C("name", "For example 2026-27."),
            C("starts_on", "First day.", "date"),
            C("ends_on", "Last day.", "date"),
        ),
        model=sch.AcademicYear,
    ),
    Table(
        "terms",
        "Terms of a year.",
        (
            ID("term"),
            C("year", "Its year.", "ref", "academic_years"),
            C("name", "Name."),
            C("kind", "semester, quarter, trimester or year."),
            C("starts_on", "First day.", "date"),
            C("ends_on", "Last day.", "date"),
        ),
        model=sch.Term,
    ),
    Table(
        "day_types",
        "Kinds of school day, each with its own bell schedule.",
        (
            ID("day type"),
            C("name", "For example Regular or Late start."),
            C("is_default", "Used on weekdays without a school-day entry.", "bool"),
        ),
        model=sch.DayType,
    ),
    Table(
        "periods",
        "The bell schedule: blocks of each day type.",
        (
            ID("period"),
            C("day_type", "Its day type.", "ref", "day_types"),
            C("name", "For example Period 3."),
            C(
                "number",
                "Class periods with one number are one slot on every day type.",
                "int",
            ),
            C("starts_at", "Start.", "time"),
            C("ends_at", "End.", "time"),
            C("kind", "class, lunch, advisory, passing or other."),
        ),
        model=sch.Period,
    ),
    Table(
        "school_days",
        "Dates with their own day type, or no school.",
        (
            ID("school day"),
            C("date", "The date.", "date"),
            C("day_type", "Its day type.", "ref", "day_types", optional=True),
            C("is_school_day", "False for a holiday.", "bool"),
            C("note", "For example Thanksgiving.", optional=True),
        ),
        model=sch.SchoolDay,
    ),
    Table(
        "rooms",
        "Rooms.",
        (ID("room"), C("name", "Name.")),
        model=sch.Room,
    ),
    Table(
        "sections",
        "Classes: a course in one period of a term.",
        (
            ID("section"),
            C("course", "For example Math 7."),
            C("code", "The SIS's sourcedId.", optional=True),
            C("room", "Its room.", "ref", "rooms", optional=True),
            C(
                "period",
                "The period it meets in on the default day type.",
                "ref",
                "periods",
            ),
            C("term", "Its term.", "ref", "terms"),
            PERSON("teacher", "Who teaches it."),
            C(
                "meets_on",
                "Day types it meets on; empty: every day.",
                "refs",
                "day_types",
                optional=True,
            ),
            C("grade_level", "Grade.", "int", optional=True),
        ),
        model=sch.Section,
        prefetch=("meets_on",),
    ),
    Table(
        "teams",
        "Grade-level, department and PLC teams and their collaboration time.",
        (
            ID("team"),
            C("name", "Name."),
            C("kind", "grade, department or plc."),
            C("members", "Its members.", "refs", "people", optional=True),
            C("plc_day_of_week", "0 Monday ... 4 Friday.", "int", optional=True),
            C(
                "plc_period",
                "The period the PLC meets in.",
                "ref",
                "periods",
                optional=True,
            ),
            C(
                "plc_starts_at",
                "When it meets outside a period.",
                "time",
                optional=True,
            ),
            C("plc_ends_at", "Its end.", "time", optional=True),
        ),
        model=sch.Team,
        prefetch=("members",),
    ),
    Table(
        "observation_windows",
        "Dates (and periods) set aside for visits.",
        (
            ID("window"),
            C("name", "Name."),
            C("term", "Its term.", "ref", "terms", optional=True),
            C("starts_on", "First day.", "date"),
            C("ends_on", "Last day.", "date"),
            C(
                "periods",
                "Its periods; empty: every period.",
                "refs",
                "periods",
                optional=True,
            ),
        ),
        model=sch.ObservationWindow,
        prefetch=("periods",),
    ),
    Table(
        "bookings",
        "Visits, pre-briefs, debriefs and meetings in the schedule.",
        (
            ID("booking"),
            C("kind", "visit, prebrief, debrief or meeting."),
            C("title", "Title."),
            C("description", "Description.", optional=True),
            C("date", "Date.", "date"),
            C("period", "Its period.", "ref", "periods", optional=True),
            C("starts_at", "Start.", "datetime"),
            C("ends_at", "End.", "datetime"),
            C("room", "Room.", "ref", "rooms", optional=True),
            PERSON("host", "The host teacher."),
            C("status", "scheduled or cancelled."),
            C("uid", "iCalendar UID (calendars keep it).", "uuid"),
            C("sequence", "iCalendar SEQUENCE.", "int"),
            PERSON("created_by", "Who booked it."),
            C("window_override_reason", "Why outside a window.", optional=True),
            CREATED(),
            UPDATED(),
        ),
        model=sch.Booking,
    ),
    Table(
        "booking_people",
        "Who takes part in a booking.",
        (
            ID("row"),
            C("booking", "The booking.", "ref", "bookings"),
            PERSON("user", "The person.", optional=False),
            C("role", "host, observer, facilitator or attendee."),
        ),
        model=sch.BookingPerson,
    ),
    Table(
        "coverages",
        "Who covers an observer's class during a booking.",
        (
            ID("coverage"),
            C("booking", "The booking.", "ref", "bookings"),
            PERSON("observer", "Whose class is covered.", optional=False),
            C("section", "The class.", "ref", "sections", optional=True),
            PERSON("covered_by", "The colleague covering; empty: a substitute."),
            C("needs_substitute", "A substitute is needed.", "bool"),
            C("substitute_reason", "Why.", optional=True),
            CREATED(),
        ),
        model=sch.Coverage,
    ),
    Table(
        "cover_releases",
        "Colleagues no longer covering a class at a booking.",
        (
            ID("release"),
            C("booking", "The booking.", "ref", "bookings"),
            PERSON("observer", "Whose class.", optional=False),
            PERSON("released", "Who no longer covers it.", optional=False),
            C("section", "The class.", "ref", "sections", optional=True),
            C("released_at", "When.", "datetime"),
        ),
        model=sch.CoverRelease,
    ),
    Table(
        "problems_of_practice",
        "Questions about the instructional core, with the five quality checks.",
        (
            ID("problem"),
            C("question", "The question."),
            C("theory_of_action", "If ..., then ...", optional=True),
            C("initiative", "The initiative it connects to.", optional=True),
            *(C(name, label, "bool") for name, label, _hint in cyc.QUALITY_CHECKS),
            C("archived_at", "When archived.", "datetime", optional=True),
            PERSON("created_by", "Who wrote it."),
            CREATED(),
            UPDATED(),
        ),
        model=cyc.ProblemOfPractice,
    ),
    Table(
        "problem_versions",
        "The text of a problem of practice as it stood at each saved edit.",
        (
            ID("version"),
            C("problem", "Its problem.", "ref", "problems_of_practice"),
            C("number", "Version number.", "int"),
            C("question", "The question."),
            C("theory_of_action", "Theory of action.", optional=True),
            C("initiative", "Initiative.", optional=True),
            C("passed_all_checks", "Whether it passed all five checks.", "bool"),
            PERSON("created_by", "Who saved it."),
            CREATED(),
        ),
        model=cyc.ProblemOfPracticeVersion,
    ),
    Table(
        "look_fors",
        "What would you see? Observable student behaviours and artifacts.",
        (
            ID("look-for"),
            C(
                "problem",
                "Its problem of practice; empty: library only.",
                "ref",
                "problems_of_practice",
                optional=True,
            ),
            C("text", "The look-for."),
            C("kind", "oral, visual or artifact."),
            C("position", "Order.", "int"),
            C("archived_at", "When archived.", "datetime", optional=True),
            PERSON("created_by", "Who wrote it."),
            CREATED(),
        ),
        model=cyc.LookFor,
    ),
    Table(
        "lab_series",
        "Peer learning labs chained around one inquiry.",
        (
            ID("series"),
            C("title", "Title."),
            C("inquiry", "The inquiry."),
            CREATED(),
        ),
        model=cyc.LabSeries,
    ),
    Table(
        "cycles",
        "Cycles of the five types.",
        (
            ID("cycle"),
            C("kind", "rounds, lab, swap, micro or walk."),
            C("title", "Title."),
            C("focus", "What the group looks at.", optional=True),
            C(
                "problem_of_practice",
                "Its problem.",
                "ref",
                "problems_of_practice",
                optional=True,
            ),
            C(
                "problem_version",
                "The problem's text it used.",
                "ref",
                "problem_versions",
                optional=True,
            ),
            PERSON("facilitator", "Facilitator."),
            C("starts_on", "First day.", "date", optional=True),
            C("ends_on", "Last day.", "date", optional=True),
            C("status", "draft, scheduled, in_progress, debriefed, closed, cancelled."),
            C("series", "Lab series.", "ref", "lab_series", optional=True),
            C("prebrief_goal", "Lab: instructional goal.", optional=True),
            C("prebrief_expectations", "Lab: expectations.", optional=True),
            C("prebrief_prompts", "Lab: look-for prompts.", optional=True),
            C("prebrief_at", "Lab: pre-brief time.", "datetime", optional=True),
            C(
                "prebrief_booking",
                "Lab: pre-brief booking.",
                "ref",
                "bookings",
                optional=True,
            ),
            C("follow_up_days", "Days to the goal follow-up.", "int"),
            C("initiative", "Walk: the initiative.", optional=True),
            C("grouping", "Walk: grade or department, or empty.", optional=True),
            C("group_size", "Walk: group size.", "int", optional=True),
            C("guiding_students_doing", "Walk: guiding question.", optional=True),
            C("guiding_subtle_prompts", "Walk: guiding question.", optional=True),
            C("guiding_expected_artifacts", "Walk: guiding question.", optional=True),
            C("team", "The team it is planned for.", "ref", "teams", optional=True),
            C("arrange_cover", "Arrange cover for observers.", "bool"),
            C("window_override_reason", "Why outside a window.", optional=True),
            PERSON("created_by", "Who planned it."),
            CREATED(),
            UPDATED(),
        ),
        model=cyc.Cycle,
    ),
    Table(
        "cycle_participants",
        "A person's part in a cycle.",
        (
            ID("row"),
            C("cycle", "The cycle.", "ref", "cycles"),
            PERSON("user", "The person.", optional=False),
            C("role", "observer, host or facilitator."),
            C(
                "host_response",
                "Lab hosts: pending, accepted, declined.",
                optional=True,
            ),
            C("responded_at", "When the host answered.", "datetime", optional=True),
            C("group_number", "Walk group.", "int", optional=True),
        ),
        model=cyc.CycleParticipant,
    ),
    Table(
        "cycle_look_fors",
        "The look-fors a cycle uses, in order.",
        (
            ID("row"),
            C("cycle", "The cycle.", "ref", "cycles"),
            C("look_for", "The look-for.", "ref", "look_fors"),
            C("position", "Order.", "int"),
        ),
        model=cyc.CycleLookFor,
    ),
    Table(
        "cycle_transitions",
        "Every change of a cycle's status.",
        (
            ID("transition"),
            C("cycle", "The cycle.", "ref", "cycles"),
            C("from_status", "Status before."),
            C("to_status", "Status after."),
            PERSON("by", "Who."),
            C("at", "When.", "datetime"),
            C("note", "Note.", optional=True),
        ),
        model=cyc.CycleTransition,
    ),
    Table(
        "visits",
        "Classroom visits of the cycles (the plan).",
        (
            ID("visit"),
            C("cycle", "The cycle.", "ref", "cycles"),
            PERSON("host", "The host teacher.", optional=False),
            C("observers", "Observers.", "refs", "people", optional=True),
            C("date", "Date.", "date"),
            C("period", "Period.", "ref", "periods", optional=True),
            C("starts_at", "Start.", "datetime", optional=True),
            C("minutes", "Length.", "int"),
            C("room", "Room.", "ref", "rooms", optional=True),
            C("booking", "Its booking.", "ref", "bookings", optional=True),
            CREATED(),
        ),
        model=cyc.Visit,
        prefetch=("observers",),
    ),
    Table(
        "debriefs",
        "Debriefs after the visits, with their protocol.",
        (
            ID("debrief"),
            C("cycle", "The cycle.", "ref", "cycles"),
            C(
                "visit",
                "Micro-observations: the visit it follows.",
                "ref",
                "visits",
                optional=True,
            ),
            C("due_at", "When due.", "datetime", optional=True),
            C("held_at", "When held.", "datetime", optional=True),
            C("attendees", "Who came.", "refs", "people", optional=True),
            C("patterns", "Patterns and trends.", optional=True),
            C("wonderings", "Wonderings.", optional=True),
            C("describe", "Rounds: describe.", optional=True),
            C("analyze", "Rounds: analyze.", optional=True),
            C("predict", "Rounds: predict.", optional=True),
            C("next_level_of_work", "Rounds: next level of work.", optional=True),
            C("reflection", "Facilitated reflection.", optional=True),
            C("next_step", "Micro: next step.", optional=True),
            C("booking", "Its booking.", "ref", "bookings", optional=True),
            CREATED(),
            UPDATED(),
        ),
        model=cyc.Debrief,
        prefetch=("attendees",),
    ),
    Table(
        "walk_next_steps",
        "Each learning-walk group's next step.",
        (
            ID("step"),
            C("debrief", "The debrief.", "ref", "debriefs"),
            C("group_number", "Group.", "int"),
            C("next_step", "The step."),
        ),
        model=cyc.WalkNextStep,
    ),
    Table(
        "observations",
        "Who observed which visit, and when they started and stopped.",
        (
            ID("observation"),
            C("visit", "The visit.", "ref", "visits"),
            PERSON("observer", "The observer.", optional=False),
            C("started_at", "Start.", "datetime", optional=True),
            C("ended_at", "End.", "datetime", optional=True),
            CREATED(),
        ),
        model=Observation,
    ),
    Table(
        "evidence",
        "Evidence the downloader may read, each entry only with what they may "
        "see of it (see 'Evidence and who downloaded this').",
        (
            ID("entry"),
            C("cycle", "The cycle.", "ref", "cycles", optional=True),
            C("look_for", "The look-for.", "ref", "look_fors", optional=True),
            C(
                "observation",
                "The observation (visit and observer); empty "
                "when withheld from the downloader.",
                "ref",
                "observations",
                optional=True,
            ),
            PERSON("observer", "The observer; empty when withheld."),
            C(
                "noted_at",
                "When noted; empty when withheld.",
                "datetime",
                optional=True,
            ),
            C(
                "client_id",
                "The capturing device's id; empty when withheld.",
                "uuid",
                optional=True,
            ),
            C("student_focus", "doing, saying, thinking or empty.", optional=True),
            C("is_tally", "A tap on a look-for.", "bool"),
            C("text", "What was seen or heard.", optional=True),
            C("what", "Lab: what we saw and heard.", optional=True),
            C("so_what", "Lab: why it matters.", optional=True),
            C("now_what", "Lab: for my practice.", optional=True),
            C("bright_spot", "Marked a bright spot.", "bool"),
        ),
        rows=_evidence_rows,
    ),
    Table(
        "reflections",
        "Reflections the downloader may read: their own and those shared with them.",
        (
            ID("reflection"),
            PERSON("author", "Author.", optional=False),
            C("body", "The reflection."),
            C("visibility", "private, cycle_group or coaches."),
            C("cycle", "Its cycle.", "ref", "cycles", optional=True),
            C("visit", "Its visit.", "ref", "visits", optional=True),
            CREATED(),
            UPDATED(),
        ),
        model=Reflection,
        rows=_reflection_rows,
    ),
    Table(
        "reflection_replies",
        "Replies to the reflections above.",
        (
            ID("reply"),
            C("reflection", "The reflection.", "ref", "reflections"),
            PERSON("author", "Author.", optional=False),
            C("body", "The reply."),
            CREATED(),
        ),
        model=ReflectionReply,
        rows=_reply_rows,
    ),
    Table(
        "goals",
        "The downloader's own goals (goals are nobody else's business).",
        (
            ID("goal"),
            PERSON("owner", "Whose goal.", optional=False),
            C("text", "What I will try in my classroom."),
            C(
                "follow_up_on",
                "Follow-up day; empty: no more follow-up.",
                "date",
                optional=True,
            ),
            C("cycle", "Its cycle.", "ref", "cycles", optional=True),
            CREATED(),
        ),
        model=Goal,
        rows=_goal_rows,
    ),
    Table(
        "goal_check_ins",
        "Check-ins on those goals.",
        (
            ID("check-in"),
            C("goal", "The goal.", "ref", "goals"),
            C("tried", "Did I try it?", "bool"),
            C("results_as_anticipated", "yes, partly, no or empty.", optional=True),
            C("why", "Why or why not?", optional=True),
            CREATED(),
        ),
        model=GoalCheckIn,
        rows=_check_in_rows,
    ),
)
TABLE_BY_NAME = {t.name: t for t in TABLES}

NOT_EXPORTED = (
    "passwords and sign-in tokens (people reset their password after a re-import)",
    "reminders, notifications, the e-mail outbox and notification settings "
    "(messages already delivered, about the data above)",
    "calendar feed tokens (secrets)",
    "reminder timings",
    "others' goals, and reflections not shared with the downloader",
    "evidence the downloader may not read, and what they may not see of the rest",
)
