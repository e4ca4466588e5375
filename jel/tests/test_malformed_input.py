"""Malformed input never breaks a promise (issue 17, "What must exist" 4).

Every form of every page of the access cases, every POST case, the query
strings of every GET page and every operation of the API schema get generated
malformed input (jel/tests/malformed.py) as the allowed role and as each other
member of the cast, and for every example:

- the answer is never a server error (the traceback's last frames are shown);
- an answer that refuses (4xx, or a form shown again with errors) leaves every
  table of the local apps as it was: no partial write;
- a refused form shows a field error or the error summary; an API 400 is JSON
  that names the fields.

Hypothesis is derandomized (the same examples in CI every run), JEL_FUZZ_EXAMPLES
sets the examples per form, query string and endpoint (10 by default; the whole
test stays within a minute per database on two cores). Each example runs inside
a transaction that is rolled back, so every example starts from the same data.
All broken promises of one route are listed together (route, role, fields and
values, status, last frames), not only the first. Figures: run with -s, or read
test-artifacts/fuzz/figures-*.json.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import path, resolve, reverse
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jel.models import Reminder
from jel.tests import malformed as m
from jel.tests.test_route_access import CASES
from observations.tests.factories import cycle_with_visit, evidence, goal, reflection
from scheduling.tests.factories import ObservationWindowFactory, build_schedule

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("JEL_FUZZ_EXAMPLES", "10"))
TRACE = bool(os.environ.get("JEL_FUZZ_TRACE"))  # every example to trace.txt
FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=EXAMPLES,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)
ROLES = [
    "principal",
    "coach",
    "teacher",
    "outsider",
    "district",
    "other_principal",
    "other_teacher",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "fuzz"
FIGURES = Counter()
ROLES_SEEN = set()
PAGE_CASES = [c for c in CASES if not c.is_api]
# The schema describes the API; it is not an operation of it.
API_CASES = [c for c in CASES if c.is_api and c.route != "api_schema"]
# Pages anyone may open: their forms are attacked signed out.
PUBLIC_FORMS = ["login", "password_reset"]
# Forms every page carries, attacked once on their own route's case.
SKIP_FORMS = {"logout", "switch_school"}
# Address segments that hold a record's id (the `<id:>` converter).
ID_IN_PATH = re.compile(r"/(\d+)(?=/|\.|$)")
PATH_IDS = ["0", "99999999", str(2**63), str(2**64), str(2**63 - 1), "-1", "abc"]


@pytest.fixture(scope="module", autouse=True)
def figures():
    yield FIGURES
    if not FIGURES:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    summary = dict(FIGURES) | {"roles": sorted(ROLES_SEEN)}
    (ARTIFACTS / f"figures-{worker}.json").write_text(json.dumps(summary, indent=1))
    print(
        "\nmalformed input: "
        + ", ".join(f"{k} {v}" for k, v in sorted(FIGURES.items()))
        + f"; roles {len(ROLES_SEEN)}"
    )


@pytest.fixture(autouse=True)
def quiet_errors():
    """The findings name each server error; the log of each one is noise."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.fixture
def world(cast):
    """The cast plus a schedule, a window, a cycle with evidence, a reflection,
    a goal and a notice: pages then render their real forms."""
    with scopes_disabled():
        build_schedule(
            cast.school,
            teaching={cast.teacher: [1, 2, 4], cast.outsider: [2, 3, 5]},
        )
        ObservationWindowFactory(school=cast.school, name="Fall window")
        visit = cycle_with_visit(
            cast.school,
            host=cast.teacher,
            observers=[cast.coach],
            facilitator=cast.coach,
        )
        evidence(visit, cast.coach)
        reflection(cast.teacher, cast.school)
        goal(cast.teacher, cast.school)
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(getattr(cast, role))
        clients[role] = client
    clients["anonymous"] = Client(raise_request_exception=False)
    return cast, clients


