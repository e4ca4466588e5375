"""Pages: a visit's live check, bookings, coverage, week views, feeds, schedule editing.

"Plan a visit" itself is cycles' (it books a one-visit micro-observation);
each booking, week and feed leads its reader to their action
(scheduling.actions).

Role decides 403 (each page names its ability in jel.permissions: planning is
"plan_visits", editing the schedule "edit_schedule"), relationship decides 404:
a booking someone is not in (host, observer, attendee or coverer) answers 404 to
them, the same as another school's booking.
"""

import datetime as dt
import hashlib
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from jel.concurrency import StaleEdit, stale_changes
from jel.dates import week_start
from jel.permissions import ability_required, can, role_required
from jel.validation import EARLIEST_DATE, latest_date, parse_id, parse_school_date
from scheduling import calendar, plan_inputs, selectors, services
from scheduling.actions import action_for
from scheduling.booking_request import BookingRequest
from scheduling.day_facts import read_only_checks
from scheduling.forms import (
    BadQuery,
    BookingMoveForm,
    CoverageAssignForm,
    CoverageEmailForm,
    DayTypeForm,
    ObservationWindowForm,
    PeriodFormSet,
    SchoolDayForm,
    VisitPlanForm,
    default_class_periods,
    parse_week,
    period_times_note,
)
from scheduling.ical import calendar_for
from scheduling.models import (
    Booking,
    CalendarToken,
    Coverage,
    CoverRelease,
    DayType,
    ObservationWindow,
    Period,
    SchoolDay,
)

FEED_PAST_DAYS = 60
DAYS_OFF_PER_PAGE = 20
FEED_FUTURE_DAYS = 400


def _bad_query(request, what: str, back: str):
    """400: a query string's value the page cannot take, said, with a way back."""
    return render(
        request,
        "scheduling/bad_query.html",
        {
            "what": what,
            "earliest": EARLIEST_DATE,
            "latest": latest_date(),
            "back": reverse(back),
            "back_label": BACK_LABELS[back],
        },
        status=400,
    )


BACK_LABELS = {
    "scheduling:my_week": "Show this week",
    "scheduling:school_week": "Show this week",
    "scheduling:coverage_plan": "Show today's coverage",
    "scheduling:school_days": "Show this month",
}


def _day_from_query(request, name: str, back: str):
    """(day, None) from ?name=, today when absent; (None, a 400) when it is not a
    date a school could mean (year 1, 9999, "abc")."""
    try:
        return parse_week(request.GET.get(name), timezone.localdate()), None
    except BadQuery:
        return None, _bad_query(request, f"“{request.GET.get(name)}”", back)


# --- checking a visit (the "Plan a visit" page is cycles') -----------------------


def _visit_request(request, data, coverage) -> BookingRequest:
    """The booking a visit-plan form asks for, with the cover chosen so far."""
    return BookingRequest(
        school=request.school,
        by=request.user,
        kind=Booking.Kind.VISIT,
        title=data.get("title") or f"Visit to {data['host']}",
        date=data["date"],
        period=data["period"],
        minutes=data["minutes"],
        host=data["host"],
        observers=data["observers"],
        coverage=coverage,
        window_override_reason=data.get("window_override_reason") or "",
    )


@require_POST
@ability_required("plan_visits")
def visit_check(request):
    """htmx: the conflicts and coverage options for the form as it stands."""
    form = VisitPlanForm(request.POST, school=request.school)
    feedback = None
    if form.is_valid():
        cleaned = form.cleaned_data
        coverage = plan_inputs.coverage_from_post(
            request.school, request.POST, cleaned["observers"]
        )
        with read_only_checks():
            feedback = selectors.booking_feedback(
                request=_visit_request(request, cleaned, coverage)
            )
    return render(
        request,
        "scheduling/partials/visit_check.html",
        {"form": form, "feedback": feedback, **_unchecked_because(form)},
    )


