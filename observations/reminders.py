"""Reminders observations derives: the prompt to reflect after a visit, goal
follow-ups and the coaches' weekly digest (each filed under an ABOUT_* key).

Each visit of a scheduled or in-progress cycle prompts its host and observers
to reflect in the afternoon of the visit (the school's reflection prompt time,
default 15:30, or when the visit ends if later). Cycles keeps these in step
with the cycle through cycles.registry.register_visit_reminders (registered in
ObservationsConfig.ready()), so the cycle never builds observations' notice.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from cycles.kinds import spec_for
from cycles.models import Visit
from cycles.reminders import visit_end
from jel.models import (
    Membership,
    Reminder,
    ReminderKind,
    ReminderState,
    ReminderTimings,
    Role,
    School,
)
from jel.services import ReminderSpec, reminders_sync, school_time
from observations.digest import digest_body
from observations.models import Goal
from scheduling.selectors import day_infos

# What the reminder is about: "visit-reflection:<visit pk>".
ABOUT_VISIT_REFLECTION = "visit-reflection"
# "goal:<goal pk>": the goal's follow-ups (on its day, and again).
ABOUT_GOAL = "goal"
# "digest:<school pk>:<Monday's date>": one school's weekly digest for coaches.
# The school is in the key: every school's digest falls on the same Monday, and
# a key shared by all schools would let one school's sync cancel another's.
ABOUT_DIGEST = "digest"

DIGEST_DAY = 0  # Monday


def goal_about(goal_pk: int) -> str:
    return f"{ABOUT_GOAL}:{goal_pk}"


def digest_about(school: School, week_start: dt.date) -> str:
    return f"{ABOUT_DIGEST}:{school.pk}:{week_start.isoformat()}"


def _digest_sent_under_old_key(school: School, week_start: dt.date) -> bool:
    # Digests written before the key named the school: that week's is sent.
    return Reminder.objects.filter(
        school=school,
        kind=ReminderKind.WEEKLY_DIGEST,
        about=f"{ABOUT_DIGEST}:{week_start.isoformat()}",
    ).exists()


def reflection_reminders(visit: Visit) -> list[ReminderSpec]:
    """A prompt to reflect, the afternoon of a visit, for its host and observers."""
    if not spec_for(visit.cycle.kind).reflection_reminder:
        return []
    due = max(
        school_time(
            visit.school,
            visit.date,
            ReminderTimings.for_school(visit.school).reflection_prompt_at,
        ),
        visit_end(visit),
    )
    link = reverse("observations:reflection_create") + f"?visit={visit.pk}"
    people = {visit.host, *visit.observers.all()}
    return [
        ReminderSpec(
            kind=ReminderKind.REFLECTION_PROMPT,
            recipient=person,
            due_at=due,
            subject=f"A few minutes to reflect: {visit.cycle.title}",
            body="What did students do, say or make today that you want to remember? "
            "Your reflection is private unless you choose to share it.",
            link=link,
            # A person's visits of one day are one prompt, each visit linked.
            fold=f"reflect:{visit.date.isoformat()}",
        )
        for person in people
    ]


# --- Goal follow-ups ------------------------------------------------------------
# On the goal's follow-up day and, without a check-in, again some days later
# (ReminderTimings), both on school days; a check-in replaces them.


def _next_school_day(school, day: dt.date) -> dt.date:
    """The day itself if school meets then, else the next school day (3 weeks)."""
    infos = day_infos(school=school, start=day, end=day + dt.timedelta(days=21))
    school_days = [d for d, info in infos.items() if info.is_school_day]
    return min(school_days) if school_days else day


def _goal_follow_up_specs(goal: Goal) -> list[ReminderSpec]:
    if goal.follow_up_on is None:
        return []
    # Before the school day starts by default (ReminderTimings, 07:30).
    timings = ReminderTimings.for_school(goal.school)
    first = _next_school_day(goal.school, goal.follow_up_on)
    again = _next_school_day(
        goal.school, first + dt.timedelta(days=timings.follow_up_again_days)
    )
    link = reverse("observations:goal_detail", args=[goal.pk]) + "#checkin-heading"
    return [
        ReminderSpec(
            kind=ReminderKind.GOAL_FOLLOW_UP,
            recipient=goal.owner,
            due_at=school_time(goal.school, day, timings.follow_up_at),
            subject=subject,
            body=(
                f"You planned to try: {goal.text}\n\n"
                "Did you try it? Did you get the results you anticipated? "
                "Why or why not? A two-minute check-in keeps the learning "
                "going."
            ),
            link=link,
        )
        for day, subject in (
            (first, "How did your goal go?"),
            (again, "A reminder: how did your goal go?"),
        )
    ]


def goal_follow_up_sync(goal: Goal) -> dict:
    """The goal's follow-up reminders, in step with its follow-up day."""
    return reminders_sync(
        school=goal.school,
        about=goal_about(goal.pk),
        wanted=_goal_follow_up_specs(goal),
    )