class Findings:
    """Broken promises of one route: one line per (promise, route, where it
    broke or which fields), with the shortest example and who met it."""

    def __init__(self):
        self.found: dict[tuple, list] = {}

    def add(self, attempt: m.Attempt, problems):
        if TRACE:
            with open(ARTIFACTS / "trace.txt", "a") as out:
                seconds = getattr(attempt, "seconds", 0.0)
                said = attempt.said()[:300]
                out.write(f"{said} -> {attempt.status} {seconds:.2f}s {problems}\n")
        for promise, detail in problems:
            FIGURES["failures"] += 1
            if promise == "server error":
                where = re.sub(r"\d+", "N", detail.split(" at ")[-1])
                key = (promise, attempt.route, detail.split(":")[0], where)
            else:
                key = (promise, attempt.route, tuple(sorted(attempt.spoilt)), "")
            entry = self.found.setdefault(key, [attempt, promise, detail, Counter()])
            entry[3][attempt.role] += 1
            if len(repr(attempt.spoilt)) < len(repr(entry[0].spoilt)):
                entry[0], entry[2] = attempt, detail

    def report(self, title: str, *, record: bool = True):
        if not self.found:
            return
        lines = [f"{title}: {len(self.found)} broken promise(s)"]
        for attempt, promise, detail, roles in self.found.values():
            met = ", ".join(f"{r} {n}" for r, n in roles.most_common())
            lines.append(
                f"- {promise}: {attempt.said()}\n    -> {detail}\n    (met by {met})"
            )
        if record:
            self._record()
        pytest.fail("\n".join(lines), pytrace=False)

    def _record(self):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(ARTIFACTS / f"failures-{worker}.jsonl", "a") as out:
            for attempt, promise, detail, roles in self.found.values():
                row = {
                    "route": attempt.route,
                    "role": attempt.role,
                    "method": attempt.method,
                    "url": attempt.url[:200],
                    "kind": attempt.kind,
                    "spoilt": {k: m._short(v, 120) for k, v in attempt.spoilt.items()},
                    "promise": promise,
                    "detail": detail,
                    "roles": dict(roles),
                }
                out.write(json.dumps(row) + "\n")


def _send(client, method, url, data=None, *, json_body=None):
    """One request in a transaction rolled back afterwards: (response, before, after).

    The client's cookies are put back too: a request that signs out or
    switches school changes nothing for the next example."""
    cookies = copy.deepcopy(client.cookies)
    started = time.perf_counter()
    with transaction.atomic():
        before = m.snapshot()
        if method == "get":
            response = client.get(url)
        elif json_body is not None:
            response = getattr(client, method)(
                url, data=json_body, content_type="application/json"
            )
        else:
            response = getattr(client, method)(url, data or {})
        try:
            after = m.snapshot()
        except DatabaseError as error:  # the request left the transaction broken
            after = ("broken", str(error))
        transaction.set_rollback(True)
    client.cookies = cookies
    response.seconds = time.perf_counter() - started
    FIGURES["requests"] += 1
    return response, before, after


def _existing(cast, names) -> dict[str, list[str]]:
    """Values the school already has in columns of these names (duplicates)."""
    from django.apps import apps

    found: dict[str, list[str]] = {}
    with scopes_disabled():
        for label in m.LOCAL_APPS:
            for model in apps.get_app_config(label).get_models():
                fields = {f.name: f for f in model._meta.concrete_fields}
                if "school" not in fields:
                    continue
                for name in names:
                    column = fields.get(name)
                    if column is None or column.get_internal_type() not in (
                        "CharField",
                        "TextField",
                        "SlugField",
                    ):
                        continue
                    values = model._base_manager.filter(school=cast.school)
                    values = values.order_by("pk")
                    found.setdefault(name, []).extend(
                        str(v) for v in values.values_list(name, flat=True)[:5] if v
                    )
    return found


def _spoil_path(url: str, value: str) -> str:
    hits = list(ID_IN_PATH.finditer(url.split("?")[0]))
    if not hits:
        return url
    hit = hits[-1]
    return url[: hit.start(1)] + value + url[hit.end(1) :]


def _roles(allowed):
    others = [r for r in ROLES if r != allowed]
    return st.one_of(st.just(allowed), st.just(allowed), st.sampled_from(others))