def _unchecked_because(form) -> dict:
    """Why a form with every field filled in was not checked (a minutes value out
    of range, a host among the observers): said, never 'fill in'."""
    if not form.is_bound or not form.errors:
        return {}
    problems = []
    for name, errors in form.errors.as_data().items():
        label = form[name].label if name in form.fields else ""
        for error in errors:
            if error.code == "required":
                return {}
            text = " ".join(error)
            problems.append(f"{label}: {text}" if label else text)
    return {"problems": problems}


@ability_required("plan_visits")
def period_times(request):
    """JSON: the period choices' labels at a date's times, for a form's period list."""
    day = date_from_query(request.GET.get("date"))
    info = selectors.day_info(school=request.school, day=day) if day else None
    labels = selectors.period_labels_on(
        school=request.school, day=day, periods=default_class_periods(request.school)
    )
    return JsonResponse(
        {
            "labels": {str(pk): label for pk, label in labels.items()},
            "note": period_times_note(info),
        }
    )


def date_from_query(raw):
    # A date no school means (year 1, 9999) has no bell schedule to label.
    return parse_school_date(raw)


# --- one booking ----------------------------------------------------------------


def _visible_booking(request, pk):
    booking = get_object_or_404(selectors.with_details(Booking.objects), pk=pk)
    if not selectors.booking_is_visible_to(
        booking=booking, user=request.user, role=request.membership.role
    ):
        # As another school's: an address never confirms a booking exists.
        raise Http404("No such booking.")
    return booking


@role_required()
def booking_detail(request, pk):
    booking = _visible_booking(request, pk)
    can_plan = can(request, "plan_visits")
    assign_forms = []
    if can_plan and not booking.is_cancelled:
        for cover in booking.coverages.all():
            options = selectors.coverage_suggestions(
                booking=booking, observer=cover.observer
            )
            form = CoverageAssignForm(
                options=options,
                initial={
                    "covered_by": cover.covered_by_id or CoverageAssignForm.SUBSTITUTE
                },
                prefix=f"cover-{cover.pk}",
            )
            assign_forms.append((cover, form))
    user = request.user
    return render(
        request,
        "scheduling/booking_detail.html",
        {
            "booking": booking,
            "can_plan": can_plan,
            "assign_forms": assign_forms,
            # The person's own part, first: observe, host, cover, debrief.
            "action": action_for(booking, user),
            "is_host": booking.host_id == user.pk,
            "my_cover": [
                c for c in booking.coverages.all() if c.covered_by_id == user.pk
            ],
            "visitors": [p for p in booking.people.all() if p.role != "host"],
        },
    )


@ability_required("plan_visits")
def booking_move(request, pk):
    """Move a booking to another day or period; the same rules are checked again."""
    booking = get_object_or_404(selectors.with_details(Booking.objects), pk=pk)
    if booking.is_cancelled:
        messages.error(request, "A cancelled booking cannot be moved.")
        return redirect("scheduling:booking_detail", pk=booking.pk)
    feedback = None
    if request.method == "POST":
        data = request.POST.copy()
        slot_refused = False
        if "use_slot" in data:
            if _slot_is_readable(data["use_slot"]):
                data = plan_inputs.use_slot(request.school, data)
                data["start_time"] = ""
            else:
                slot_refused = True
        form = BookingMoveForm(data, school=request.school)
        if slot_refused:
            form.is_valid()
            form.add_error(None, SLOT_REFUSED)
        elif form.is_valid():
            cleaned = form.cleaned_data
            coverage = {
                c.observer: c.covered_by or services.SUBSTITUTE
                for c in booking.coverages.all()
            }
            observers = [p.user for p in booking.people.all()]
            coverage.update(
                plan_inputs.coverage_from_post(request.school, data, observers)
            )
            move = {
                "date": cleaned["date"],
                "period": cleaned["period"],
                "start_time": cleaned["start_time"],
                "coverage": coverage,
                "window_override_reason": cleaned["window_override_reason"] or None,
            }
            try:
                services.booking_move(booking=booking, by=request.user, **move)
            except services.BookingConflict as refused:
                feedback = selectors.booking_feedback(
                    request=BookingRequest.for_move(booking, **move), refused=refused
                )
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(
                    request,
                    f"{booking.title} is moved; calendars update on their next sync.",
                )
                return redirect("scheduling:booking_detail", pk=booking.pk)
    else:
        period = None
        if booking.period is not None:
            period = (
                default_class_periods(request.school)
                .filter(number=booking.period.number)
                .first()
            )
        form = BookingMoveForm(
            school=request.school,
            initial={
                "date": booking.date,
                "period": period,
                "window_override_reason": booking.window_override_reason,
            },
        )
    return render(
        request,
        "scheduling/booking_move.html",
        {"booking": booking, "form": form, "feedback": feedback},
    )


