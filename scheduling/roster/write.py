"""Apply a checked plan: bulk writes, compared field by field, so the same
export twice changes nothing and a later one changes only what it changed."""

from collections import defaultdict

from django.db.models import F

from jel.models import District, Membership, School, User
from scheduling.models import (
    AcademicYear,
    DayType,
    Period,
    Room,
    SchoolDay,
    Section,
    TeachingAssignment,
    Term,
)

BATCH = 2000
TERM_KINDS = {
    "semester": Term.Kind.SEMESTER,
    "gradingPeriod": Term.Kind.QUARTER,
    "term": Term.Kind.TRIMESTER,
    "schoolYear": Term.Kind.YEAR,
}


class Counts(dict):
    def bump(self, kind: str, what: str, by: int = 1):
        if by:
            row = self.setdefault(kind, {"add": 0, "update": 0, "deactivate": 0})
            row[what] += by


def _changed(obj, values: dict) -> list[str]:
    """Set the values on obj; the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


class Writer:
    def __init__(self, plan, progress=None):
        self.plan = plan
        self.counts = Counts()
        self.progress = progress or (lambda percent, step: None)
        self.warnings = plan.warnings

    def run(self) -> Counts:
        steps = [
            (self.district_and_schools, "Schools"),
            (self.sessions, "Years and terms"),
            (self.bell_schedules, "Bell schedules"),
            (self.calendar_days, "Calendar days"),
            (self.rooms, "Rooms"),
            (self.staff, "Staff"),
            (self.sections, "Sections"),
            (self.assignments, "Teaching assignments"),
        ]
        for number, (step, name) in enumerate(steps):
            self.progress(int(100 * number / len(steps)), name)
            step()
        self.progress(100, "Done")
        return self.counts

    # -- orgs --------------------------------------------------------------
    def district_and_schools(self):
        plan = self.plan
        district = plan.district
        if district is None:
            district = District.objects.create(
                name=plan.district_name, sourced_id=plan.district_sourced_id
            )
            self.counts.bump("districts", "add")
        elif plan.district_sourced_id and not district.sourced_id:
            district.sourced_id = plan.district_sourced_id
            district.save(update_fields=["sourced_id"])
            self.counts.bump("districts", "update")
        plan.district = district
        self.schools: dict[str, School] = {}
        existing = list(School.objects.filter(district=district))
        by_sid = {s.sourced_id: s for s in existing if s.sourced_id}
        by_name = {s.name: s for s in existing if not s.sourced_id}
        for sid in plan.school_ids():
            org = plan.orgs[sid]
            school = plan.scope_school if plan.scope_school else by_sid.get(sid)
            school = school or by_name.get(org.name)
            if school is None:
                school = School.objects.create(
                    district=district, name=org.name, sourced_id=sid
                )
                self.counts.bump("schools", "add")
            else:
                values = {"sourced_id": sid}
                if plan.scope_school is None:
                    values["name"] = org.name
                changed = _changed(school, values)
                if changed:
                    school.save(update_fields=changed)
                    self.counts.bump("schools", "update")
            self.schools[sid] = school
        if plan.mode("orgs") != "bulk":
            # Schools a delta (or an export without orgs) does not list stay.
            for school in School.objects.filter(district=district).exclude(
                sourced_id=""
            ):
                if plan.in_scope(school.sourced_id):
                    self.schools.setdefault(school.sourced_id, school)
        self.school_ids = {s.pk for s in self.schools.values()}

    def schools_for(self, org_sid: str) -> list[School]:
        """The schools an org stands for: itself, or every school of the district."""
        if org_sid in self.schools:
            return [self.schools[org_sid]]
        if org_sid and org_sid == self.plan.district_sourced_id:
            return list(self.schools.values())
        return []

    # -- academic sessions ---------------------------------------------------
    def sessions(self):
        plan = self.plan
        self.terms: dict[tuple, int] = {}  # (school_id, session sid) -> term id
        years = {(y.school_id, y.sourced_id): y for y in self._rows(AcademicYear)}
        terms = {(t.school_id, t.sourced_id): t for t in self._rows(Term)}
        for key, term in terms.items():
            self.terms[key] = term.pk
        used_year_terms = {
            k.term
            for k in plan.classes.values()
            if k.term in plan.sessions and plan.sessions[k.term].type == "schoolYear"
        }
        ordered = sorted(
            plan.sessions.items(), key=lambda item: item[1].type != "schoolYear"
        )
        for school in self.schools.values():
            for sid, session in ordered:
                if session.deleted:
                    continue
                if session.type == "schoolYear":
                    year = self._upsert(
                        years,
                        AcademicYear,
                        "years",
                        (school.pk, sid),
                        {
                            "name": session.title[:40],
                            "starts_on": session.starts_on,
                            "ends_on": session.ends_on,
                        },
                        match={"school": school, "name": session.title[:40]},
                    )
                    if sid not in used_year_terms:
                        continue
                    year_id, name, kind = year.pk, "Full year", Term.Kind.YEAR
                else:
                    year = years.get((school.pk, session.year))
                    if year is None:
                        year = AcademicYear.objects.filter(
                            school=school, sourced_id=session.year
                        ).first()
                    if year is None:
                        continue
                    year_id, name, kind = (
                        year.pk,
                        session.title,
                        TERM_KINDS[session.type],
                    )
                term = self._upsert(
                    terms,
                    Term,
                    "terms",
                    (school.pk, sid),
                    {
                        "year_id": year_id,
                        "name": name,
                        "kind": kind,
                        "starts_on": session.starts_on,
                        "ends_on": session.ends_on,
                    },
                    match={"year_id": year_id, "name": name},
                )
                self.terms[(school.pk, sid)] = term.pk

    def _rows(self, model):
        return model.objects.filter(school__in=self.school_ids).exclude(sourced_id="")

    def _upsert(self, existing, model, kind, key, values, match):
        """The row of this sourcedId (or, the first time, of this name), as given."""
        school_id, sid = key
        obj = existing.get(key)
        linked = False
        if obj is None:
            obj = model.objects.filter(sourced_id="", **match).first()
            if obj is not None:
                obj.sourced_id, linked = sid, True
        if obj is None:
            obj = model.objects.create(school_id=school_id, sourced_id=sid, **values)
            self.counts.bump(kind, "add")
        elif _changed(obj, values) or linked:
            obj.save()
            self.counts.bump(kind, "update")
        existing[key] = obj
        return obj

    # -- bell schedules and calendar days -------------------------------------
    def bell_schedules(self):
        plan = self.plan
        if not plan.bells:
            return
        day_types = {
            (d.school_id, d.name): d
            for d in DayType.objects.filter(school__in=self.school_ids)
        }
        has_default = {key[0] for key, d in day_types.items() if d.is_default}
        periods = {
            (p.day_type_id, p.number, p.kind): p
            for p in Period.objects.filter(school__in=self.school_ids)
        }
        ordinal: dict[tuple, int] = defaultdict(int)
        touched = set()
        for school_sid, _schedule, name, period, starts, ends in plan.bells:
            if school_sid not in self.schools:
                continue
            school = self.schools[school_sid]
            day_type = day_types.get((school.pk, name))
            if day_type is None:
                day_type = DayType.objects.create(
                    school=school, name=name, is_default=school.pk not in has_default
                )
                has_default.add(school.pk)
                day_types[(school.pk, name)] = day_type
                self.counts.bump("day types", "add")
            if period.isdigit():
                number, kind, label = int(period), Period.Kind.CLASS, f"Period {period}"
            else:
                kind = _period_kind(period)
                ordinal[(day_type.pk, kind)] += 1
                number, label = ordinal[(day_type.pk, kind)], period
            values = {"name": label, "starts_at": starts, "ends_at": ends}
            found = periods.get((day_type.pk, number, kind))
            if found is None:
                Period.objects.create(
                    school=school, day_type=day_type, number=number, kind=kind, **values
                )
                self.counts.bump("periods", "add")
                touched.add(day_type.pk)
            elif _changed(found, values):
                found.save()
                self.counts.bump("periods", "update")
                touched.add(day_type.pk)
        DayType.objects.filter(pk__in=touched).update(version=F("version") + 1)

    def calendar_days(self):
        plan = self.plan
        if not plan.days:
            return
        day_types = {
            (d.school_id, d.name): d.pk
            for d in DayType.objects.filter(school__in=self.school_ids)
        }
        existing = {
            (d.school_id, d.date): d
            for d in SchoolDay.objects.filter(school__in=self.school_ids)
        }
        new, changed_rows = [], []
        for school_sid, day, name in plan.days:
            if school_sid not in self.schools:
                continue
            school = self.schools[school_sid]
            values = {
                "day_type_id": day_types.get((school.pk, name)) if name else None,
                "is_school_day": bool(name),
            }
            found = existing.get((school.pk, day))
            if found is None:
                new.append(SchoolDay(school=school, date=day, **values))
            elif _changed(found, values):
                changed_rows.append(found)
        SchoolDay.objects.bulk_create(new, batch_size=BATCH)
        SchoolDay.objects.bulk_update(
            changed_rows, ["day_type_id", "is_school_day"], batch_size=BATCH
        )
        SchoolDay.objects.filter(pk__in=[d.pk for d in changed_rows]).update(
            version=F("version") + 1
        )
        self.counts.bump("school days", "add", len(new))
        self.counts.bump("school days", "update", len(changed_rows))

    # -- rooms, staff, sections, assignments ------------------------------------
    def rooms(self):
        self.room_ids = {
            (r.school_id, r.name): r.pk
            for r in Room.objects.filter(school__in=self.school_ids)
        }
        wanted = set()
        for klass in self.plan.classes.values():
            school = self.schools.get(klass.school)
            key = (school.pk, klass.location) if school else None
            if (
                key
                and klass.location
                and not klass.deleted
                and key not in self.room_ids
            ):
                wanted.add(key)
        Room.objects.bulk_create(
            [Room(school_id=s, name=n) for s, n in sorted(wanted)], batch_size=BATCH
        )
        self.counts.bump("rooms", "add", len(wanted))
        if wanted:
            for r in Room.objects.filter(school__in=self.school_ids):
                self.room_ids[(r.school_id, r.name)] = r.pk

    def staff(self):
        plan = self.plan
        # Who each sourcedId is, across the district's schools.
        self.user_of: dict[str, int] = dict(
            Membership.objects.filter(school__district=plan.district)
            .exclude(sourced_id="")
            .values_list("sourced_id", "user_id")
        )
        if plan.mode("users") == "absent":
            return
        # Only people of the schools this import writes to (a school's own
        # upload makes no account for another school's staff).
        people = {
            sid: person
            for sid, person in plan.people.items()
            if any(self.schools_for(org) for org in person.roles)
        }
        users = {
            u.pk: u for u in User.objects.filter(pk__in=set(self.user_of.values()))
        }
        missing = [sid for sid in people if sid not in self.user_of]
        by_email = {}
        emails = [people[sid].email for sid in missing]
        for start in range(0, len(emails), 500):
            for user in User.objects.filter(email__in=emails[start : start + 500]):
                by_email[user.email] = user
        new_users = []
        for sid in missing:
            person = people[sid]
            user = by_email.get(person.email)
            if user is None:
                user = User(email=person.email, full_name=person.full_name)
                user.set_unusable_password()
                new_users.append(user)
                by_email[person.email] = user
            users.setdefault(id(user), user)
        User.objects.bulk_create(new_users, batch_size=BATCH)
        if new_users and new_users[0].pk is None:  # a database that returns no ids
            fresh = User.objects.filter(email__in=[u.email for u in new_users])
            ids = dict(fresh.values_list("email", "pk"))
            for user in new_users:
                user.pk = user.id = ids[user.email]
        for sid in missing:
            self.user_of[sid] = by_email[people[sid].email].pk
        users = {u.pk: u for u in users.values() if u.pk}
        taken = set()
        changed_users = []
        fresh = {u.pk for u in new_users}
        for sid, person in people.items():
            user = users.get(self.user_of[sid])
            if user is None or user.pk in fresh:
                continue
            values = {"full_name": person.full_name}
            if person.email != user.email:
                if (
                    person.email in taken
                    or User.objects.filter(email=person.email).exists()
                ):
                    self.warnings.append(
                        f"users.csv, line {person.line}: {person.email} is another "
                        "person's address in JEL; the e-mail was not changed"
                    )
                else:
                    values["email"] = person.email
                    taken.add(person.email)
            if _changed(user, values):
                changed_users.append(user)
        User.objects.bulk_update(
            changed_users, ["full_name", "email"], batch_size=BATCH
        )
        self.counts.bump("staff", "update", len(changed_users))

        # Memberships: one per person per school the roster names.
        wanted: dict[tuple, tuple] = {}  # (school_id, user_id) -> (sid, role, active)
        for sid, person in people.items():
            for org, role in person.roles.items():
                for school in self.schools_for(org):
                    key = (school.pk, self.user_of[sid])
                    active = person.enabled and not person.deleted
                    if key not in wanted or _rank(role) < _rank(wanted[key][1]):
                        wanted[key] = (sid, role, active)
        existing = {
            (m.school_id, m.user_id): m
            for m in Membership.objects.filter(school__in=self.school_ids)
        }
        new, changed_rows, deactivated = [], [], []
        for key, (sid, role, active) in wanted.items():
            membership = existing.get(key)
            if membership is None:
                new.append(
                    Membership(
                        school_id=key[0],
                        user_id=key[1],
                        role=role,
                        roster_role=role,
                        sourced_id=sid,
                        is_active=active,
                    )
                )
                continue
            values = {"sourced_id": sid, "roster_role": role, "is_active": active}
            # A role a principal set by hand (or a member JEL had before the
            # roster) stays; a role still as the roster gave it follows it.
            if membership.roster_role and membership.role == membership.roster_role:
                values["role"] = role
            was_active = membership.is_active
            if _changed(membership, values):
                changed_rows.append(membership)
                if was_active and not active:
                    deactivated.append(membership)
        listed = set(plan.people)
        for key, membership in existing.items():
            if key in wanted or not membership.sourced_id or not membership.is_active:
                continue
            gone = plan.mode("users") == "bulk" or membership.sourced_id in listed
            if gone:
                membership.is_active = False
                changed_rows.append(membership)
                deactivated.append(membership)
        Membership.objects.bulk_create(new, batch_size=BATCH)
        Membership.objects.bulk_update(
            changed_rows,
            ["sourced_id", "roster_role", "role", "is_active"],
            batch_size=BATCH,
        )
        self.counts.bump("staff", "add", len(new))
        self.counts.bump("staff", "update", len(changed_rows) - len(deactivated))
        self.counts.bump("staff", "deactivate", len(deactivated))

    def sections(self):
        plan = self.plan
        self.section_ids: dict[tuple, int] = {}
        periods = {
            (p.school_id, p.number): p.pk
            for p in Period.objects.filter(
                school__in=self.school_ids,
                day_type__is_default=True,
                kind=Period.Kind.CLASS,
            )
        }
        fields = ["course", "code", "room_id", "period_id", "term_id", "grade_level"]
        existing = {
            (s.school_id, s.sourced_id): s
            for s in Section.objects.filter(school__in=self.school_ids)
            .exclude(sourced_id="")
            .only("pk", "school_id", "sourced_id", "is_active", *fields)
        }
        if plan.mode("classes") == "absent":
            self.section_ids = {key: s.pk for key, s in existing.items()}
            return
        new, changed_rows, deactivated = [], [], 0
        seen = set()
        # New sections get their teacher now (one write, not two); the
        # assignments step settles every rostered section's teacher after.
        teacher_of: dict[str, int] = {}
        for item in sorted(plan.assignments.values(), key=lambda a: not a.primary):
            if not item.deleted and item.user in self.user_of:
                teacher_of.setdefault(item.klass, self.user_of[item.user])
        for sid, klass in plan.classes.items():
            school = self.schools.get(klass.school)
            if school is None:
                continue
            key = (school.pk, sid)
            seen.add(key)
            section = existing.get(key)
            if klass.deleted:
                if section is not None and section.is_active:
                    section.is_active = False
                    changed_rows.append(section)
                    deactivated += 1
                continue
            term_id = self.terms.get((school.pk, klass.term))
            period_id = periods.get((school.pk, klass.period))
            if term_id is None or period_id is None:
                self.warnings.append(
                    f"classes.csv, line {klass.line}: its term or period is not in "
                    f"{school.name}; class skipped"
                )
                continue
            values = {
                "code": klass.code,
                "room_id": self.room_ids.get((school.pk, klass.location)),
                "period_id": period_id,
                "term_id": term_id,
                "grade_level": klass.grade,
                "is_active": True,
            }
            course = klass.course or klass.title
            if klass.course or section is None:
                values["course"] = course
            if section is None:
                new.append(
                    Section(
                        school_id=school.pk,
                        sourced_id=sid,
                        teacher_id=teacher_of.get(sid),
                        **values,
                    )
                )
            elif _changed(section, values):
                changed_rows.append(section)
        if plan.mode("classes") == "bulk":
            for key, section in existing.items():
                if key not in seen and section.is_active:
                    section.is_active = False
                    changed_rows.append(section)
                    deactivated += 1
        Section.objects.bulk_create(new, batch_size=BATCH)
        Section.objects.bulk_update(
            changed_rows, [*fields, "is_active"], batch_size=BATCH
        )
        self.counts.bump("sections", "add", len(new))
        self.counts.bump("sections", "update", len(changed_rows) - deactivated)
        self.counts.bump("sections", "deactivate", deactivated)
        self.section_ids = {key: s.pk for key, s in existing.items()}
        if new:
            self.section_ids.update(
                {
                    (school_id, sid): pk
                    for pk, school_id, sid in Section.objects.filter(
                        school__in=self.school_ids
                    )
                    .exclude(sourced_id="")
                    .values_list("pk", "school_id", "sourced_id")
                }
            )

    def assignments(self):
        plan = self.plan
        if plan.mode("enrollments") == "absent":
            return
        existing = {
            (a.school_id, a.sourced_id): a
            for a in TeachingAssignment.objects.filter(school__in=self.school_ids)
        }
        new, changed_rows, deactivated = [], [], 0
        seen = set()
        skipped = 0
        for sid, item in plan.assignments.items():
            school = self.schools.get(item.school)
            if school is None:
                continue
            key = (school.pk, sid)
            seen.add(key)
            found = existing.get(key)
            if item.deleted:
                if found is not None and found.is_active:
                    found.is_active = False
                    changed_rows.append(found)
                    deactivated += 1
                continue
            section_id = self.section_ids.get((school.pk, item.klass))
            teacher_id = self.user_of.get(item.user)
            if section_id is None or teacher_id is None:
                skipped += 1
                continue
            values = {
                "section_id": section_id,
                "teacher_id": teacher_id,
                "is_primary": item.primary,
                "is_active": True,
            }
            if found is None:
                new.append(
                    TeachingAssignment(school_id=school.pk, sourced_id=sid, **values)
                )
            elif _changed(found, values):
                changed_rows.append(found)
        if plan.mode("enrollments") == "bulk":
            for key, found in existing.items():
                if key not in seen and found.is_active:
                    found.is_active = False
                    changed_rows.append(found)
                    deactivated += 1
        if skipped:
            self.warnings.append(
                f"enrollments.csv: {skipped} teacher enrollment(s) name a class or "
                "person that was not imported (see the warnings above); skipped"
            )
        TeachingAssignment.objects.bulk_create(new, batch_size=BATCH)
        TeachingAssignment.objects.bulk_update(
            changed_rows,
            ["section_id", "teacher_id", "is_primary", "is_active"],
            batch_size=BATCH,
        )
        self.counts.bump("assignments", "add", len(new))
        self.counts.bump("assignments", "update", len(changed_rows) - deactivated)
        self.counts.bump("assignments", "deactivate", deactivated)
        self._section_teachers()

    def _section_teachers(self):
        """Each rostered section's teacher: its primary active assignment's."""
        teacher_of: dict[int, int] = {}
        for section_id, teacher_id in (
            TeachingAssignment.objects.filter(
                school__in=self.school_ids, is_active=True
            )
            .order_by("-is_primary", "pk")
            .values_list("section_id", "teacher_id")
        ):
            teacher_of.setdefault(section_id, teacher_id)
        changed = []
        for section in (
            Section.objects.filter(school__in=self.school_ids)
            .exclude(sourced_id="")
            .only("pk", "teacher_id")
        ):
            teacher = teacher_of.get(section.pk)
            if section.teacher_id != teacher:
                section.teacher_id = teacher
                changed.append(section)
        Section.objects.bulk_update(changed, ["teacher_id"], batch_size=BATCH)


def _rank(role: str) -> int:
    from scheduling.roster.spec import ROLE_RANK

    return ROLE_RANK.index(role)


def _period_kind(name: str) -> str:
    lowered = name.lower()
    if "lunch" in lowered:
        return Period.Kind.LUNCH
    if "advisory" in lowered or "homeroom" in lowered:
        return Period.Kind.ADVISORY
    if "passing" in lowered:
        return Period.Kind.PASSING
    return Period.Kind.OTHER