def _attack_form(world, findings, route, allowed, form_fields, action, base):
    """Hypothesis over one form: spoil fields, post as a drawn role, check."""
    cast, clients = world
    existing = _existing(cast, list(form_fields))
    has_id = bool(ID_IN_PATH.search(action.split("?")[0]))

    # The form as the page renders it, as the allowed role: its status says
    # whether 403/404 is about the person or about the input.
    response, before, after = _send(clients[allowed], "post", action, base)
    attempt = m.Attempt(route, allowed, "post", action, {}, "form")
    findings.add(attempt, m.check_answer(attempt, response, before, after))
    baseline_status = response.status_code
    if TRACE:
        said = m.errors_said(response)
        with open(ARTIFACTS / "trace.txt", "a") as out:
            out.write(f"  baseline {base} -> {baseline_status} {said}\n")

    @FUZZ
    @given(
        spoil=m.spoiled(form_fields, base, existing),
        role=_roles(allowed),
        path_id=st.one_of(st.none(), st.none(), st.none(), st.sampled_from(PATH_IDS))
        if has_id
        else st.none(),
    )
    def attack(spoil, role, path_id):
        body, spoilt = spoil
        assume(sum(len(v) for vs in body.values() for v in vs) < 2_000_000)
        url = action
        if path_id is not None:
            url = _spoil_path(action, path_id)
            spoilt = spoilt | {"<id in the address>": path_id}
        response, before, after = _send(clients[role], "post", url, body)
        FIGURES["examples"] += 1
        ROLES_SEEN.add(role)
        attempt = m.Attempt(route, role, "post", url, spoilt, "form")
        # Another role, or another record's address, may be refused outright:
        # a 403/404 then says who may, not what to fix.
        outright = role != allowed or path_id is not None
        attempt.baseline_status = response.status_code if outright else baseline_status
        findings.add(attempt, m.check_answer(attempt, response, before, after))

    attack()


def _attack_query(world, findings, route, allowed, url, names):
    cast, clients = world
    FIGURES["query-string pages"] += 1
    has_id = bool(ID_IN_PATH.search(url.split("?")[0]))

    @FUZZ
    @given(
        params=st.lists(
            st.tuples(st.sampled_from(names), m.query_values()), min_size=1, max_size=4
        ),
        role=_roles(allowed),
        path_id=st.one_of(st.none(), st.none(), st.sampled_from(PATH_IDS))
        if has_id
        else st.none(),
    )
    def attack(params, role, path_id):
        target = m.with_query(
            _spoil_path(url, path_id) if path_id else url, list(params)
        )
        spoilt = {}
        for name, value in params:
            spoilt.setdefault(name, []).append(value)
        spoilt = {k: v[0] if len(v) == 1 else v for k, v in spoilt.items()}
        if path_id:
            spoilt["<id in the address>"] = path_id
        response, before, after = _send(clients[role], "get", target)
        FIGURES["examples"] += 1
        ROLES_SEEN.add(role)
        attempt = m.Attempt(route, role, "get", target, spoilt, "query")
        findings.add(attempt, m.check_answer(attempt, response, before, after))

    attack()


def _page_forms(world, case, url, findings):
    """GET the page as the allowed role; attack each of its POST forms."""
    cast, clients = world
    response, before, after = _send(clients[case.allowed], "get", url)
    attempt = m.Attempt(case.route, case.allowed, "get", url, {}, "query")
    findings.add(attempt, m.check_answer(attempt, response, before, after))
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    forms = m.parse_forms(response.content.decode(), url)
    today = _today()
    for form in forms:
        if form.method != "post" or not form.action.startswith("/"):
            continue
        if form.route in SKIP_FORMS:
            continue
        base = m.baseline(form, today)
        for name in m.post_names(resolve(form.action.split("?")[0]).func):
            form.fields.setdefault(name, m.Field(name=name, kind="unseen"))
        FIGURES["forms"] += 1
        _attack_form(
            world, findings, form.route, case.allowed, form.fields, form.action, base
        )
    return forms