SLOT_REFUSED = (
    "That suggested time is out of date: choose one of the times listed, "
    "or a date and a period."
)


def _slot_is_readable(value: str) -> bool:
    """A suggested slot is "YYYY-MM-DD|period number"; anything else is refused
    before it reaches a query (a number column does not take "abc")."""
    day, _, number = str(value).partition("|")
    return parse_school_date(day) is not None and parse_id(number) is not None


@require_POST
@ability_required("plan_visits")
def booking_cancel(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    services.booking_cancel(booking=booking, by=request.user)
    messages.success(request, f"{booking.title} is cancelled; calendars will drop it.")
    return redirect("scheduling:booking_detail", pk=booking.pk)


@require_POST
@ability_required("plan_visits")
def coverage_assign(request, pk):
    cover = get_object_or_404(Coverage.objects.select_related("booking"), pk=pk)
    options = selectors.coverage_suggestions(
        booking=cover.booking, observer=cover.observer
    )
    form = CoverageAssignForm(request.POST, options=options, prefix=f"cover-{cover.pk}")
    if not form.is_valid():
        messages.error(request, "Choose a colleague who is free then, or a substitute.")
    else:
        try:
            services.coverage_assign(
                coverage=cover, covered_by=form.chosen(), by=request.user
            )
        except services.BookingConflict as refused:
            messages.error(request, " ".join(c.reason for c in refused.conflicts))
        else:
            who = form.chosen() or "A substitute"
            messages.success(request, f"{who} covers {cover.observer}'s class.")
    return redirect("scheduling:booking_detail", pk=cover.booking_id)


@role_required()
def booking_ics(request, pk):
    booking = _visible_booking(request, pk)
    body = calendar_for(
        [booking], school=request.school, name=booking.title, reader=request.user
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response


# --- week views ----------------------------------------------------------------


def _week_nav(monday):
    return {
        "monday": monday,
        "friday": monday + dt.timedelta(days=4),
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
    }


@role_required()
def my_week(request):
    day, refused = _day_from_query(request, "week", "scheduling:my_week")
    if refused:
        return refused
    monday = week_start(day)
    days = selectors.week_for_user(user=request.user, monday=monday)
    return render(
        request,
        "scheduling/my_week.html",
        {"days": days, "person": request.user, **_week_nav(monday)},
    )


@ability_required("plan_visits")
def school_week(request):
    day, refused = _day_from_query(request, "week", "scheduling:school_week")
    if refused:
        return refused
    monday = week_start(day)
    days = selectors.school_week(monday=monday)
    return render(
        request,
        "scheduling/school_week.html",
        {
            "days": days,
            "counts": selectors.coverage_counts(
                start=monday, end=monday + dt.timedelta(days=4)
            ),
            **_week_nav(monday),
        },
    )


# --- coverage ------------------------------------------------------------------


@ability_required("plan_visits")
def coverage_plan(request):
    day, refused = _day_from_query(request, "date", "scheduling:coverage_plan")
    if refused:
        return refused
    covers = list(selectors.coverage_on(day=day))
    return render(
        request,
        "scheduling/coverage_plan.html",
        {
            "day": day,
            "covers": covers,
            "email_form": CoverageEmailForm(initial={"date": day}),
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
        },
    )


@require_POST
@ability_required("plan_visits")
def coverage_email(request):
    form = CoverageEmailForm(request.POST)
    if not form.is_valid():
        problems = " ".join(
            f"{form[name].label}: {' '.join(errors)}"
            if name != "date"
            else f"The day: {' '.join(errors)}"
            for name, errors in form.errors.items()
        )
        messages.error(request, f"The coverage plan could not be sent. {problems}")
        return redirect("scheduling:coverage_plan")
    day = form.cleaned_data["date"]
    services.coverage_plan_email(
        school=request.school,
        day=day,
        to=form.cleaned_data["to"],
        sender=request.user,
    )
    messages.success(
        request,
        f"The coverage plan for {day:%A %-d %B} is sent to {form.cleaned_data['to']}.",
    )
    return redirect(f"{reverse('scheduling:coverage_plan')}?date={day.isoformat()}")


@ability_required("view_coverage_counts")
def coverage_counts(request):
    start, end = calendar.year_bounds(school=request.school, day=timezone.localdate())
    return render(
        request,
        "scheduling/coverage_counts.html",
        {
            "counts": selectors.coverage_counts(start=start, end=end),
            "start": start,
            "end": end,
        },
    )


# --- calendar feeds --------------------------------------------------------------


# A feed token is URL-safe base64 (models.new_calendar_token); anything else
# (a NUL, which PostgreSQL cannot even compare) is no token.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


@scopes_disabled()
def _live_token(token: str) -> CalendarToken:
    if not TOKEN_SHAPE.fullmatch(token):
        raise Http404("No such calendar.")
    found = (
        CalendarToken.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("school", "user")
        .first()
    )
    if found is None or not found.user.is_active:
        raise Http404("No such calendar.")
    if not found.user.memberships.filter(school=found.school, is_active=True).exists():
        raise Http404("No such calendar.")
    return found


@transaction.non_atomic_requests
def feed(request, token):
    """A person's bookings as an iCalendar feed; the token is the only key."""
    found = _live_token(token)
    today = timezone.localdate(timezone=found.school.tz)
    start = today - dt.timedelta(days=FEED_PAST_DAYS)
    end = today + dt.timedelta(days=FEED_FUTURE_DAYS)
    with scope(school=found.school):
        bookings = selectors.feed_bookings(
            user=found.user, school=found.school, start=start, end=end
        )
        last_modified = _feed_last_modified(found, start=start, end=end)
        body = calendar_for(
            bookings,
            school=found.school,
            name=f"JEL: {found.user.full_name} ({found.school.name})",
            user=found.user,
        )
    # The ETag is the feed's content but its DTSTAMPs (the moment of writing):
    # it changes exactly when an event, a name or a room in it changes.
    etag = quote_etag(hashlib.sha256(_without_stamps(body)).hexdigest()[:32])
    response = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp())
    )
    if response is None:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "private, max-age=300"
    return response


