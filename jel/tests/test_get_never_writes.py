"""A GET never writes: every page and endpoint opened with GET leaves the data as
it was (the session's own row aside: sign-in and the idle timer live there)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jel.tests.factories import TEST_PASSWORD
from jel.tests.test_route_access import CASES

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
SESSION_TABLE = "django_session"

GETS = [case for case in CASES if case.method == "get"]


@pytest.mark.parametrize("case", GETS, ids=lambda case: case.route)
def test_opening_it_writes_nothing(case, cast, client):
    user = getattr(cast, case.allowed)
    assert client.login(email=user.email, password=TEST_PASSWORD)
    url = case.url(cast)  # builds the case's records before we start counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code < 500
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if WRITE.match(q["sql"]) and SESSION_TABLE not in q["sql"]
    ]
    assert writes == [], f"GET {url} wrote: {writes[:3]}"


def test_every_get_route_is_walked():
    assert len(GETS) > 40