def _today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.mark.parametrize("case", PAGE_CASES, ids=lambda case: case.route)
def test_page_and_its_forms_refuse_malformed_input_clearly(case, world):
    cast, clients = world
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    findings = Findings()
    url = case.url(cast)
    if case.method == "get":
        forms = _page_forms(world, case, url, findings)
        names = m.query_names(resolve(url.split("?")[0]).func, forms)
        _attack_query(world, findings, case.route, case.allowed, url, names)
    else:
        data = case.data(cast) if case.data else {}
        fields = {k: m.field_from_value(k, v) for k, v in data.items()}
        if not fields:  # a button without fields: send some anyway
            fields = {"x": m.Field(name="x", kind="text")}
        base = {k: list(f.values) for k, f in fields.items() if k != "x"}
        FIGURES["post cases"] += 1
        _attack_form(world, findings, case.route, case.allowed, fields, url, base)
    findings.report(case.route)


@pytest.mark.parametrize("route", PUBLIC_FORMS)
def test_public_forms_refuse_malformed_input_clearly(route, world):
    cast, clients = world
    findings = Findings()
    url = reverse(route)
    response = clients["anonymous"].get(url)
    assert response.status_code == 200
    existing = {"username": [cast.teacher.email], "email": [cast.teacher.email]}
    for form in m.parse_forms(response.content.decode(), url):
        if form.method == "post":
            _attack_public(findings, clients["anonymous"], route, form, existing)
    findings.report(route)


def _attack_public(findings, client, route, form, existing):
    base = m.baseline(form, _today())
    FIGURES["forms"] += 1

    @FUZZ
    @given(spoil=m.spoiled(form.fields, base, existing))
    def attack(spoil):
        body, spoilt = spoil
        assume(sum(len(v) for vs in body.values() for v in vs) < 2_000_000)
        response, before, after = _send(client, "post", form.action, body)
        FIGURES["examples"] += 1
        ROLES_SEEN.add("anonymous")
        attempt = m.Attempt(route, "anonymous", "post", form.action, spoilt)
        findings.add(attempt, m.check_answer(attempt, response, before, after))

    attack()


# --- The API -------------------------------------------------------------------

_SCHEMA = {}


def _schema(client) -> dict:
    if "doc" not in _SCHEMA:
        response = client.get(reverse("api_schema") + "?format=json")
        assert response.status_code == 200, response.status_code
        _SCHEMA["doc"] = json.loads(response.content)
    return _SCHEMA["doc"]


@pytest.mark.parametrize("case", API_CASES, ids=lambda case: case.route)
def test_api_endpoint_refuses_malformed_input_with_field_errors(case, world):
    cast, clients = world
    findings = Findings()
    url = case.url(cast)
    doc = _schema(clients[case.allowed])
    address = url.split("?")[0]
    ops = [op for op in m.operations(doc) if m.path_regex(op.path).match(address)]
    assert ops, f"{address} is not in the API schema"
    today = _today()
    given_data = case.data(cast) if case.data else {}
    for op in ops:
        FIGURES["endpoints"] += 1
        names = list(op.query) + list(op.body) + ["non_field_errors", "detail"]
        if op.method == "get":
            query = list(op.query) or ["page"]
            query_names = list(dict.fromkeys(query + m.GENERAL_QUERY_NAMES[:8]))
            _attack_api(world, findings, case, op, url, query_names, {}, names)
        else:
            base = {k: m.api_plausible(v, today) for k, v in op.body.items()}
            base.update(given_data)
            _attack_api(world, findings, case, op, url, [], base, names)
    findings.report(case.route)


NOT_JSON = ["[]", "null", '"text"', "{", "1", '{"a":' * 50, "{}"]