def _feed_last_modified(token, *, start, end) -> dt.datetime:
    """When any booking of the school in the feed's dates last changed.

    The whole school's, not only the person's: a booking they were taken off
    leaves their feed, and that is a change too. Never later than now.
    """
    moments = [
        token.created_at,
        Booking.objects.filter(date__range=(start, end)).aggregate(
            at=Max("updated_at")
        )["at"],
        CoverRelease.objects.filter(booking__date__range=(start, end)).aggregate(
            at=Max("released_at")
        )["at"],
    ]
    return min(max(m for m in moments if m is not None), timezone.now())


def _without_stamps(body: bytes) -> bytes:
    return b"".join(
        line
        for line in body.splitlines(keepends=True)
        if not line.startswith(b"DTSTAMP")
    )


@require_POST
@role_required()
def calendar_token(request):
    action = request.POST.get("action")
    if action not in ("revoke", "regenerate"):
        messages.error(request, "Choose to make a new address or turn the feed off.")
        return redirect("profile")
    if action == "revoke":
        services.calendar_token_revoke(school=request.school, user=request.user)
        messages.success(request, "Your calendar address is turned off.")
    else:
        services.calendar_token_regenerate(school=request.school, user=request.user)
        messages.success(
            request,
            "Your calendar has a new address. The old one stops working; "
            "subscribe again with the new one.",
        )
    return redirect("profile")


