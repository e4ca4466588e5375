"""Each dashboard runs a fixed number of queries, whatever the amount of data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from cycles.models import Cycle
from dashboards.tests import factories as make
from jel.models import Role
from jel.tests.factories import staff
from observations.models import Goal, Reflection

PERIOD = {"start": "2026-09-01", "end": "2026-11-20"}
# Sign-in, session and navigation take about eight; the dashboard the rest.
QUERY_LIMIT = 22


def _more_data(cast, weeks, first_day):
    school = cast.school
    hosts = [staff(school, Role.TEACHER, full_name=f"Q host {n}") for n in range(4)]
    found = make.look_for(school, f"Look-for from {first_day}")
    for kind in (Cycle.Kind.ROUNDS, Cycle.Kind.MICRO, Cycle.Kind.SWAP):
        c = make.cycle(school, kind=kind, look_fors=[found], facilitator=cast.coach)
        for week in range(weeks):
            day = first_day + dt.timedelta(weeks=week)
            for n, host in enumerate(hosts):
                guest = hosts[(n + 1) % len(hosts)]
                v = make.visit(c, host, [guest, cast.teacher], day, seen=[found])
                due = dt.datetime.combine(day, dt.time(20), tzinfo=dt.UTC)
                make.debrief(c, the_visit=v, due_at=due, attendees=[cast.teacher])
    with scopes_disabled():
        for host in hosts:
            Goal.objects.create(school=school, owner=host, text="Try something")
            Reflection.objects.create(school=school, author=host, body="Thinking")


ROUTES = [
    ("coach", "dashboards:trends", ()),
    ("coach", "dashboards:participation", ()),
    ("coach", "dashboards:follow_through", ()),
    ("coach", "dashboards:essa", ()),
    ("coach", "dashboards:essa_teacher", ("teacher",)),
    ("teacher", "dashboards:my_learning", ()),
    ("district", "dashboards:district", ()),
    ("coach", "dashboards:trends_csv", ()),
    ("coach", "dashboards:api_trends", ()),
    ("coach", "dashboards:api_essa", ()),
]


@pytest.mark.parametrize("who,route,args", ROUTES, ids=[r[1] for r in ROUTES])
def test_dashboard_queries_do_not_grow_with_data(
    cast, login, django_assert_max_num_queries, who, route, args
):
    _more_data(cast, weeks=1, first_day=dt.date(2026, 9, 7))
    client = login(getattr(cast, who))
    url = reverse(route, args=[getattr(cast, a).pk for a in args])
    query = {**PERIOD, "kind": "rounds"} if route.endswith("trends") else PERIOD
    client.get(url, query)  # the session settles first
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, query).status_code == 200
    _more_data(cast, weeks=5, first_day=dt.date(2026, 9, 21))
    with django_assert_max_num_queries(QUERY_LIMIT):
        assert client.get(url, query).status_code == 200
    with CaptureQueriesContext(connection) as large:
        client.get(url, query)
    assert len(large) == len(small)
