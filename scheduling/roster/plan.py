"""Check a whole export before anything is written, and hold what it says.

Every problem is collected as (file, line, column, reason); the writer runs
only when there are none. Students' rows are read for their references and
then dropped: nothing about a student is kept, not even in this plan.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django_scopes import scopes_disabled

from jel.models import District, Membership, School
from scheduling.models import AcademicYear, DayType, Period, Section, Term
from scheduling.roster import spec
from scheduling.roster.reader import CsvFile, Problem

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
NUMBER = re.compile(r"\d+")


def split_list(value: str) -> list[str]:
    """A OneRoster multi-value field: "a,b" (quoted in the file) -> [a, b]."""
    return [part.strip() for part in value.split(",") if part.strip()]


@dataclass
class Org:
    line: int
    name: str
    type: str
    parent: str
    deleted: bool


@dataclass
class Session:
    line: int
    title: str
    type: str
    starts_on: dt.date
    ends_on: dt.date
    parent: str
    school_year: str
    deleted: bool
    year: str = ""


@dataclass
class Klass:
    line: int
    title: str
    course: str
    code: str
    location: str
    school: str
    term: str
    period: int | None
    grade: int | None
    deleted: bool


@dataclass
class Person:
    line: int
    full_name: str
    email: str
    enabled: bool
    deleted: bool
    # school org sourcedId -> JEL role (the district org stands for all schools)
    roles: dict = field(default_factory=dict)


@dataclass
class Assignment:
    line: int
    klass: str
    school: str
    user: str
    primary: bool
    deleted: bool


@dataclass
class Plan:
    version: str = ""
    modes: dict = field(default_factory=dict)
    district: District | None = None
    district_name: str = ""
    district_sourced_id: str = ""
    scope_school: School | None = None
    orgs: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)
    courses: dict = field(default_factory=dict)
    classes: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    assignments: dict = field(default_factory=dict)
    bells: list = field(default_factory=list)
    days: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def mode(self, kind: str) -> str:
        return self.modes.get(kind, "absent")

    def school_ids(self) -> list[str]:
        """The school orgs this import writes to (one for a school's own upload)."""
        return [
            sid
            for sid, org in self.orgs.items()
            if org.type == "school" and self.in_scope(sid)
        ]

    def in_scope(self, school_sid: str) -> bool:
        if self.scope_school is None:
            return True
        return school_sid == self.scope_school_sid

    scope_school_sid: str = ""


class _Known:
    """sourcedIds already in JEL for this district (what delta files may name)."""

    def __init__(self, district):
        self.orgs, self.sessions, self.classes, self.users = set(), set(), set(), set()
        self.default_periods: dict[str, set] = {}
        self.default_day_type: dict[str, str] = {}
        if district is None or district.pk is None:
            return
        with scopes_disabled():
            schools = {
                s.pk: s.sourced_id
                for s in School.objects.filter(district=district).exclude(sourced_id="")
            }
            self.orgs = set(schools.values()) | {district.sourced_id} - {""}
            for model in (AcademicYear, Term):
                self.sessions |= set(
                    model.objects.filter(school__in=schools)
                    .exclude(sourced_id="")
                    .values_list("sourced_id", flat=True)
                )
            self.classes = set(
                Section.objects.filter(school__in=schools)
                .exclude(sourced_id="")
                .values_list("sourced_id", flat=True)
            )
            self.users = set(
                Membership.objects.filter(school__in=schools)
                .exclude(sourced_id="")
                .values_list("sourced_id", flat=True)
            )
            for day_type in DayType.objects.filter(school__in=schools, is_default=True):
                self.default_day_type[schools[day_type.school_id]] = day_type.name
            for school_id, number in Period.objects.filter(
                day_type__is_default=True,
                school__in=schools,
                kind=Period.Kind.CLASS,
            ).values_list("school_id", "number"):
                self.default_periods.setdefault(schools[school_id], set()).add(number)


class Checker:
    def __init__(
        self, source, *, district_name=None, school=None, district=None, progress=None
    ):
        self.source = source
        self.plan = Plan(scope_school=school)
        self.scope_district = district
        self.progress = progress or (lambda percent, step: None)
        self.district_name = (district_name or "").strip()
        self.problems = self.plan.problems
        # Every sourcedId each file gave (good rows or not), and the files that
        # could not be read at all: a reference to either is not reported again.
        self.ids: dict[str, set] = {}
        self.broken: set[str] = set()

    def ref_ok(self, kind: str, sid: str, known=()) -> bool:
        return kind in self.broken or sid in self.ids.get(kind, ()) or sid in known

    # -- helpers ---------------------------------------------------------
    def problem(self, file, line, column, reason):
        self.problems.append(Problem(file, line, column, reason))

    def open(self, kind: str):
        """The rows of `<kind>.csv`, with its columns checked; None when absent."""
        name = f"{kind}.csv"
        if not self.source.has(name):
            if self.plan.mode(kind) != "absent":
                self.problem(
                    "manifest.csv",
                    0,
                    f"file.{kind}",
                    f"the manifest lists {name} as {self.plan.mode(kind)} "
                    "but the export has no such file",
                )
            return None
        return CsvFile(self.source, name, self.problems)

    def rows(self, kind: str, required: tuple):
        """Rows with their required columns and sourcedId checked once."""
        csv_file = self.open(kind)
        if csv_file is None:
            return
        delta = self.plan.mode(kind) == "delta"
        # sourcedId -> line, for duplicates; also what other files may name.
        seen: dict[str, int] = {}
        self.ids[kind] = seen
        checked = False
        for line, row in csv_file:
            if not checked:
                checked = True
                wanted = required + (spec.DELTA_REQUIRED if delta else ())
                missing = [c for c in wanted if c not in csv_file.header]
                for column in missing:
                    self.problem(
                        csv_file.file_name, 1, column, "missing required column"
                    )
                if missing:
                    self.broken.add(kind)
                    return
            for column in required:
                if column != "status" and not row.get(column):
                    self.problem(
                        csv_file.file_name, line, column, "a value is required"
                    )
            sid = row.get("sourcedId")
            if sid is not None and sid:
                if sid in seen:
                    self.problem(
                        csv_file.file_name,
                        line,
                        "sourcedId",
                        f"duplicate sourcedId {sid!r} (also on line {seen[sid]})",
                    )
                    continue
                seen[sid] = line
            status = row.get("status", "")
            if status and status not in spec.STATUSES:
                self.problem(
                    csv_file.file_name,
                    line,
                    "status",
                    f"{status!r} is not a status (active or tobedeleted)",
                )
            if delta and not status:
                self.problem(
                    csv_file.file_name, line, "status", "a delta row needs a status"
                )
            modified = row.get("dateLastModified", "")
            if modified and not _is_datetime(modified):
                self.problem(
                    csv_file.file_name,
                    line,
                    "dateLastModified",
                    f"{modified!r} is not an ISO 8601 date and time",
                )
            elif delta and not modified:
                self.problem(
                    csv_file.file_name,
                    line,
                    "dateLastModified",
                    "a delta row needs dateLastModified",
                )
            yield csv_file.file_name, line, row
        if csv_file.failed:
            self.broken.add(kind)
        if not checked and csv_file.header:
            missing = [c for c in required if c not in csv_file.header]
            for column in missing:
                self.problem(csv_file.file_name, 1, column, "missing required column")

    def date(self, file, line, column, value):
        if value and DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(file, line, column, f"{value!r} is not a date (YYYY-MM-DD)")
        return None

    def enum(self, file, line, column, value, allowed):
        if value not in allowed:
            self.problem(
                file,
                line,
                column,
                f"{value!r} is not one of {', '.join(allowed)}",
            )
            return False
        return True

    # -- the files -------------------------------------------------------
    def run(self) -> Plan:
        self.manifest()
        if self.problems:
            return self.plan
        version = self.plan.version
        required = spec.REQUIRED[version]
        self.progress(2, "Checking orgs.csv")
        self.orgs(required["orgs"])
        self.district()
        self.known = _Known(self.plan.district)
        steps = [
            ("academicSessions", lambda: self.sessions(required["academicSessions"])),
            ("courses", lambda: self.courses(required["courses"])),
            ("bell_schedules", self.bell_schedules),
            ("calendar_days", self.calendar_days),
            ("classes", lambda: self.classes(required["classes"])),
            ("users", lambda: self.users(required["users"])),
        ]
        if version == "1.2":
            steps.append(("roles", lambda: self.roles(required["roles"])))
        steps.append(("enrollments", lambda: self.enrollments(required["enrollments"])))
        for number, (name, step) in enumerate(steps):
            self.progress(5 + 45 * number // len(steps), f"Checking {name}.csv")
            step()
        return self.plan

    def manifest(self):
        if not self.source.has("manifest.csv"):
            self.problem("manifest.csv", 0, "", "the export has no manifest.csv")
            return
        properties = {}
        for line, row in CsvFile(self.source, "manifest.csv", self.problems):
            if "propertyName" not in row or "value" not in row:
                self.problem(
                    "manifest.csv", 1, "propertyName", "missing required column"
                )
                return
            properties[row["propertyName"]] = (line, row["value"])
        if self.problems:
            return
        line, version = properties.get("oneroster.version", (0, ""))
        if version not in spec.VERSIONS:
            self.problem(
                "manifest.csv",
                line,
                "value",
                f"unsupported version {version!r}: JEL reads OneRoster 1.1 and 1.2"
                if version
                else "no oneroster.version: JEL reads OneRoster 1.1 and 1.2",
            )
            return
        self.plan.version = version
        for kind in (*spec.FILES, *spec.COMPANIONS):
            line, mode = properties.get(f"file.{kind}", (0, ""))
            if not mode:
                # JEL's companion files need no manifest entry: bulk if present.
                companion = kind in spec.COMPANIONS
                present = self.source.has(f"{kind}.csv")
                mode = "bulk" if companion and present else "absent"
            if mode not in spec.MODES:
                self.problem(
                    "manifest.csv",
                    line,
                    "value",
                    f"file.{kind} is {mode!r}: bulk, delta or absent",
                )
                continue
            self.plan.modes[kind] = mode
        if version == "1.1" and self.plan.mode("roles") != "absent":
            self.plan.modes["roles"] = "absent"

    def orgs(self, required):
        plan = self.plan
        for file, line, row in self.rows("orgs", required):
            if not self.enum(file, line, "type", row["type"], spec.ORG_TYPES):
                continue
            plan.orgs[row["sourcedId"]] = Org(
                line=line,
                name=row["name"][:200],
                type=row["type"],
                parent=row.get("parentSourcedId", ""),
                deleted=row.get("status") == "tobedeleted",
            )
        for org in plan.orgs.values():
            if org.parent and org.parent not in plan.orgs:
                self.problem(
                    "orgs.csv",
                    org.line,
                    "parentSourcedId",
                    f"unknown reference: no org {org.parent!r}",
                )

    def district(self):
        plan = self.plan
        districts = [(sid, o) for sid, o in plan.orgs.items() if o.type == "district"]
        if len(districts) > 1:
            self.problem(
                "orgs.csv",
                districts[1][1].line,
                "type",
                "more than one district org: JEL imports one district at a time",
            )
            return
        with scopes_disabled():
            if plan.scope_school is None and self.scope_district is not None:
                plan.district = self.scope_district
                plan.district_name = plan.district.name
                plan.district_sourced_id = plan.district.sourced_id
                if districts:
                    sid, org = districts[0]
                    if plan.district.sourced_id not in ("", sid):
                        self.problem(
                            "orgs.csv",
                            org.line,
                            "sourcedId",
                            f"this export is of another district ({org.name})",
                        )
                    plan.district_sourced_id = plan.district.sourced_id or sid
                return
            if plan.scope_school is not None:
                plan.district = plan.scope_school.district
                if districts:
                    sid, org = districts[0]
                    theirs = plan.district.sourced_id
                    if theirs and theirs != sid:
                        self.problem(
                            "orgs.csv",
                            org.line,
                            "sourcedId",
                            f"this export is of another district ({org.name})",
                        )
                    plan.district_sourced_id = theirs or sid
                else:
                    plan.district_sourced_id = plan.district.sourced_id
                plan.district_name = plan.district.name
                self._scope_school()
                return
            if districts:
                sid, org = districts[0]
                plan.district_sourced_id = sid
                plan.district_name = org.name
                plan.district = (
                    District.objects.filter(sourced_id=sid).first()
                    or District.objects.filter(name=org.name, sourced_id="").first()
                )
            elif self.district_name:
                plan.district_name = self.district_name[:200]
                plan.district = District.objects.filter(name=plan.district_name).first()
                plan.district_sourced_id = (
                    plan.district.sourced_id if plan.district else ""
                )
            elif self.source.has("orgs.csv"):
                self.problem(
                    "orgs.csv",
                    0,
                    "type",
                    "orgs.csv has no district org: name the district (--district NAME)",
                )

    def _scope_school(self):
        plan = self.plan
        school = plan.scope_school
        for sid, org in plan.orgs.items():
            if org.type != "school":
                continue
            if (school.sourced_id and sid == school.sourced_id) or (
                not school.sourced_id and org.name == school.name
            ):
                plan.scope_school_sid = sid
                return
        if plan.mode("orgs") == "delta" and school.sourced_id:
            plan.scope_school_sid = school.sourced_id
            return
        self.problem(
            "orgs.csv",
            0,
            "sourcedId",
            f"no school org is {school.name} (matched by its sourcedId, or by "
            "name the first time)",
        )

    def org_known(self, sid: str) -> bool:
        return self.ref_ok("orgs", sid, self.known.orgs)

    def sessions(self, required):
        plan = self.plan
        for file, line, row in self.rows("academicSessions", required):
            if not self.enum(file, line, "type", row["type"], spec.SESSION_TYPES):
                continue
            start = self.date(file, line, "startDate", row["startDate"])
            end = self.date(file, line, "endDate", row["endDate"])
            if start and end and end < start:
                self.problem(file, line, "endDate", "ends before it starts")
                continue
            if not (start and end):
                continue
            plan.sessions[row["sourcedId"]] = Session(
                line=line,
                title=row["title"][:60],
                type=row["type"],
                starts_on=start,
                ends_on=end,
                parent=row.get("parentSourcedId", ""),
                school_year=row["schoolYear"],
                deleted=row.get("status") == "tobedeleted",
            )
        for sid, session in plan.sessions.items():
            session.year = self.year_of(sid) or ""
            if session.type == "schoolYear":
                continue
            if session.parent and session.parent not in plan.sessions:
                if session.parent not in self.known.sessions:
                    self.problem(
                        "academicSessions.csv",
                        session.line,
                        "parentSourcedId",
                        f"unknown reference: no academic session {session.parent!r}",
                    )
            elif not session.parent and self.year_of(sid) is None:
                self.problem(
                    "academicSessions.csv",
                    session.line,
                    "parentSourcedId",
                    "a term needs its school year (parentSourcedId, or a "
                    "schoolYear session of the same schoolYear)",
                )

    def year_of(self, sid: str) -> str | None:
        """The schoolYear session a session belongs to (itself for a year)."""
        sessions = self.plan.sessions
        seen = set()
        while sid in sessions and sid not in seen:
            seen.add(sid)
            session = sessions[sid]
            if session.type == "schoolYear":
                return sid
            if session.parent:
                sid = session.parent
                continue
            for other_sid, other in sessions.items():
                if (
                    other.type == "schoolYear"
                    and other.school_year == session.school_year
                ):
                    return other_sid
            return None
        return sid if sid in self.known.sessions else None

    def courses(self, required):
        for file, line, row in self.rows("courses", required):
            if not self.org_known(row["orgSourcedId"]):
                self.problem(
                    file,
                    line,
                    "orgSourcedId",
                    f"unknown reference: no org {row['orgSourcedId']!r}",
                )
            self.plan.courses[row["sourcedId"]] = row["title"][:120]

    def bell_schedules(self):
        csv_file = self.open("bell_schedules")
        if csv_file is None:
            return
        columns = spec.COMPANIONS["bell_schedules"]
        names: dict[tuple, tuple] = {}
        seen: dict[tuple, int] = {}
        first = True
        for line, row in csv_file:
            if first:
                first = False
                missing = [c for c in columns if c not in csv_file.header]
                for column in missing:
                    self.problem(
                        csv_file.file_name, 1, column, "missing required column"
                    )
                if missing:
                    self.broken.add("bell_schedules")
                    return
            file = csv_file.file_name
            school = row["school_sourcedId"]
            ok = True
            for column in columns:
                if not row[column]:
                    self.problem(file, line, column, "a value is required")
                    ok = False
            if not ok:
                continue
            if not self.org_known(school):
                self.problem(
                    file,
                    line,
                    "school_sourcedId",
                    f"unknown reference: no org {school!r}",
                )
                continue
            times = []
            for column in ("start_time", "end_time"):
                if not TIME.fullmatch(row[column]):
                    self.problem(
                        file, line, column, f"{row[column]!r} is not a time (HH:MM)"
                    )
                else:
                    times.append(dt.time.fromisoformat(row[column]))
            if len(times) < 2:
                continue
            if times[1] <= times[0]:
                self.problem(file, line, "end_time", "ends before it starts")
                continue
            day_type = row["day_type"][:60]
            key = (school, day_type)
            schedule = names.setdefault(key, (row["schedule_name"], line))
            if schedule[0] != row["schedule_name"]:
                self.problem(
                    file,
                    line,
                    "schedule_name",
                    f"day type {day_type!r} is already in schedule {schedule[0]!r} "
                    f"(line {schedule[1]}): JEL keeps one bell schedule per day type",
                )
                continue
            period = row["period"][:40]
            if (school, day_type, period) in seen:
                self.problem(
                    file,
                    line,
                    "period",
                    f"duplicate period {period!r} of {day_type!r} (also on line "
                    f"{seen[(school, day_type, period)]})",
                )
                continue
            seen[(school, day_type, period)] = line
            self.plan.bells.append(
                (school, row["schedule_name"], day_type, period, times[0], times[1])
            )
        self.schedules = names

    def default_periods(self, school: str) -> set:
        """Class period numbers of the school's default day type, after import."""
        known = self.known
        default = known.default_day_type.get(school)
        numbers = set(known.default_periods.get(school, ()))
        file_types = [b[2] for b in self.plan.bells if b[0] == school]
        if default is None and file_types:
            default = file_types[0]
        for bell in self.plan.bells:
            if bell[0] == school and bell[2] == default and bell[3].isdigit():
                numbers.add(int(bell[3]))
        return numbers

    def calendar_days(self):
        csv_file = self.open("calendar_days")
        if csv_file is None:
            return
        columns = spec.COMPANIONS["calendar_days"]
        schedules = getattr(self, "schedules", {})
        seen: dict[tuple, int] = {}
        first = True
        for line, row in csv_file:
            file = csv_file.file_name
            if first:
                first = False
                missing = [c for c in columns if c not in csv_file.header]
                for column in missing:
                    self.problem(file, 1, column, "missing required column")
                if missing:
                    return
            school = row["school_sourcedId"]
            if not school:
                self.problem(file, line, "school_sourcedId", "a value is required")
                continue
            if not self.org_known(school):
                self.problem(
                    file,
                    line,
                    "school_sourcedId",
                    f"unknown reference: no org {school!r}",
                )
                continue
            day = self.date(file, line, "date", row["date"])
            if day is None:
                continue
            if (school, day) in seen:
                self.problem(
                    file,
                    line,
                    "date",
                    f"duplicate date {day} (also on line {seen[(school, day)]})",
                )
                continue
            seen[(school, day)] = line
            day_type = row["day_type"][:60]
            if day_type:
                known = (school, day_type) in schedules or self._db_day_type(
                    school, day_type
                )
                if not known:
                    self.problem(
                        file,
                        line,
                        "day_type",
                        f"unknown reference: no day type {day_type!r} in "
                        "bell_schedules.csv or JEL",
                    )
                    continue
                in_file = schedules.get((school, day_type))
                named = row["schedule_name"]
                if in_file and named and in_file[0] != named:
                    self.problem(
                        file,
                        line,
                        "schedule_name",
                        f"unknown reference: {day_type!r} is in schedule "
                        f"{in_file[0]!r}",
                    )
                    continue
            self.plan.days.append((school, day, day_type))

    def _db_day_type(self, school_sid, name) -> bool:
        district = self.plan.district
        if district is None or district.pk is None:
            return False
        with scopes_disabled():
            return DayType.objects.filter(
                school__district=district, school__sourced_id=school_sid, name=name
            ).exists()

    def classes(self, required):
        plan = self.plan
        periods_of: dict[str, set] = {}
        for file, line, row in self.rows("classes", required):
            sid = row["sourcedId"]
            school, course = row["schoolSourcedId"], row["courseSourcedId"]
            bad = False
            if not self.org_known(school):
                self.problem(
                    file,
                    line,
                    "schoolSourcedId",
                    f"unknown reference: no org {school!r}",
                )
                bad = True
            if not self.ref_ok("courses", course) and sid not in self.known.classes:
                self.problem(
                    file,
                    line,
                    "courseSourcedId",
                    f"unknown reference: no course {course!r}",
                )
                bad = True
            terms = split_list(row["termSourcedIds"])
            for term in terms:
                if not self.ref_ok("academicSessions", term, self.known.sessions):
                    self.problem(
                        file,
                        line,
                        "termSourcedIds",
                        f"unknown reference: no academic session {term!r}",
                    )
                    bad = True
            if row["classType"] and not self.enum(
                file, line, "classType", row["classType"], spec.CLASS_TYPES
            ):
                bad = True
            period = None
            for value in split_list(row.get("periods", "")):
                found = NUMBER.search(value)
                if found:
                    period = int(found.group())
                    break
            deleted = row.get("status") == "tobedeleted"
            if period is None and not bad and not deleted and plan.in_scope(school):
                if row.get("periods"):
                    self.problem(
                        file,
                        line,
                        "periods",
                        f"{row['periods']!r} names no period number",
                    )
                else:
                    plan.warnings.append(
                        str(Problem(file, line, "periods", "no period: class skipped"))
                    )
                continue
            if bad:
                continue
            if period is not None and not deleted and plan.in_scope(school):
                if school not in periods_of:
                    periods_of[school] = self.default_periods(school)
                if period not in periods_of[school]:
                    self.problem(
                        file,
                        line,
                        "periods",
                        f"unknown reference: period {period} is not in the "
                        "school's bell schedule (give bell_schedules.csv)",
                    )
                    continue
            grade = None
            for value in split_list(row.get("grades", "")):
                if value.isdigit():
                    grade = int(value)
                    break
                if value in ("KG", "K"):
                    grade = 0
                    break
            plan.classes[sid] = Klass(
                line=line,
                title=row["title"][:120],
                course=plan.courses.get(course, ""),
                code=row.get("classCode", "")[:60],
                location=row.get("location", "")[:60],
                school=school,
                term=terms[0] if terms else "",
                period=period,
                grade=grade,
                deleted=deleted,
            )

    def users(self, required):
        plan = self.plan
        version = plan.version
        roles = spec.USER_ROLES[version]
        emails: dict[str, int] = {}
        for file, line, row in self.rows("users", required):
            sid = row["sourcedId"]
            enabled = row["enabledUser"].lower()
            if enabled not in ("true", "false"):
                self.problem(
                    file,
                    line,
                    "enabledUser",
                    f"{row['enabledUser']!r} is not true or false",
                )
                continue
            jel_roles = {}
            if version == "1.1":
                if not self.enum(file, line, "role", row["role"], tuple(roles)):
                    continue
                role = roles[row["role"]]
                orgs = split_list(row["orgSourcedIds"])
                bad = [o for o in orgs if not self.org_known(o)]
                for org in bad:
                    self.problem(
                        file,
                        line,
                        "orgSourcedIds",
                        f"unknown reference: no org {org!r}",
                    )
                if bad or role is None:
                    continue  # a student: read past, never kept
                if role == "principal" and self._is_district(orgs):
                    role = "district"
                jel_roles = dict.fromkeys(orgs, role)
            email = row.get("email", "").lower()
            if not email and "@" in row["username"]:
                email = row["username"].lower()
            person = Person(
                line=line,
                full_name=f"{row['givenName']} {row['familyName']}".strip()[:150],
                email=email,
                enabled=enabled == "true",
                deleted=row.get("status") == "tobedeleted",
                roles=jel_roles,
            )
            if version == "1.1" and not person.email:
                plan.warnings.append(
                    str(Problem(file, line, "email", "no e-mail address: not imported"))
                )
                continue
            if email and email in emails and version == "1.1":
                self.problem(
                    file,
                    line,
                    "email",
                    f"duplicate e-mail address (also on line {emails[email]})",
                )
                continue
            if email:
                emails.setdefault(email, line)
            plan.people[sid] = person

    def _is_district(self, orgs) -> bool:
        return any(
            self.plan.orgs.get(o) and self.plan.orgs[o].type == "district" for o in orgs
        )

    def roles(self, required):
        plan = self.plan
        roles = spec.USER_ROLES["1.2"]
        staff = set()
        for file, line, row in self.rows("roles", required):
            user, org = row["userSourcedId"], row["orgSourcedId"]
            if not self.ref_ok("users", user, self.known.users):
                self.problem(
                    file, line, "userSourcedId", f"unknown reference: no user {user!r}"
                )
                continue
            if not self.org_known(org):
                self.problem(
                    file, line, "orgSourcedId", f"unknown reference: no org {org!r}"
                )
                continue
            if not self.enum(file, line, "roleType", row["roleType"], spec.ROLE_TYPES):
                continue
            if not self.enum(file, line, "role", row["role"], tuple(roles)):
                continue
            role = roles[row["role"]]
            for column in ("beginDate", "endDate"):
                if row.get(column):
                    self.date(file, line, column, row[column])
            if role is None or row.get("status") == "tobedeleted":
                continue
            person = plan.people.get(user)
            if person is None:
                continue
            staff.add(user)
            held = person.roles.get(org)
            if held is None or spec.ROLE_RANK.index(role) < spec.ROLE_RANK.index(held):
                person.roles[org] = role
        # A 1.2 user with no staff role is a student (or a parent): dropped.
        for sid in [s for s in plan.people if s not in staff]:
            person = plan.people[sid]
            if not person.roles:
                del plan.people[sid]
        emails: dict[str, int] = {}
        for sid, person in list(plan.people.items()):
            if not person.email:
                plan.warnings.append(
                    str(
                        Problem(
                            "users.csv", person.line, "email", "no e-mail: not imported"
                        )
                    )
                )
                del plan.people[sid]
                continue
            if person.email in emails:
                self.problem(
                    "users.csv",
                    person.line,
                    "email",
                    f"duplicate e-mail address (also on line {emails[person.email]})",
                )
            emails.setdefault(person.email, person.line)

    def enrollments(self, required):
        plan = self.plan
        roles = spec.ENROLLMENT_ROLES[plan.version]
        for file, line, row in self.rows("enrollments", required):
            if not self.enum(file, line, "role", row["role"], roles):
                continue
            klass, school = row["classSourcedId"], row["schoolSourcedId"]
            if not self.ref_ok("classes", klass, self.known.classes):
                self.problem(
                    file,
                    line,
                    "classSourcedId",
                    f"unknown reference: no class {klass!r}",
                )
                continue
            if not self.org_known(school):
                self.problem(
                    file,
                    line,
                    "schoolSourcedId",
                    f"unknown reference: no org {school!r}",
                )
                continue
            for column in ("beginDate", "endDate"):
                if row.get(column):
                    self.date(file, line, column, row[column])
            if row["role"] != "teacher":
                # Students' enrollments: their user is checked in a bulk file
                # (a delta may name students JEL never kept), then dropped.
                if plan.mode("users") == "bulk" and not self.ref_ok(
                    "users", row["userSourcedId"]
                ):
                    self.problem(
                        file,
                        line,
                        "userSourcedId",
                        f"unknown reference: no user {row['userSourcedId']!r}",
                    )
                continue
            user = row["userSourcedId"]
            if not self.ref_ok("users", user, self.known.users):
                self.problem(
                    file, line, "userSourcedId", f"unknown reference: no user {user!r}"
                )
                continue
            primary = row.get("primary", "").lower()
            if primary and primary not in ("true", "false"):
                self.problem(
                    file, line, "primary", f"{row['primary']!r} is not true or false"
                )
                continue
            plan.assignments[row["sourcedId"]] = Assignment(
                line=line,
                klass=klass,
                school=school,
                user=user,
                primary=primary == "true",
                deleted=row.get("status") == "tobedeleted",
            )


def _is_datetime(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def check(source, **options) -> Plan:
    """Read and check every file of the export; the plan holds its problems."""
    return Checker(source, **options).run()