# --- editing the schedule ----------------------------------------------------------


@ability_required("edit_schedule")
def setup(request):
    today = timezone.localdate()
    return render(
        request,
        "scheduling/setup.html",
        {
            "day_types": DayType.objects.prefetch_related("periods"),
            "windows": ObservationWindow.objects.select_related(
                "term"
            ).prefetch_related("periods"),
            "days_off": Paginator(
                SchoolDay.objects.filter(is_school_day=False, date__gte=today),
                DAYS_OFF_PER_PAGE,
            ).get_page(request.GET.get("page")),
        },
    )


DAY_TYPE_FIELDS = {"name": "Name", "is_default": "The usual day type"}
WINDOW_FIELDS = {"name": "Name", "starts_on": "Starts on", "ends_on": "Ends on"}


def _periods_now(day_type) -> str:
    return ", ".join(
        f"{p.name} {p.starts_at:%H:%M}-{p.ends_at:%H:%M}"
        for p in Period.objects.filter(day_type=day_type).order_by("starts_at")
    )


def _day_type_stale(form, error, typed_periods: str | None):
    changes = stale_changes(error.current, DAY_TYPE_FIELDS, form.cleaned_data)
    now = _periods_now(error.current)
    if typed_periods is None or now != typed_periods:
        changes.append(("Periods", now or "none"))
    form.refuse_stale(error, changes)