def _goal_follow_ups_rederive(school: School) -> int:
    """Pending goal follow-ups moved to the school's current times; a day whose
    follow-up has already gone out is not reminded a second time."""
    pending = Reminder.objects.filter(
        school=school, kind=ReminderKind.GOAL_FOLLOW_UP, state=ReminderState.PENDING
    ).values_list("about", flat=True)
    prefix = goal_about(0)[:-1]
    goal_ids = {int(about[len(prefix) :]) for about in pending}
    moved = 0
    goals = Goal.objects.filter(school=school, pk__in=goal_ids).select_related(
        "owner", "school"
    )
    for goal in goals:
        about = goal_about(goal.pk)
        delivered = {
            timezone.localtime(due_at, school.tz).date()
            for due_at in Reminder.objects.filter(about=about)
            .exclude(state__in=[ReminderState.PENDING, ReminderState.CANCELLED])
            .values_list("due_at", flat=True)
        }
        wanted = [
            spec
            for spec in _goal_follow_up_specs(goal)
            if timezone.localtime(spec.due_at, school.tz).date() not in delivered
        ]
        moved += reminders_sync(school=school, about=about, wanted=wanted)["created"]
    return moved


# --- The coaches' weekly digest ---------------------------------------------------


def weekly_digest_sync(*, school: School, now: dt.datetime | None = None) -> int:
    """On Monday from the digest time (07:00), this week's digest for each coach."""
    # The sync reads and writes this school's rows only, even for a caller
    # that runs with scopes disabled.
    with scope(school=school):
        now = now or timezone.now()
        local = now.astimezone(school.tz)
        digest_at = ReminderTimings.for_school(school).digest_at
        if local.weekday() != DIGEST_DAY or local.time() < digest_at:
            return 0
        week_start = local.date()
        if _digest_sent_under_old_key(school, week_start):
            return 0
        return _weekly_digest_write(school, week_start, digest_at)


def _weekly_digest_write(school: School, week_start: dt.date, digest_at) -> int:
    due = school_time(school, week_start, digest_at)
    body = digest_body(school=school, week_start=week_start)
    coaches = [
        m.user
        for m in Membership.objects.filter(
            school=school, role=Role.COACH, is_active=True
        ).select_related("user")
    ]
    wanted = [
        ReminderSpec(
            kind=ReminderKind.WEEKLY_DIGEST,
            recipient=coach,
            due_at=due,
            subject=f"This week at {school.name}: your JEL digest",
            body=body,
            link=reverse("dashboards:follow_through"),
        )
        for coach in coaches
    ]
    result = reminders_sync(
        school=school,
        about=digest_about(school, week_start),
        wanted=wanted,
        # A worker that was down at 07:00 still sends Monday's digest that day.
        too_late_after=dt.timedelta(hours=16),
    )
    return result["created"]


# --- Changed reminder times ----------------------------------------------------------


def rederive(school: School) -> int:
    """Move this school's pending goal follow-ups to its current reminder times.

    The digest needs nothing (its row is written only once its time has come).
    """
    with scope(school=school):
        return _goal_follow_ups_rederive(school)


# --- Hand-offs: a shared reflection, its replies, a bright spot ----------------------
# Each asks someone for something (to read and perhaps reply, to add a bright
# spot to the wall) and tells them once, by its unique key; the answer (a
# reply, the host's yes to the wall) tells whoever asked.

# "reflection:<pk>": a reflection shared with colleagues.
ABOUT_REFLECTION = "reflection"
# "reflection-reply:<pk>": one reply, told to the author and earlier repliers.
ABOUT_REPLY = "reflection-reply"
# "bright-spot:<evidence pk>": the host is told; "wall:<evidence pk>": the observer.
ABOUT_BRIGHT_SPOT = "bright-spot"
ABOUT_WALL = "wall"
HAND_OFF_LATE_OK = dt.timedelta(days=30)


def _first_told(about: str, kind: str) -> dict:
    """{recipient id: when first told} of the notices about one thing."""
    told = {}
    for user_id, due_at in (
        Reminder.objects.filter(about=about, kind=kind)
        .exclude(state=ReminderState.CANCELLED)
        .order_by("due_at")
        .values_list("recipient_id", "due_at")
    ):
        told.setdefault(user_id, due_at)
    return told


