"""Whether a cycle's visits fit, read before anything is saved (the cycle form's
live check), and a layout that fits when they do not.

Reads only: the visits are laid out as planning lays out a block (each host in
turn, PASSING_MINUTES apart) and each is checked with the schedule's own rules
(scheduling.conflict_rules), with the cover the booking would arrange.
"""

import datetime as dt
import json
from dataclasses import dataclass, field, replace

from cycles.kinds import Layout, spec_for
from cycles.services.planning import PASSING_MINUTES, lesson_minutes
from jel.dates import add_minutes
from scheduling import selectors as schedule
from scheduling.booking_request import SUBSTITUTE, BookingRequest
from scheduling.conflict_rules import TEACHING_CODES
from scheduling.day_facts import read_only_checks


@dataclass(frozen=True)
class PlannedVisit:
    host: object
    start: dt.time
    end: dt.time
    conflicts: list
    # {observer: colleague or SUBSTITUTE} when cover is arranged
    cover: dict = field(default_factory=dict)
    # It runs past the end of the chosen period (the block does not fit).
    overruns: bool = False


@dataclass(frozen=True)
class Proposal:
    """A layout that fits, and the form fields that apply it."""

    text: str
    button: str
    fields: dict

    @property
    def fields_json(self) -> str:
        return json.dumps(self.fields)


@dataclass(frozen=True)
class FitCheck:
    ready: bool
    why_not_ready: str = ""
    info: object = None
    period: object = None  # the chosen period at the date's times
    visits: list = field(default_factory=list)
    overrun: str = ""  # why the block does not fit its period
    proposals: list = field(default_factory=list)
    note: str = ""  # what is not checked here

    @property
    def conflict_count(self) -> int:
        return sum(len(v.conflicts) for v in self.visits) + bool(self.overrun)

    @property
    def ok(self) -> bool:
        return self.ready and not self.conflict_count

    @property
    def substitute(self):
        return SUBSTITUTE


def _block_starts(start: dt.time, minutes: int, count: int) -> list[dt.time]:
    return [add_minutes(start, i * (minutes + PASSING_MINUTES)) for i in range(count)]


def _shorter_visits(spec, period, start, count) -> int | None:
    """The longest visit that lets count visits fit from start to period's end."""
    span = (period.ends_at.hour * 60 + period.ends_at.minute) - (
        start.hour * 60 + start.minute
    )
    longest = (span - (count - 1) * PASSING_MINUTES) // count
    longest = min(longest, spec.minutes.high)
    return longest if longest >= spec.minutes.low else None


def _split(check_args, period, start, minutes, hosts):
    """The block over two periods: as many visits as fit in the chosen period,
    the rest from the start of the next class period (if their hosts teach then)."""
    school, day = check_args["school"], check_args["day"]
    periods = schedule.class_periods_on(school=school, day=day)
    later = [p for p in periods if p.starts_at >= period.ends_at]
    if not later:
        return None
    fits = sum(
        1
        for s in _block_starts(start, minutes, len(hosts))
        if add_minutes(s, minutes) <= period.ends_at
    )
    if fits == 0 or fits >= len(hosts):
        return None
    following = later[0]
    rest = hosts[fits:]
    teaching = {
        h.pk
        for h in rest
        if any(
            p.number == following.number
            for p in schedule.teaching_periods(user=h, day=day, school=school)
        )
    }
    if len(teaching) < len(rest):
        return None
    return fits, following, rest


def cycle_fit(**plan) -> FitCheck:
    """The visits a plan would book, each with its conflicts, and fixes that fit."""
    # Each visit and proposal reads the same day: read it once.
    with read_only_checks():
        return _cycle_fit(**plan)


def _own_bookings(cycle) -> frozenset | None:
    if cycle is None:
        return None
    ids = {v.booking_id for v in cycle.visits.all() if v.booking_id}
    ids |= {d.booking_id for d in cycle.debriefs.all() if d.booking_id}
    prebrief = getattr(cycle, "prebrief_booking_id", None)
    if prebrief:
        ids.add(prebrief)
    return frozenset(ids) or None