def _typed_periods(periods) -> str | None:
    """The periods as the person typed them, in the form _periods_now says them."""
    if not periods.is_valid():
        return None
    rows = [
        f.cleaned_data
        for f in periods.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    rows.sort(key=lambda r: r["starts_at"])
    return ", ".join(
        f"{r['name']} {r['starts_at']:%H:%M}-{r['ends_at']:%H:%M}" for r in rows
    )


@ability_required("edit_schedule")
def day_type_edit(request, pk=None):
    day_type = get_object_or_404(DayType, pk=pk) if pk else None
    # The heading names the saved day type, not what the form is typing into it.
    saved_name = day_type.name if day_type else ""
    form = DayTypeForm(request.POST or None, instance=day_type, school=request.school)
    periods = PeriodFormSet(
        request.POST or None,
        instance=day_type or DayType(school=request.school),
        queryset=Period.objects.filter(day_type=day_type)
        if day_type
        else Period.objects.none(),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        seen = form.seen_version()
        try:
            if day_type is not None and seen is not None and seen != day_type.version:
                # Drawn before someone's save: refused before the periods are
                # even read (a period they removed is no row to validate).
                raise StaleEdit(DayType.objects.get(pk=day_type.pk))
            if periods.is_valid():
                saved = form.save(commit=False)
                kept = services.day_type_save(
                    school=request.school,
                    day_type=saved,
                    periods=periods.save(commit=False),
                    deleted=periods.deleted_objects,
                    seen_version=seen,
                )
                for period in kept:
                    messages.error(request, f"{period} has sections, so it was kept.")
                messages.success(request, f"The {saved.name} bell schedule is saved.")
                return redirect("scheduling:setup")
        except StaleEdit as error:
            _day_type_stale(form, error, _typed_periods(periods))
            status = 409
        except ValidationError as invalid:
            form.add_error(None, invalid)
    elif request.method == "POST":
        periods.is_valid()  # every error of the page at once
    return render(
        request,
        "scheduling/day_type_form.html",
        {
            "form": form,
            "periods": periods,
            "day_type": day_type,
            "saved_name": saved_name,
        },
        status=status,
    )


@ability_required("edit_schedule")
def window_edit(request, pk=None):
    window = get_object_or_404(ObservationWindow, pk=pk) if pk else None
    saved_name = window.name if window else ""
    form = ObservationWindowForm(
        request.POST or None, instance=window, school=request.school
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.observation_window_save(
                school=request.school,
                window=form.save(commit=False),
                periods=form.cleaned_data["periods"],
                seen_version=form.seen_version(),
            )
        except StaleEdit as error:
            changes = stale_changes(error.current, WINDOW_FIELDS, form.cleaned_data)
            periods_now = list(error.current.periods.all())
            if set(periods_now) != set(form.cleaned_data["periods"]):
                changes.append(
                    (
                        "Periods",
                        ", ".join(p.name for p in periods_now) or "every period",
                    )
                )
            form.refuse_stale(error, changes)
            status = 409
        else:
            messages.success(request, f"{saved.name} is saved.")
            return redirect("scheduling:setup")
    return render(
        request,
        "scheduling/window_form.html",
        {"form": form, "window": window, "saved_name": saved_name},
        status=status,
    )


@require_POST
@ability_required("edit_schedule")
def window_delete(request, pk):
    window = get_object_or_404(ObservationWindow, pk=pk)
    services.observation_window_delete(window=window)
    messages.success(request, f"{window.name} is deleted.")
    return redirect("scheduling:setup")


def _school_day_stale(form, error):
    current = error.current
    now = (
        str(current.day_type)
        if current.is_school_day
        else form.fields["day_type"].choices[0][1]
    )
    typed = form.cleaned_data.get("day_type")
    chosen = form.day_types.get(typed)
    changes = []
    if (chosen is None) != (not current.is_school_day) or (
        chosen is not None and chosen.pk != current.day_type_id
    ):
        changes.append(("Day type", now))
    changes += stale_changes(current, {"note": "Note"}, form.cleaned_data)
    form.refuse_stale(error, changes)


@ability_required("edit_schedule")
def school_days(request):
    here = reverse("scheduling:school_days")
    month, refused = _day_from_query(request, "month", "scheduling:school_days")
    if refused:
        return refused
    editing, refused = (None, None)
    if "date" in request.GET:
        editing, refused = _day_from_query(request, "date", "scheduling:school_days")
        if refused:
            return refused
        month = editing
    month = month.replace(day=1)
    initial = {}
    if editing is not None:
        # Drawn from the date's entry, if it has one: its version goes with it.
        entry = SchoolDay.objects.filter(date=editing).first()
        initial = {"date": editing}
        if entry is not None:
            initial.update(
                day_type=str(entry.day_type_id)
                if entry.is_school_day
                else SchoolDayForm.NO_SCHOOL,
                note=entry.note,
                version=entry.version,
            )
    form = SchoolDayForm(request.POST or None, school=request.school, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            day = services.school_day_set(
                school=request.school,
                **form.school_day(),
                seen_version=form.seen_version(),
            )
        except StaleEdit as error:
            _school_day_stale(form, error)
            month = error.current.date.replace(day=1)
            status = 409
        else:
            messages.success(request, f"{day} is saved.")
            return redirect(f"{here}?month={day.date:%Y-%m-01}")
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    rows = SchoolDay.objects.filter(
        date__gte=month, date__lt=next_month
    ).select_related("day_type")
    return render(
        request,
        "scheduling/school_days.html",
        {
            "form": form,
            "rows": rows,
            "month": month,
            "previous": (month - dt.timedelta(days=1)).replace(day=1),
            "next": next_month,
        },
        status=status,
    )