def _reflection_readers(reflection) -> list:
    """Who the author shared the reflection with (not the author)."""
    from jel.permissions import COACHES
    from observations.models import Reflection

    users = set()
    if reflection.visibility == Reflection.Visibility.COACHES:
        users = {
            m.user
            for m in Membership.objects.filter(
                school=reflection.school, role__in=COACHES, is_active=True
            ).select_related("user")
        }
    elif reflection.visibility == Reflection.Visibility.CYCLE_GROUP:
        cycle = reflection.cycle
        if cycle is not None:
            users = {m.user for m in cycle.memberships.select_related("user")}
            users |= {cycle.facilitator} - {None}
    users.discard(reflection.author)
    return sorted(users, key=lambda user: user.pk)


def reflection_shared_sync(reflection) -> dict:
    """Tell each colleague a reflection is shared with, once; none if private."""
    about = f"{ABOUT_REFLECTION}:{reflection.pk}"
    told = _first_told(about, ReminderKind.REFLECTION_SHARED)
    now = timezone.now()
    where = f" ({reflection.cycle.title})" if reflection.cycle_id else ""
    wanted = [
        ReminderSpec(
            kind=ReminderKind.REFLECTION_SHARED,
            recipient=reader,
            due_at=told.get(reader.pk, now),
            subject=f"{reflection.author} shared a reflection with you{where}",
            body=f"{reflection.author} shared what they noticed. Read it and, if "
            "you like, reply: a question or what it made you think of.",
            link=reverse("observations:reflection_detail", args=[reflection.pk]),
        )
        for reader in _reflection_readers(reflection)
    ]
    return reminders_sync(
        school=reflection.school,
        about=about,
        wanted=wanted,
        too_late_after=HAND_OFF_LATE_OK,
    )


def reflection_reply_notify(reply) -> dict:
    """Tell the reflection's author (and who replied before) of a new reply."""
    reflection = reply.reflection
    earlier = {
        r.author
        for r in reflection.replies.exclude(pk=reply.pk).select_related("author")
    }
    people = ({reflection.author} | earlier) - {reply.author}
    wanted = [
        ReminderSpec(
            kind=ReminderKind.REFLECTION_REPLY,
            recipient=person,
            due_at=reply.created_at,
            subject=f"{reply.author} replied to a reflection",
            body=f"{reply.author} replied to "
            + (
                "your reflection."
                if person == reflection.author
                else "a reflection you replied to."
            ),
            link=reverse("observations:reflection_detail", args=[reflection.pk])
            + "#replies-heading",
        )
        for person in sorted(people, key=lambda user: user.pk)
    ]
    return reminders_sync(
        school=reflection.school,
        about=f"{ABOUT_REPLY}:{reply.pk}",
        wanted=wanted,
        too_late_after=HAND_OFF_LATE_OK,
    )


def bright_spot_sync(evidence) -> None:
    """A bright spot tells its host (after the visit) that they may add it to the
    wall; the host's yes tells the observer who wrote it."""
    visit = evidence.observation.visit
    observer = evidence.observation.observer
    about = f"{ABOUT_BRIGHT_SPOT}:{evidence.pk}"
    told = _first_told(about, ReminderKind.BRIGHT_SPOT)
    ask = []
    if evidence.bright_spot and visit.host_id and visit.host_id != observer.pk:
        ask = [
            ReminderSpec(
                kind=ReminderKind.BRIGHT_SPOT,
                recipient=visit.host,
                due_at=told.get(visit.host_id) or max(timezone.now(), visit_end(visit)),
                subject=f"A bright spot from your room: {visit.cycle.title}",
                body="A colleague who visited noted something that went well. "
                "Read it, and add it to the bright spots wall if you wish: only "
                "you decide.",
                link=reverse("observations:my_room"),
                # A visit's bright spots are one notice.
                fold=f"bright:{visit.pk}",
            )
        ]
    reminders_sync(
        school=evidence.school, about=about, wanted=ask, too_late_after=HAND_OFF_LATE_OK
    )
    answer = []
    if evidence.bright_spot and evidence.host_agreed_to_wall_at:
        answer = [
            ReminderSpec(
                kind=ReminderKind.BRIGHT_SPOT,
                recipient=observer,
                due_at=evidence.host_agreed_to_wall_at,
                subject=f"Your bright spot is on the wall: {visit.cycle.title}",
                body=f"{visit.host} added the bright spot you noted to the wall.",
                link=reverse("observations:wall"),
            )
        ]
    reminders_sync(
        school=evidence.school,
        about=f"{ABOUT_WALL}:{evidence.pk}",
        wanted=answer,
        too_late_after=HAND_OFF_LATE_OK,
    )


def reflection_notices_cancel(reflection) -> None:
    """A deleted reflection: its notices still to come are dropped."""
    abouts = [f"{ABOUT_REFLECTION}:{reflection.pk}"] + [
        f"{ABOUT_REPLY}:{pk}" for pk in reflection.replies.values_list("pk", flat=True)
    ]
    for about in abouts:
        reminders_sync(school=reflection.school, about=about, wanted=[])
