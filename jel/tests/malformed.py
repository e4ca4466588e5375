"""The harness of the malformed-input test (issue 17): forms, strategies, checks.

It finds what to attack from what the product already says about itself, never
from a second route list: the pages of the access cases (every
<app>/tests/*access_cases.py) and the `<form method="post">` they render, the
POST cases' bodies, the GET filters of those pages and the names the views read
from request.GET, and the API's OpenAPI schema. For each it builds a valid-ish
baseline (what the page offers, empty required fields filled in) and a
Hypothesis strategy that spoils one to three fields with values an outside
probe sends: dates in year 1 or 9999, ids past 2**63, "abc" where an id goes,
a megabyte of text, control characters, unknown choices, lists where one value
goes, and names that already exist.

check_answer() states the three promises for one request: never a server
error, never a partial write (an answer that refuses leaves every table of the
local apps as it was), and always something to act on (a refused form shows a
field error or the error summary; an API 400 names the fields in JSON).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import json
import re
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.apps import apps
from django.db import connection
from django.urls import Resolver404, resolve
from hypothesis import strategies as st

LOCAL_APPS = ["jel", "scheduling", "cycles", "observations", "dashboards"]
CSRF = "csrfmiddlewaretoken"

# --- Values an outside probe sends --------------------------------------------

MEGABYTE = "x" * 1_000_000
BAD_DATES = [
    "0001-01-01",
    "1900-01-01",
    "9999-12-31",
    "2027-02-30",
    "abc",
    "2026-13-01",
    "01/12/2026",
    "2026-12-01T09:00",
    "0000-00-00",
]
BAD_TIMES = ["25:00", "09:60", "abc", "-1:00", "9", "23:59:60", "00:00"]
BAD_IDS = [
    "abc",
    "-1",
    "0",
    str(2**63),
    str(2**64),
    str(2**63 - 1),
    "1e5",
    "1.5",
    " 1",
    "1,2",
    "NaN",
    "Infinity",
]
BAD_TEXT = [
    MEGABYTE,
    "line one\nline two",
    "line one\r\nline two\rthree",
    "nul\x00in the middle",
    "bell\x07escape\x1b[31m and\x0bvertical\x0cform feed",
    "\u202eright-to-left override\u200f and mark",
    "emoji 😀🏫👩‍🏫 and \U0001f9ea",
    "\ufeffzero\u200bwidth",
    "<script>alert(1)</script>",
    "'; DROP TABLE jel_school; --",
    "t" * 186,  # fits a 200-character title, not "In 15 minutes: " + title
    "t" * 200,
    "x" * 201,
    "y" * 5_001,
    "z" * 20_001,
]
BAD_CHOICES = ["evil", "ROUNDS", "rounds ", "__all__", "null", "None", "true"]
ODD_SLOTS = ["2027-02-24|abc", "abc|1", "2027-02-24|", "|", "0001-01-01|1"]
EVERYWHERE = ["", " ", "\x00", "abc", "-1", str(2**64), "9999-12-31"]

GENERAL_QUERY_NAMES = [
    "week",
    "month",
    "kind",
    "cycle",
    "page",
    "start",
    "end",
    "date",
    "day",
    "term",
    "year",
    "team",
    "grade",
    "department",
    "teacher",
    "look_for",
    "status",
    "school",
    "next",
    "visit_date",
]


def values_for(kind: str, options: list[str], existing: list[str]):
    """A strategy of malformed values for one field of this kind."""
    pools = [EVERYWHERE, BAD_IDS, BAD_DATES, BAD_TEXT[1:], BAD_CHOICES, ODD_SLOTS]
    if kind in ("date", "datetime-local", "month", "week"):
        pools = [BAD_DATES, BAD_DATES, EVERYWHERE, BAD_IDS]
    elif kind == "time":
        pools = [BAD_TIMES, BAD_TIMES, EVERYWHERE, BAD_IDS]
    elif kind in ("number", "select", "radio", "checkbox", "hidden", "button"):
        pools = [BAD_IDS, BAD_IDS, BAD_CHOICES, EVERYWHERE, BAD_DATES, ODD_SLOTS]
    elif kind in ("text", "textarea", "email", "search", "url", "password"):
        pools = [BAD_TEXT, BAD_TEXT, EVERYWHERE, BAD_IDS, BAD_DATES]
    strategies = [st.sampled_from(pool) for pool in pools]
    if existing:
        strategies.append(st.sampled_from(existing))  # a name that already exists
    if kind in ("text", "textarea"):
        strategies.append(st.just(MEGABYTE))
    strategies += [
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.dates().map(dt.date.isoformat),
    ]
    one = st.one_of(strategies)
    # Lists where one value goes (or several of a select's own options).
    pair = st.lists(
        st.one_of(st.sampled_from(options or ["1"]), one), min_size=2, max_size=3
    )
    return st.one_of(one, one, one, pair)


# --- Forms as the page renders them -------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, date, time, number, select, checkbox, radio, ...
    options: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # what the page sends as is
    required: bool = False
    multiple: bool = False


@dataclass
class Form:
    page: str  # the address of the page it was found on
    action: str  # where it posts (path and query)
    fields: dict[str, Field] = field(default_factory=dict)
    method: str = "post"
    label: str = ""  # its id or its first submit button, to say which

    @property
    def route(self) -> str:
        try:
            return resolve(urlsplit(self.action).path).view_name
        except Resolver404:
            return f"<unresolved {self.action}>"

    def describe(self) -> str:
        return f"form {self.label or '?'} on {self.page} posting to {self.action}"


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.option: dict | None = None
        self.textarea: Field | None = None
        self.text = ""

    def _field(self, name, kind, **extra) -> Field:
        found = self.form.fields.get(name)
        if found is None:
            found = self.form.fields[name] = Field(name=name, kind=kind, **extra)
        return found

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urljoin(self.page, attrs.get("action") or self.page)
            parts = urlsplit(action)
            self.form = Form(
                page=self.page,
                action=parts.path + (f"?{parts.query}" if parts.query else ""),
                method=(attrs.get("method") or "get").lower(),
                label=attrs.get("id") or attrs.get("aria-label") or "",
            )
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and name != CSRF:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit":
                    self._button(name, attrs.get("value", ""))
                return
            one = self._field(name, kind, required="required" in attrs)
            value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio"):
                one.options.append(value)
                one.multiple = one.multiple or kind == "checkbox"
                if "checked" in attrs:
                    one.values.append(value)
            else:
                one.values.append(value)
        elif tag == "button" and name:
            self._button(name, attrs.get("value", ""))
        elif tag == "button" and not self.form.label:
            self.text = ""
        elif tag == "select" and name:
            self.select = self._field(
                name,
                "select",
                required="required" in attrs,
                multiple="multiple" in attrs,
            )
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "selected": "selected" in attrs}
            self.text = ""
        elif tag == "textarea" and name:
            self.textarea = self._field(name, "textarea", required="required" in attrs)
            self.text = ""

    def _button(self, name, value):
        one = self._field(name, "button")
        one.options.append(value)
        if not one.values:
            one.values.append(value)
        if not self.form.label:
            self.form.label = f"button {name}={value}"

    def handle_data(self, data):
        self.text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag == "option" and self.option is not None:
            value = self.option["value"]
            value = self.text.strip() if value is None else value
            self.select.options.append(value)
            if self.option["selected"]:
                self.select.values.append(value)
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea.values = [self.text.lstrip("\n")]
            self.textarea = None
        elif (
            tag == "button"
            and self.form is not None
            and not self.form.label
            and self.text.strip()
        ):
            self.form.label = f"button {self.text.strip()[:40]!r}"


def parse_forms(html: str, page: str) -> list[Form]:
    """Every form of the page, POST and GET, as the browser would send it."""
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


# A value a person would type, so the fields around the spoiled one pass and
# the spoiled one reaches the code behind it.
def plausible(one: Field, today: dt.date) -> list[str]:
    if one.values and any(v != "" for v in one.values):
        return [v for v in one.values if v != ""][: None if one.multiple else 1]
    if one.kind in ("select", "radio", "button"):
        real = [o for o in one.options if o != ""]
        return real[:1]
    if one.kind == "checkbox":
        # A list of boxes (observers, hosts) usually needs one: a different
        # one per list, so hosts and observers do not pick the same person.
        if len(one.options) > 1:
            return [one.options[sum(map(ord, one.name)) % len(one.options)]]
        return []
    return [
        {
            "date": (today + dt.timedelta(days=1)).isoformat(),
            "time": "09:00",
            "datetime-local": f"{today + dt.timedelta(days=1)}T09:00",
            "number": "1",
            "email": "someone@example.org",
            "url": "https://example.org/",
            "hidden": "",
        }.get(one.kind, "Students explain their thinking to a partner")
    ]


def baseline(form: Form, today: dt.date) -> dict[str, list[str]]:
    return {name: plausible(one, today) for name, one in form.fields.items()}


@st.composite
def spoiled(draw, fields: dict[str, Field], base: dict, existing: dict):
    """(body, what was spoiled): the baseline with one to three fields spoiled."""
    names = sorted(fields)
    body = {k: list(v) for k, v in base.items()}
    chosen = draw(
        st.lists(st.sampled_from(names), min_size=1, max_size=min(3, len(names)))
        if names
        else st.just([])
    )
    spoilt = {}
    for name in dict.fromkeys(chosen):
        one = fields[name]
        how = draw(st.sampled_from(["value", "value", "value", "drop"]))
        if how == "drop":
            body.pop(name, None)
            spoilt[name] = "<left out>"
            continue
        value = draw(values_for(one.kind, one.options, existing.get(name, [])))
        body[name] = value if isinstance(value, list) else [value]
        spoilt[name] = value
    return body, spoilt


def field_from_value(name: str, value) -> Field:
    """A POST case's body only says a value: guess the field's kind from it."""
    text = str(value)
    if isinstance(value, bool):
        kind = "checkbox"
    elif isinstance(value, int) or text.isdigit():
        kind = "number"
    elif re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        kind = "date"
    elif re.fullmatch(r"\d\d:\d\d", text):
        kind = "time"
    else:
        kind = "text"
    values = [str(v) for v in value] if isinstance(value, list | tuple) else [text]
    return Field(name=name, kind=kind, values=values, options=values)


# --- Query strings ------------------------------------------------------------

_GET_READ = re.compile(
    r"""(?:GET|query_params)(?:\.get|\.getlist|\.__getitem__)?\s*(?:\(|\[)\s*["']([\w-]+)["']"""
)


def query_names(view_func, html_forms: list[Form]) -> list[str]:
    """The names a page reads from its query string: its GET filters, what its
    view (and its module) reads from request.GET, and the usual suspects."""
    names = []
    for form in html_forms:
        if form.method == "get":
            names += list(form.fields)
    func = getattr(view_func, "view_class", None) or view_func
    func = inspect.unwrap(func)
    for source_of in (func, inspect.getmodule(func)):
        with contextlib.suppress(OSError, TypeError):
            names += _GET_READ.findall(inspect.getsource(source_of))
    names += GENERAL_QUERY_NAMES
    return list(dict.fromkeys(n for n in names if n != CSRF))


_POST_READ = re.compile(
    r"""(?:POST(?:\.get|\.getlist)?\s*(?:\(|\[)\s*["']([\w-]+)["'])"""
    r"""|(?:["']([\w-]+)["']\s+in\s+(?:data|request\.POST))"""
    r"""|(?:data(?:\.get)?\s*(?:\(|\[)\s*["']([\w-]+)["'])"""
)


def post_names(view_func) -> list[str]:
    """Names a view reads from the POST body that its page may not render (a
    `use_slot` button shown only when a slot is offered)."""
    func = inspect.unwrap(getattr(view_func, "view_class", None) or view_func)
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return []
    found = [next(n for n in hit if n) for hit in _POST_READ.findall(source)]
    return list(dict.fromkeys(n for n in found if n != CSRF))


def query_values():
    return st.one_of(
        st.sampled_from(BAD_DATES),
        st.sampled_from(BAD_IDS),
        st.sampled_from(BAD_CHOICES),
        st.sampled_from(EVERYWHERE),
        st.sampled_from(ODD_SLOTS),
        st.sampled_from(BAD_TEXT[1:10]),
        st.text(max_size=20),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.dates().map(dt.date.isoformat),
    )


def with_query(url: str, params: list[tuple[str, str]]) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + params
    return parts.path + ("?" + urlencode(query) if query else "")


# --- The API, from its schema ---------------------------------------------------


@dataclass
class Operation:
    path: str  # the schema's template: /api/v1/cycles/{id}/
    method: str
    query: dict[str, dict]  # name -> schema
    body: dict[str, dict]  # name -> schema
    required: list[str]

    def describe(self) -> str:
        return f"{self.method.upper()} {self.path}"


def deref(schema: dict, spec: dict) -> dict:
    """Follow $ref (and allOf of one) inside the OpenAPI document."""
    seen = 0
    while isinstance(spec, dict) and (
        "$ref" in spec or len(spec.get("allOf", [])) == 1
    ):
        if "allOf" in spec:
            spec = spec["allOf"][0]
            continue
        target = schema
        for part in spec["$ref"].lstrip("#/").split("/"):
            target = target[part]
        spec = target
        seen += 1
        if seen > 20:
            break
    return spec


def operations(schema: dict) -> list[Operation]:
    found = []
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            query = {
                p["name"]: deref(schema, p.get("schema", {}))
                for p in op.get("parameters", [])
                if p.get("in") == "query"
            }
            body, required = {}, []
            content = op.get("requestBody", {}).get("content", {})
            for media in ("application/json", "application/x-www-form-urlencoded"):
                if media in content:
                    spec = deref(schema, content[media].get("schema", {}))
                    body = {
                        k: deref(schema, v)
                        for k, v in spec.get("properties", {}).items()
                        if not v.get("readOnly")
                    }
                    required = spec.get("required", [])
                    break
            found.append(Operation(path, method, query, body, required))
    return found


def path_regex(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$")


def api_value(spec: dict, existing: list):
    """Malformed JSON values for a property of this schema (plus valid-looking)."""
    kind = spec.get("type")
    fmt = spec.get("format", "")
    enum = spec.get("enum") or []
    nasty = [
        st.none(),
        st.booleans(),
        st.just([]),
        st.just({}),
        st.just([1, 2]),
        st.just({"$gt": 1}),
        st.sampled_from(EVERYWHERE + BAD_IDS + BAD_DATES + BAD_CHOICES + ODD_SLOTS),
        st.sampled_from(BAD_TEXT),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=30),
    ]
    if enum:
        nasty.append(st.sampled_from(enum))
    if kind in ("integer", "number"):
        nasty.append(st.sampled_from([0, -1, 2**63, 2**64, 1.5]))
    if fmt in ("date", "date-time"):
        nasty.append(st.sampled_from(BAD_DATES))
    if existing:
        nasty.append(st.sampled_from(existing))
    return st.one_of(nasty)


def api_plausible(spec: dict, today: dt.date):
    kind = spec.get("type")
    fmt = spec.get("format", "")
    if spec.get("enum"):
        return next((v for v in spec["enum"] if v not in ("", None)), None)
    if fmt == "date":
        return (today + dt.timedelta(days=1)).isoformat()
    if fmt == "date-time":
        return f"{today + dt.timedelta(days=1)}T09:00:00"
    if kind == "integer":
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    return "Students explain their thinking"


# --- The database before and after --------------------------------------------


INTEGERS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
TEXTS = {"CharField", "TextField", "EmailField", "SlugField", "URLField"}


def _tables():
    """{table: (pk column, columns, checksum terms)} of every model of the
    local apps, with the join tables of their many-to-many fields."""
    q = connection.ops.quote_name
    found = {}
    for label in LOCAL_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed:
                continue
            columns, terms = set(), []
            for f in meta.concrete_fields:
                columns.add(f.column)
                kind = f.get_internal_type()
                if f.is_relation and f.target_field is not None:
                    kind = f.target_field.get_internal_type()
                col = q(f.column)
                if kind in INTEGERS:
                    terms.append(f"COALESCE({col} % 1000003, 0)")
                elif kind in TEXTS:
                    terms.append(f"COALESCE(LENGTH({col}), 0)")
                elif kind == "BooleanField":
                    terms.append(f"(CASE WHEN {col} THEN 1 ELSE 0 END)")
            found[meta.db_table] = (meta.pk.column, columns, terms)
    return sorted(found.items())


_SNAPSHOT_SQL = None
STAMPS = ("updated_at", "modified_at", "edited_at")


def _parts(table, pk, columns, terms):
    # Table and column names come from the models, quoted: no input here.
    q = connection.ops.quote_name
    t = q(table)
    parts = [f"(SELECT COUNT(*) FROM {t})", f"(SELECT MAX({q(pk)}) FROM {t})"]  # noqa: S608
    for stamp in STAMPS:
        if stamp in columns:
            parts.append(f"(SELECT MAX({q(stamp)}) FROM {t})")  # noqa: S608
    if terms:
        parts.append(f"(SELECT SUM({' + '.join(terms)}) FROM {t})")  # noqa: S608
    return parts


def snapshot() -> tuple:
    """Row counts of every local table, the largest id, the latest updated_at
    and a cheap checksum of its numbers, texts' lengths and flags: one query."""
    global _SNAPSHOT_SQL
    if _SNAPSHOT_SQL is None:
        parts = []
        for table, (pk, columns, terms) in _tables():
            parts += _parts(table, pk, columns, terms)
        _SNAPSHOT_SQL = "SELECT " + ", ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT_SQL)
        return tuple(str(v) for v in cursor.fetchone())


def changed_tables(before: tuple, after: tuple) -> list[str]:
    """Which tables differ between two snapshots (for the message)."""
    names = []
    for table, spec in _tables():
        names += [table] * len(_parts(table, *spec))
    return sorted({n for n, b, a in zip(names, before, after, strict=False) if b != a})


# --- The three promises -------------------------------------------------------

ERROR_MARKS = (
    "error-summary",
    "invalid-feedback",
    "is-invalid",
    "errorlist",
    "alert-danger",
    'role="alert"',
)


def shows_error(html: str) -> bool:
    return any(mark in html for mark in ERROR_MARKS)


def errors_said(response) -> str:
    """The error texts a page shows (to see why a baseline was refused)."""
    html = response.content.decode("utf-8", "replace")
    found = re.findall(
        r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)</',
        html,
        re.S,
    )
    found += re.findall(r'class="alert-link">(.*?)</a>', html, re.S)
    return " | ".join(re.sub(r"\s+", " ", f).strip() for f in found)[:400]


def _where(filename: str) -> str:
    return filename.split("/work/main/")[-1].split("site-packages/")[-1]


def last_frames(response, count: int = 3) -> str:
    """The exception and where it was raised: the last frame, then the last
    frames of our own code (not the libraries')."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return ""
    _type, value, tb = exc_info
    frames = traceback.extract_tb(tb)
    ours = [
        f
        for f in frames
        if "/.venv/" not in f.filename and "/lib/python" not in f.filename
    ]
    shown = [frames[-1]] + [f for f in ours[-count:][::-1] if f is not frames[-1]]
    where = " <- ".join(f"{_where(f.filename)}:{f.lineno} {f.name}" for f in shown)
    return f"{type(value).__name__}: {str(value)[:160]} at {where}"


@dataclass
class Attempt:
    route: str
    role: str
    method: str
    url: str
    spoilt: dict  # field -> value
    kind: str = "form"  # form, query, api, post
    baseline_status: int | None = None
    status: int | None = None

    def said(self) -> str:
        fields = ", ".join(f"{k}={_short(v)}" for k, v in self.spoilt.items())
        fields = fields or "nothing spoiled"
        return (
            f"{self.route} as {self.role}: "
            f"{self.method.upper()} {_short(self.url, 120)} with {fields}"
        )


def _short(value, width: int = 70) -> str:
    text = repr(value)
    if len(text) > width:
        text = f"{text[: width - 20]}...<{len(text)} chars>"
    return text


def check_answer(attempt: Attempt, response, before, after) -> list[tuple[str, str]]:
    """The promises broken by one answer: [(property, detail)]."""
    problems = []
    status = attempt.status = response.status_code
    attempt.seconds = getattr(response, "seconds", 0.0)
    frames = last_frames(response)
    if status >= 500 or frames:
        problems.append(("server error", f"{status} {frames}".strip()))
        return problems
    ctype = response.get("Content-Type", "")
    body = b"" if getattr(response, "streaming", False) else response.content
    is_json = "json" in ctype
    wrote = before != after
    if status in (301, 302, 303, 307, 308):
        return problems  # done (or sent elsewhere to do it)
    if attempt.kind == "api":
        if status >= 400:
            if wrote:
                problems.append(
                    (
                        "partial write",
                        f"{status} but changed {changed_tables(before, after)}",
                    )
                )
            if status == 400:
                try:
                    data = json.loads(body or b"null")
                except ValueError:
                    data = None
                if not isinstance(data, dict | list) or not data:
                    problems.append(
                        ("nothing to act on", f"400 without JSON: {body[:120]!r}")
                    )
                elif isinstance(data, dict):
                    known = set(attempt.spoilt) | {"non_field_errors", "detail"}
                    known |= set(getattr(attempt, "known", ()))
                    if not set(data) & (known | _all_names(attempt)):
                        problems.append(
                            ("nothing to act on", f"400 names no field: {body[:160]!r}")
                        )
        return problems
    refused = status >= 400
    html = body.decode("utf-8", "replace") if not is_json else ""
    errors_shown = shows_error(html) if html else False
    if attempt.method == "get":
        if status >= 400 and wrote:
            problems.append(
                (
                    "partial write",
                    f"{status} but changed {changed_tables(before, after)}",
                )
            )
        if status == 400 and not errors_shown and not is_json:
            problems.append(
                ("nothing to act on", f"400 without a message: {html[:120]!r}")
            )
        return problems
    if (refused or errors_shown) and wrote:
        shown = " with errors shown" if errors_shown else ""
        problems.append(
            (
                "partial write",
                f"{status}{shown} but changed {changed_tables(before, after)}",
            )
        )
    if status in (403, 404, 405) and attempt.baseline_status == status:
        return problems  # this person may not use it at all: not about the input
    if refused and not (errors_shown or (is_json and body.strip())):
        problems.append(
            ("nothing to act on", f"{status} shows no error: {html[:160]!r}")
        )
    elif status == 200 and not wrote and not errors_shown and "<form" in html:
        problems.append(
            (
                "nothing to act on",
                "200 re-rendered the form: nothing saved, no error shown",
            )
        )
    return problems


def _all_names(attempt) -> set:
    return set(getattr(attempt, "names", ()))
