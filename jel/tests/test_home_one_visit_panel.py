"""Home lists a booked visit once, with its Observe action, and each next step
is a link to where it is done."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from observations.tests.factories import cycle_with_visit
from scheduling.models import Booking, BookingPerson


def _booked_visit(cast):
    visit = cycle_with_visit(
        cast.school, host=cast.outsider, observers=[cast.teacher], title="Rounds"
    )
    start = timezone.now() + datetime.timedelta(hours=2)
    with scopes_disabled():
        booking = Booking.objects.create(
            school=cast.school,
            kind=Booking.Kind.VISIT,
            title="Visit to Olive",
            date=timezone.localdate(),
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=15),
            host=cast.outsider,
        )
        BookingPerson.objects.create(
            school=cast.school, booking=booking, user=cast.teacher, role="observer"
        )
        visit.booking = booking
        visit.save(update_fields=["booking"])
    return visit, booking


def test_a_booked_visit_shows_once_with_observe_and_its_booking(cast, login):
    visit, booking = _booked_visit(cast)
    body = login(cast.teacher).get(reverse("home")).content.decode()
    assert body.count(reverse("observations:capture", args=[visit.pk])) == 1
    assert body.count(reverse("scheduling:booking_detail", args=[booking.pk])) == 1
    assert "Visit to Olive" not in body  # the schedule panel leaves it above
    assert "your visits are in “Your visits this week”" in body
    assert "Cover you give and meetings this week" in body
    assert "When you are invited to a visit it will show here" not in body


def test_each_next_step_is_a_link(cast, login):
    body = login(cast.teacher).get(reverse("home")).content.decode()
    assert f'<a href="{reverse("observations:reflection_create")}">You can' in body
    assert f'<a href="{reverse("scheduling:my_week")}">See your week' in body
