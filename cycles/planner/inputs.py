"""What the term planner plans against: the real schedule of the term, read once.

Every fact comes from the schedule's own reads (scheduling.day_facts.load_days:
day types and late starts, who teaches when, observation windows, bookings
already made) and the cycle rules (cycles.rules.Teacher, pair_score); nothing
here re-derives a rule of its own.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from cycles import rules, selectors
from scheduling.day_facts import (
    calendar_reads,
    coverage_interval,
    load_days,
    overlaps,
    people_of,
)


@dataclass(frozen=True)
class Slot:
    """A class period on one school day, inside an observation window."""

    index: int
    date: dt.date
    number: int  # the period number (the same class slot on every day type)
    period_id: int  # the period at that day's times (a late start has its own)
    label: str
    day_type: str
    week: int  # weeks from the plan's first day (0, 1, ...)


@dataclass
class Inputs:
    people: dict  # id -> rules.Teacher: the teachers the plan is for
    names: dict  # id -> name, of everyone who teaches in the term
    slots: list
    teaching: dict  # slot index -> ids teaching then
    free: dict  # slot index -> ids in school, not teaching, not booked then
    busy: set  # (id, slot index) already booked (a visit, a meeting, cover)
    start: dt.date
    end: dt.date
    weeks: int
    cover_cap_week: int | None
    one_visit_a_day: bool
    intentions: dict
    week_starts: list = field(default_factory=list)
    # Weeks with at least one school day: "every week" skips a holiday week.
    school_weeks: set = field(default_factory=set)
    locked: list = field(default_factory=list)  # (observer, host, slot index)

    def slot_at(self, date, number):
        return self._by_when.get((date, number))

    def __post_init__(self):
        self._by_when = {(s.date, s.number): s for s in self.slots}

    @property
    def departments(self) -> dict:
        found = {}
        for teacher in self.people.values():
            found.setdefault(teacher.department or "No department", []).append(teacher)
        return found


def _window_numbers(facts):
    """The period numbers windows open today allow: None for all, empty for none."""
    if facts.window_periods is None:
        return None  # the school sets no windows: any period will do
    if not facts.window_periods:
        return set()
    if any(not numbers for numbers in facts.window_periods):
        return None
    return set().union(*facts.window_periods)


def _booked(facts, period):
    """Ids of people booked (or covering a class) during a period of the day."""
    start, end = facts.aware(period.starts_at), facts.aware(period.ends_at)
    found = set()
    for booking in facts.bookings:
        if overlaps(start, end, booking.starts_at, booking.ends_at):
            found |= people_of(booking)
        for cover in booking.coverages.all():
            if cover.covered_by_id:
                c_start, c_end = coverage_interval(facts, booking, cover)
                if overlaps(start, end, c_start, c_end):
                    found.add(cover.covered_by_id)
    return found


def plan_start(term) -> dt.date:
    """The first day a plan made now can book: tomorrow, or the term's first day."""
    return max(term.starts_on, timezone.localdate() + dt.timedelta(days=1))


def read_inputs(*, school, term, team_ids=(), intentions=None, locked=()) -> Inputs:
    """The term's slots, who teaches and who is free in each, and the people."""
    intentions = dict(intentions or {})
    start, end = plan_start(term), term.ends_on
    slots, teaching, free, busy, school_weeks = [], {}, {}, set(), set()
    names = {}
    monday = start - dt.timedelta(days=start.weekday())
    with calendar_reads():
        days = load_days(school, start, end) if start <= end else {}
        for day in sorted(days):
            facts = days[day]
            if not facts.info.is_school_day:
                continue
            school_weeks.add((day - monday).days // 7)
            for uid, user in facts.teachers.items():
                names[uid] = user.full_name or user.email
            allowed = _window_numbers(facts)
            for number, period in sorted(facts.class_periods.items()):
                if allowed is not None and number not in allowed:
                    continue
                slot = Slot(
                    index=len(slots),
                    date=day,
                    number=number,
                    period_id=period.pk,
                    label=f"{day:%a} {day.day} {day:%b}, {period.name}",
                    day_type=str(facts.info.day_type),
                    week=(day - monday).days // 7,
                )
                slots.append(slot)
                booked = _booked(facts, period)
                teach = {uid for (uid, n) in facts.teaching if n == number} - booked
                teaching[slot.index] = teach
                free[slot.index] = set(facts.teachers) - teach - booked
                busy |= {(uid, slot.index) for uid in booked}
    ids = set(names)
    if team_ids:
        from scheduling.models import Team

        members = set(
            Team.objects.filter(school=school, pk__in=list(team_ids)).values_list(
                "members", flat=True
            )
        )
        ids &= members
    from jel.models import User

    users = User.objects.filter(pk__in=ids).order_by("full_name", "pk")
    people = {t.id: t for t in selectors.teachers_for(users, school=school)}
    # Every week of the term counts ("weekly" means each of them), windows or not.
    weeks = ((end - monday).days // 7 + 1) if start <= end else 0
    cap = intentions.get("cover_cap_week")
    inputs = Inputs(
        people=people,
        names=names,
        slots=slots,
        teaching=teaching,
        free=free,
        busy=busy,
        start=start,
        end=end,
        weeks=weeks,
        cover_cap_week=cap if cap not in ("", None) else None,
        one_visit_a_day=not intentions.get("allow_several_a_day", False),
        intentions=intentions,
        week_starts=[monday + dt.timedelta(days=7 * w) for w in range(weeks)],
        school_weeks=school_weeks,
    )
    for observer_id, host_id, date, number in locked:
        slot = inputs.slot_at(date, number)
        if slot is not None:
            inputs.locked.append((observer_id, host_id, slot.index))
    return inputs


def pair_score(inputs: Inputs, observer_id, host_id) -> int:
    """The cycle rules' pairing preference: new with experienced, cross-content."""
    a, b = inputs.people.get(observer_id), inputs.people.get(host_id)
    if a is None or b is None:
        return 0
    return rules.pair_score(a, b, set())


def requirements(inputs: Inputs) -> dict:
    """What each intention asks of each teacher: observe, host, weekly (new)."""
    observe = int(inputs.intentions.get("observe_at_least") or 0)
    host = int(inputs.intentions.get("host_at_least") or 0)
    weekly = bool(inputs.intentions.get("weekly_for_new"))
    return {
        "observe": dict.fromkeys(inputs.people, observe),
        "host": dict.fromkeys(inputs.people, host),
        "weekly": [pid for pid, t in inputs.people.items() if weekly and t.is_new],
    }
