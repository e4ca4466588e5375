"""Role decides 403, relationship decides 404: bookings.

A booking someone is not in (host, observer, attendee or coverer) answers 404 on
its page and its .ics, as another school's does, and is not in their bookings
API. Moving or cancelling a booking is for planners: a teacher gets 403.
"""

import datetime as dt

from django.urls import reverse

from scheduling.tests.access_cases import _booking


def test_outsider_gets_404_for_a_booking_page_and_ics(cast, login):
    booking = _booking(cast)
    client = login(cast.outsider)
    for route in ("scheduling:booking_detail", "scheduling:booking_ics"):
        assert client.get(reverse(route, args=[booking.pk])).status_code == 404


def test_outsider_does_not_find_the_booking_in_the_api(cast, login):
    booking = _booking(cast)
    day = booking.date.isoformat()
    query = {"start": day, "end": (booking.date + dt.timedelta(days=1)).isoformat()}
    mine = login(cast.teacher).get(reverse("scheduling:api_bookings"), query)
    assert booking.pk in [row["id"] for row in mine.json()]
    theirs = login(cast.outsider).get(reverse("scheduling:api_bookings"), query)
    assert theirs.status_code == 200
    assert booking.pk not in [row["id"] for row in theirs.json()]


def test_a_teacher_gets_403_moving_or_cancelling_even_their_own_booking(cast, login):
    booking = _booking(cast)
    for user in (cast.teacher, cast.outsider):
        client = login(user)
        move = reverse("scheduling:booking_move", args=[booking.pk])
        assert client.get(move).status_code == 403
        cancel = reverse("scheduling:booking_cancel", args=[booking.pk])
        assert client.post(cancel).status_code == 403
