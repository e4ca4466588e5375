"""The ESSA report: what each teacher's learning added up to, and the school's."""

from collections import defaultdict

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from cycles.models import Cycle, CycleParticipant, Debrief, Visit
from dashboards.selectors.figures import Met, Number, Report, Table, Withheld
from dashboards.selectors.follow_through import aware_bounds
from dashboards.selectors.participation import teaching_staff
from dashboards.selectors.scope import Filters, observed_only, observed_pairs
from jel import essa
from observations.models import Evidence, Goal


def learning_figures(
    *, school, user_ids, filters: Filters, today=None
) -> dict[int, essa.LearningFigures]:
    """What each of these people did in the period, in a fixed number of queries."""
    today = today or timezone.localdate()
    user_ids = list(user_ids)
    end = min(filters.end, today)
    visits = Visit.objects.filter(
        school=school, date__gte=filters.start, date__lte=end
    ).exclude(cycle__status=Cycle.Status.CANCELLED)
    theirs = visits.filter(Q(host__in=user_ids) | Q(observers__in=user_ids)).values(
        "pk"
    )
    # Hosted and observed count visits that took place: started, with evidence.
    took_place = observed_only(visits)
    hosted = {
        r["host"]: r
        for r in took_place.filter(host__in=user_ids)
        .values("host")
        .annotate(
            n=Count("pk"), minutes=Sum("minutes"), first=Min("date"), last=Max("date")
        )
        .order_by()
    }
    through = observed_pairs(visits)
    observed = {
        r["user"]: r
        for r in through.filter(user__in=user_ids)
        .values("user")
        .annotate(
            n=Count("visit", distinct=True),
            minutes=Sum("visit__minutes"),
            first=Min("visit__date"),
            last=Max("visit__date"),
        )
        .order_by()
    }
    cycles = dict(
        CycleParticipant.objects.filter(
            user__in=user_ids, cycle__in=visits.values("cycle")
        )
        .values_list("user")
        .annotate(n=Count("cycle", distinct=True))
        .order_by()
    )
    start, stop = aware_bounds(filters)
    debriefs = dict(
        Debrief.attendees.through.objects.filter(
            debrief__school=school,
            debrief__held_at__gte=start,
            debrief__held_at__lt=stop,
            user__in=user_ids,
        )
        .values_list("user")
        .annotate(n=Count("debrief", distinct=True))
        .order_by()
    )
    evidence = dict(
        Evidence.objects.filter(
            observation__visit__in=visits.values("pk"),
            observation__observer__in=user_ids,
        )
        .values_list("observation__observer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    goals = dict(
        Goal.objects.filter(
            owner__in=user_ids, created_at__gte=start, created_at__lt=stop
        )
        .values_list("owner")
        .annotate(n=Count("pk"))
        .order_by()
    )
    shared = Visit.observers.through.objects.filter(visit__in=theirs)
    colleagues = defaultdict(set)
    for observer, host in shared.values_list("user", "visit__host").distinct():
        colleagues[observer].add(host)
        colleagues[host].add(observer)
    for observer, other in shared.values_list("user", "visit__observers").distinct():
        if other is not None and other != observer:
            colleagues[observer].add(other)

    result = {}
    for uid in user_ids:
        h, o = hosted.get(uid, {}), observed.get(uid, {})
        dates = [
            d
            for d in (h.get("first"), h.get("last"), o.get("first"), o.get("last"))
            if d
        ]
        weeks = ((max(dates) - min(dates)).days // 7 + 1) if dates else 0
        result[uid] = essa.LearningFigures(
            cycles_joined=cycles.get(uid, 0),
            weeks_spanned=weeks,
            visit_minutes=(h.get("minutes") or 0) + (o.get("minutes") or 0),
            debriefs_attended=debriefs.get(uid, 0),
            colleagues=len(colleagues.get(uid, set()) - {uid}),
            evidence_entries=evidence.get(uid, 0),
            visits_hosted=h.get("n", 0),
            visits_observed=o.get("n", 0),
            goals_set=goals.get(uid, 0),
        )
    return result


FIGURE_ROWS = [
    ("Cycles joined", "cycles_joined"),
    ("Weeks spanned", "weeks_spanned"),
    ("Hours in visits and debriefs", "hours"),
    ("Colleagues learned with", "colleagues"),
    ("Evidence entries recorded", "evidence_entries"),
    ("Classroom visits (hosted and observed)", "classroom_visits"),
]


def essa_for_teacher(*, school, user, filters: Filters) -> Report:
    """The six ESSA criteria for one teacher's own learning, with figures and rules."""
    figures = learning_figures(school=school, user_ids=[user.pk], filters=filters)[
        user.pk
    ]
    report = Report(title=f"ESSA criteria: {user.full_name}")
    criteria = report.add(
        Table(
            "criteria",
            "ESSA criteria of high-quality professional learning",
            ["Criterion", "Met", "Figures", "Rule"],
        )
    )
    for result in essa.teacher_results(figures):
        criteria.rows.append(
            [
                result["label"],
                Met(result["met"]),
                result["figures"],
                result["rule"],
            ]
        )
    numbers = report.add(Table("figures", "The figures", ["Figure", "Value"]))
    for label, attr in FIGURE_ROWS:
        numbers.rows.append([label, getattr(figures, attr)])
    report.extra = {"results": essa.teacher_results(figures), "person": user}
    return report


def essa_for_school(*, school, filters: Filters) -> Report:
    """The six ESSA criteria for the school: met when enough teachers meet each."""
    threshold = school.privacy_threshold
    staff = teaching_staff(school=school)
    per_teacher = learning_figures(
        school=school, user_ids=[m.user_id for m in staff], filters=filters
    )
    today = timezone.localdate()
    happened = Visit.objects.filter(
        school=school, date__gte=filters.start, date__lte=min(filters.end, today)
    ).exclude(cycle__status=Cycle.Status.CANCELLED)
    school_totals = happened.aggregate(
        visits=Count("pk"),
        cycles=Count("cycle", distinct=True),
        classrooms=Count("host", distinct=True),
        first=Min("date"),
        last=Max("date"),
    )
    suppressed = 0 < school_totals["classrooms"] < threshold
    results = essa.school_results(list(per_teacher.values()))
    report = Report(title="ESSA report")
    criteria = report.add(
        Table(
            "criteria",
            "ESSA criteria of high-quality professional learning, for the school",
            ["Criterion", "Met", "Figures", "Rule"],
            suppressible=True,
        )
    )
    note = Withheld(threshold)
    for result in results:
        criteria.rows.append(
            [
                result["label"],
                note if suppressed else Met(result["met"]),
                note if suppressed else result["figures"],
                result["rule"],
            ]
        )
    first, last = school_totals["first"], school_totals["last"]
    weeks = ((last - first).days // 7 + 1) if first else 0
    hours = round(sum(f.learning_minutes for f in per_teacher.values()) / 60, 1)
    numbers = report.add(
        Table("figures", "The school's figures", ["Figure", "Value"], suppressible=True)
    )
    values = [
        ("Cycles with visits", school_totals["cycles"]),
        ("Weeks spanned", weeks),
        ("Teacher hours in visits and debriefs", Number(hours)),
        (
            "Teachers taking part",
            sum(1 for f in per_teacher.values() if f.classroom_visits),
        ),
        (
            "Evidence entries recorded",
            sum(f.evidence_entries for f in per_teacher.values()),
        ),
        ("Classroom visits", school_totals["visits"]),
        ("Classrooms visited", school_totals["classrooms"]),
    ]
    for label, value in values:
        numbers.rows.append([label, note if suppressed else value])
    report.charts = {
        "criteria": {
            "type": "bar",
            "percent": True,
            "labels": [r["label"] for r in results],
            "datasets": [
                {
                    "label": "Share of teachers meeting the criterion (%)",
                    "data": [None if suppressed else r["share"] for r in results],
                }
            ],
        }
    }
    report.extra = {"results": results, "suppressed": suppressed}
    return report