def _cycle_fit(
    *,
    school,
    kind,
    day,
    period,
    start_time,
    minutes,
    hosts,
    observers,
    facilitator=None,
    arrange_cover=False,
    cycle=None,
) -> FitCheck:
    spec = spec_for(kind)
    # Checking an edit: the cycle's own bookings are what the plan replaces,
    # never a conflict with it.
    own_bookings = _own_bookings(cycle)
    hosts, observers = list(hosts), list(observers)
    if not minutes and spec.visit_whole_lesson and day is not None:
        # Left empty: the visit lasts the host's lesson, as planning books it.
        minutes = lesson_minutes(
            school=school,
            host=hosts[0] if hosts else None,
            day=day,
            period=period,
            start_time=start_time,
        )
    if day is None or (period is None and start_time is None) or not minutes:
        return FitCheck(False, "Pick a date, a period (or a start time) and minutes")
    if not hosts:
        return FitCheck(False, f"Choose {spec.hosts.label.lower()}")
    info = schedule.day_info(school=school, day=day)
    if not info.is_school_day:
        return FitCheck(True, info=info)
    today = schedule.period_on(school=school, day=day, period=period)
    if period is not None and today is None:
        return FitCheck(
            True,
            info=info,
            overrun=f"There is no {period.name} on a {info.day_type} day.",
        )
    start = start_time or today.starts_at
    note = ""
    if spec.layout == Layout.BLOCK:
        starts = _block_starts(start, minutes, len(hosts))
        pairs = list(zip(hosts, starts, strict=True))
        who = observers
    else:
        # Pairs and groups are laid out on saving (who visits whom); the
        # check shows each classroom at the chosen time.
        pairs = [(host, start) for host in hosts]
        who = []
        note = "Who visits which classroom is laid out when the cycle is saved."
    visits = []
    for host, visit_start in pairs:
        request = BookingRequest(
            school=school,
            date=day,
            period=today,
            start_time=visit_start,
            minutes=minutes,
            host=host,
            observers=[o for o in who if o.pk != host.pk],
            facilitator=facilitator if spec.facilitator_at_visits else None,
            exclude_booking_id=own_bookings,
        )
        cover = {}
        if arrange_cover and spec.observers.cover:
            cover = schedule.cover_plan_for(request)
            request = request.but(coverage=cover)
        covered = request.covered_ids
        conflicts = [
            c
            for c in schedule.booking_check(request)
            if not (
                c.code in TEACHING_CODES
                and c.person is not None
                and c.person.pk in covered
            )
            # The block's own overrun is said once, with what fits instead.
            and c.code not in ("too_long", "outside_period")
        ]
        end = add_minutes(visit_start, minutes)
        overruns = today is not None and (
            end > today.ends_at or visit_start < today.starts_at
        )
        visits.append(PlannedVisit(host, visit_start, end, conflicts, cover, overruns))
    check = FitCheck(True, info=info, period=today, visits=visits, note=note)
    if today is None or not visits:
        return check
    last_end = max(v.end for v in visits)
    if start < today.starts_at or start >= today.ends_at:
        return _with(
            check,
            overrun=f"{start:%H:%M} is not in {today.name} "
            f"({today.starts_at:%H:%M}-{today.ends_at:%H:%M}).",
            proposals=[
                Proposal(
                    f"Start when {today.name} starts, at {today.starts_at:%H:%M}.",
                    f"Start at {today.starts_at:%H:%M}",
                    {"start_time": ""},
                )
            ],
        )
    if last_end <= today.ends_at:
        return check
    count = len(visits)
    overrun = (
        f"{count} visits of {minutes} minutes with {PASSING_MINUTES} minutes to "
        f"walk between rooms need until {last_end:%H:%M}, but {today.name} ends at "
        f"{today.ends_at:%H:%M} ({today.minutes} minutes)."
        if count > 1
        else f"A {minutes}-minute visit from {start:%H:%M} runs past the end of "
        f"{today.name} at {today.ends_at:%H:%M}."
    )
    proposals = []
    for begin in dict.fromkeys([start, today.starts_at]):
        shorter = _shorter_visits(spec, today, begin, count)
        if shorter is not None:
            from_start = begin == today.starts_at and begin != start
            proposals.append(
                Proposal(
                    f"{count} visits of {shorter} minutes fit {today.name}"
                    + (f" from its start at {begin:%H:%M}" if from_start else "")
                    + ".",
                    f"Use {shorter}-minute visits",
                    {"minutes": shorter, **({"start_time": ""} if from_start else {})},
                )
            )
            break
    split = _split({"school": school, "day": day}, today, start, minutes, hosts)
    if split is not None:
        fits, following, rest = split
        names = ", ".join(h.full_name for h in rest)
        proposals.append(
            Proposal(
                f"Or split the block over two periods: {fits} visits in {today.name} "
                f"here, and {names} (who teach{'es' if len(rest) == 1 else ''} "
                f"{following.name}) in a second block from "
                f"{following.starts_at:%H:%M}, planned after saving this one.",
                f"Keep the first {fits} classrooms here",
                {"hosts": [h.pk for h in hosts[:fits]]},
            )
        )
    return _with(check, overrun=overrun, proposals=proposals)


def _with(check: FitCheck, **changes) -> FitCheck:
    return replace(check, **changes)