def _attack_api(world, findings, case, op, url, query_names, base, names):
    cast, clients = world
    existing = _existing(cast, list(op.body))
    body_names = sorted(op.body) or ["unknown"]
    body_specs = op.body or {"unknown": {}}

    @st.composite
    def body(draw):
        data = dict(base)
        chosen = draw(st.lists(st.sampled_from(body_names), min_size=1, max_size=3))
        spoilt = {}
        for name in dict.fromkeys(chosen):
            if draw(st.integers(0, 4)) == 0:
                data.pop(name, None)
                spoilt[name] = "<left out>"
            else:
                value = draw(m.api_value(body_specs[name], existing.get(name, [])))
                data[name] = value
                spoilt[name] = value
        if draw(st.integers(0, 6)) == 0:
            raw = draw(st.sampled_from(NOT_JSON))
            return raw, {"<the body>": raw}
        return json.dumps(data), spoilt

    @FUZZ
    @given(
        request=body()
        if op.method != "get"
        else st.lists(
            st.tuples(st.sampled_from(query_names), m.query_values()),
            min_size=1,
            max_size=4,
        ).map(lambda ps: (ps, dict(ps))),
        role=_roles(case.allowed),
    )
    def attack(request, role):
        payload, spoilt = request
        assume(len(payload) < 2_000_000 if isinstance(payload, str) else True)
        if op.method == "get":
            target = m.with_query(url, list(payload))
            response, before, after = _send(clients[role], "get", target)
        else:
            target = url
            response, before, after = _send(
                clients[role], op.method, target, json_body=payload
            )
        FIGURES["examples"] += 1
        ROLES_SEEN.add(role)
        attempt = m.Attempt(case.route, role, op.method, target, spoilt, "api")
        attempt.names = names
        findings.add(attempt, m.check_answer(attempt, response, before, after))

    attack()


# --- The checker can fail -------------------------------------------------------


def _boom(request):
    int(request.POST.get("n", ""))  # a ValueError for anything not a number
    return HttpResponse("<p>Saved</p>")


def _half_write(request):
    with scopes_disabled():
        Reminder.objects.filter(pk=request.POST.get("pk")).update(subject="Changed")
    return HttpResponse("<form method='post'><p>Try again</p></form>", status=400)


def _silent(request):
    return HttpResponse("<form method='post'><input name='n'></form>")


def _api_vague(request):
    return HttpResponse('{"error": "bad"}', status=400, content_type="application/json")


urlpatterns = [
    path("boom/", _boom, name="boom"),
    path("half/", _half_write, name="half"),
    path("silent/", _silent, name="silent"),
    path("api-vague/", _api_vague, name="api_vague"),
]


@pytest.mark.urls(__name__)
def test_the_checker_catches_a_500_a_partial_write_and_a_silent_form(cast):
    from jel.tests.access_cases import _reminder

    client = Client(raise_request_exception=False)
    client.force_login(cast.teacher)
    reminder = _reminder(cast)
    findings = Findings()
    fields = {"n": m.Field(name="n", kind="number", values=["1"])}

    @FUZZ
    @given(spoil=m.spoiled(fields, {"n": ["1"]}, {}))
    def attack(spoil):
        body, spoilt = spoil
        for url in ("/boom/", "/silent/"):
            response, before, after = _send(client, "post", url, body)
            attempt = m.Attempt(url, "teacher", "post", url, spoilt)
            findings.add(attempt, m.check_answer(attempt, response, before, after))

    attack()
    response, before, after = _send(client, "post", "/half/", {"pk": reminder.pk})
    half = m.Attempt("/half/", "teacher", "post", "/half/", {"pk": reminder.pk})
    findings.add(half, m.check_answer(half, response, before, after))
    response, before, after = _send(client, "post", "/api-vague/", {})
    vague = m.Attempt("/api-vague/", "teacher", "post", "/api-vague/", {}, "api")
    vague.names = ["n"]
    findings.add(vague, m.check_answer(vague, response, before, after))

    caught = {(a.route, promise) for a, promise, _, _ in findings.found.values()}
    assert ("/boom/", "server error") in caught
    assert ("/silent/", "nothing to act on") in caught
    assert ("/half/", "partial write") in caught
    assert ("/api-vague/", "nothing to act on") in caught
    details = " ".join(d for _, _, d, _ in findings.found.values())
    assert "ValueError" in details and "_boom" in details
    assert "jel_reminder" in details
    with pytest.raises(pytest.fail.Exception, match="broken promise"):
        findings.report("self-test", record=False)
