"""Build a district of N schools with three school years of professional learning.

The generator the benchmarks measure against (`bench/seed_district` runs it):
each school has its staff, look-fors, school years and terms, cycles of every
kind, visits, observations and evidence at the proportions a real district has
(per school and year about 630 visits, two observers a visit, five evidence
entries an observation), debriefs, goals and reflections. Deterministic for a
given --seed. The large tables go in by bulk writes: PostgreSQL's COPY (with
foreign-key triggers off when the database user may do so), elsewhere batched
INSERTs. Each school is one transaction: a seed stopped half-way leaves whole
schools only.

    python manage.py seed_district --schools 264            # about 1 M observations
    python manage.py seed_district --schools 2 --name Quick  # a quick district
"""

import datetime as dt
import random
import time
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.models import (
    Cycle,
    CycleLookFor,
    CycleParticipant,
    Debrief,
    LookFor,
    Visit,
)
from jel.models import District, Membership, Role, School, StaffProfile, User
from observations.models import Evidence, Goal, GoalCheckIn, Observation, Reflection
from scheduling.models import AcademicYear, Term

DEPARTMENTS = [
    "English Language Arts",
    "Mathematics",
    "Science",
    "Social Studies",
    "Special Education",
    "World Languages",
    "Visual and Performing Arts",
    "Physical Education",
]
# How a real school's cycles split (share of cycles, hosts visited per cycle).
KINDS = [
    (Cycle.Kind.MICRO, 0.40, 1),
    (Cycle.Kind.ROUNDS, 0.20, 4),
    (Cycle.Kind.WALK, 0.15, 6),
    (Cycle.Kind.SWAP, 0.15, 2),
    (Cycle.Kind.LAB, 0.10, 1),
]
EVIDENCE_TEXT = [
    "Students explained their reasoning to a partner.",
    "Three students asked a question of each other.",
    "The exit ticket asked for a second strategy.",
    "Most groups used the sentence frames on the wall.",
    "A student revised her claim after hearing the counter-example.",
    "Wait time after the question was about five seconds.",
]
LOOK_FOR_KINDS = ["oral", "visual", "artifact"]
# Seeded staff never sign in (the benchmark signs in by session).
UNUSABLE = make_password(None)


@dataclass
class Counts:
    schools: int = 0
    staff: int = 0
    cycles: int = 0
    visits: int = 0
    observations: int = 0
    evidence: int = 0
    seconds: dict = field(default_factory=dict)

    def add(self, other):
        for name in ("schools", "staff", "cycles", "visits", "observations"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.evidence += other.evidence


class Table:
    """Rows of one model written without the ORM's per-object work.

    The columns and their default values come from one template instance, the
    way bulk_create prepares them, so a raw row is what the ORM would write;
    each row then sets only what varies."""

    def __init__(self, model, **fixed):
        self.model = model
        self.fields = list(model._meta.local_concrete_fields)
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        template = model(**fixed)
        self.template = [self._prep(f, f.pre_save(template, True)) for f in self.fields]
        self.by_name = {f.attname: f for f in self.fields}
        self.rows = []
        self.next_id = None

    @staticmethod
    def _prep(field_, value):
        return field_.get_db_prep_save(value, connection)

    def allocate(self, count):
        """Ids for `count` new rows (the tables are written by one seeder)."""
        if self.next_id is None:
            table = connection.ops.quote_name(self.model._meta.db_table)
            with connection.cursor() as cursor:
                # The table name is the model's own, never input.
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
                self.next_id = cursor.fetchone()[0] + 1
        first = self.next_id
        self.next_id += count
        return first

    def add(self, **values):
        row = list(self.template)
        for name, value in values.items():
            if isinstance(value, (int, str, bool)) or value is None:
                row[self.index[name]] = value
            else:
                row[self.index[name]] = self._prep(self.by_name[name], value)
        self.rows.append(row)

    def flush(self):
        if not self.rows:
            return 0
        table = self.model._meta.db_table
        quoted = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        written = len(self.rows)
        if connection.vendor == "postgresql":
            sql = f'COPY "{table}" ({quoted}) FROM STDIN'
            with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(self.fields))
            with connection.cursor() as cursor:
                for start in range(0, written, 5000):
                    cursor.executemany(
                        f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})',  # noqa: S608
                        self.rows[start : start + 5000],
                    )
        self.rows = []
        return written


def school_days(start, end):
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += dt.timedelta(days=1)


def pick_kind(rng):
    roll = rng.random()
    for kind, share, hosts in KINDS:
        if roll < share:
            return kind, hosts
        roll -= share
    return KINDS[-1][0], KINDS[-1][2]


class Seeder:
    def __init__(self, *, rng_seed, years, staff, visits_per_year, evidence_per_obs):
        self.rng_seed = rng_seed
        self.years = years
        self.staff = staff
        self.visits_per_year = visits_per_year
        self.evidence_per_obs = evidence_per_obs

    def school(self, district, number, today):
        rng = random.Random(f"{self.rng_seed}-{number}")  # noqa: S311 - seeded data
        counts = Counts(schools=1)
        school = School.objects.create(
            district=district,
            name=f"{district.name} School {number:03d}",
            grade_levels=[6, 7, 8],
        )
        tz = ZoneInfo(school.time_zone)
        people = self._people(school, number, rng)
        counts.staff = len(people)
        teachers = [u for role, u, _ in people if role == Role.TEACHER]
        coaches = [u for role, u, _ in people if role == Role.COACH]
        look_fors = LookFor.objects.bulk_create(
            LookFor(
                school=school,
                text=f"Look-for {n + 1}",
                kind=LOOK_FOR_KINDS[n % 3],
                position=n,
            )
            for n in range(12)
        )
        spans = self._years(school, today)

        # Parents before children: written in this order, the keys hold.
        tables = (
            Table(Cycle, school=school, title="x", kind="micro"),
            Table(CycleLookFor, school=school),
            Table(CycleParticipant, school=school, role="host"),
            Table(Visit, school=school, date=today),
            Table(Visit.observers.through),
            Table(Observation, school=school),
            Table(Evidence, school=school, client_id=uuid.UUID(int=0)),
            Table(Debrief, school=school),
        )

        days = [d for start, end in spans for d in school_days(start, end)]
        per_day = self.visits_per_year * len(spans) / max(len(days), 1)
        # The next two weeks are planned too (booked, not yet observed), so a
        # teacher's home and week show what they would on a real day.
        if spans and spans[-1][1] == today - dt.timedelta(days=1):
            days += list(school_days(today, today + dt.timedelta(days=13)))
        owed = 0.0
        for day in days:
            owed += per_day
            while owed >= 1:
                kind, host_count = pick_kind(rng)
                owed -= host_count
                self._cycle(
                    day=day,
                    kind=kind,
                    host_count=host_count,
                    rng=rng,
                    tz=tz,
                    today=today,
                    teachers=teachers,
                    coaches=coaches,
                    look_fors=look_fors,
                    tables=tables,
                    counts=counts,
                )
        for table in tables:
            table.flush()
        goals = Goal.objects.bulk_create(
            Goal(school=school, owner=rng.choice(teachers), text="Try wait time")
            for _ in range(len(spans) * 40)
        )
        GoalCheckIn.objects.bulk_create(
            GoalCheckIn(school=school, goal=g, tried=True) for g in goals[::2]
        )
        Reflection.objects.bulk_create(
            Reflection(school=school, author=rng.choice(teachers), body="Private")
            for _ in range(len(spans) * 80)
        )
        return counts

    def _people(self, school, number, rng):
        count = self.staff
        users = User.objects.bulk_create(
            User(
                email=f"s{number:03d}-{n:03d}@{school.district_id}.seed.example.org",
                full_name=f"Staff {number:03d}-{n:03d}",
                password=UNUSABLE,
            )
            for n in range(count)
        )
        roles = [
            Role.PRINCIPAL if n < 2 else Role.COACH if n < 5 else Role.TEACHER
            for n in range(count)
        ]
        memberships = Membership.objects.bulk_create(
            Membership(user=user, school=school, role=role)
            for user, role in zip(users, roles, strict=True)
        )
        StaffProfile.objects.bulk_create(
            StaffProfile(
                school=school,
                membership=membership,
                years_experience=rng.randint(0, 25),
                department=DEPARTMENTS[n % len(DEPARTMENTS)],
                grade_levels=[6 + n % 3],
            )
            for n, membership in enumerate(memberships)
        )
        return [
            (role, user, n)
            for n, (role, user) in enumerate(zip(roles, users, strict=True))
        ]

    def _years(self, school, today):
        """`years` school years ending with the current one (which ends today)."""
        current = today.year if today.month >= 8 else today.year - 1
        spans = []
        for first in range(current - self.years + 1, current + 1):
            starts, ends = dt.date(first, 8, 20), dt.date(first + 1, 6, 20)
            year = AcademicYear.objects.create(
                school=school,
                name=f"{first}-{str(first + 1)[2:]}",
                starts_on=starts,
                ends_on=ends,
            )
            Term.objects.create(
                school=school,
                year=year,
                name="Fall",
                kind="semester",
                starts_on=starts,
                ends_on=dt.date(first, 12, 31),
            )
            Term.objects.create(
                school=school,
                year=year,
                name="Spring",
                kind="semester",
                starts_on=dt.date(first + 1, 1, 1),
                ends_on=ends,
            )
            spans.append((starts, min(ends, today - dt.timedelta(days=1))))
        return [(s, e) for s, e in spans if s <= e]

    def _cycle(
        self,
        *,
        day,
        kind,
        host_count,
        rng,
        tz,
        today,
        teachers,
        coaches,
        look_fors,
        tables,
        counts,
    ):
        (
            cycles,
            links,
            participants,
            visits,
            observers,
            observations,
            evidence,
            debriefs,
        ) = tables
        # Closed once debriefed; the last few days' cycles still wait for
        # their debrief (their entries are open); later ones are booked.
        if day >= today:
            stage, status = "booked", Cycle.Status.SCHEDULED
        elif day >= today - dt.timedelta(days=4):
            stage, status = "open", Cycle.Status.IN_PROGRESS
        else:
            stage, status = "closed", Cycle.Status.CLOSED
        cycle_id = cycles.allocate(1)
        cycles.add(
            id=cycle_id,
            kind=kind,
            title=f"{Cycle.Kind(kind).label}, {day:%d %b %Y}",
            facilitator_id=rng.choice(coaches).pk,
            status=status,
            starts_on=day,
            ends_on=day,
        )
        counts.cycles += 1
        chosen = rng.sample(look_fors, 3)
        first = links.allocate(3)
        for i, look_for in enumerate(chosen):
            links.add(
                id=first + i, cycle_id=cycle_id, look_for_id=look_for.pk, position=i
            )
        people = rng.sample(teachers, host_count + 2)
        hosts, watchers = people[:host_count], people[host_count:]
        first = participants.allocate(len(people))
        for i, user in enumerate(people):
            participants.add(
                id=first + i,
                cycle_id=cycle_id,
                user_id=user.pk,
                role="host" if user in hosts else "observer",
            )
        first_visit = visits.allocate(len(hosts))
        period = rng.randrange(1, 7)
        starts = dt.datetime.combine(day, dt.time(7 + period, 15), tzinfo=tz)
        for i, host in enumerate(hosts):
            visit_id = first_visit + i
            at = starts + dt.timedelta(minutes=20 * i)
            visits.add(
                id=visit_id,
                cycle_id=cycle_id,
                host_id=host.pk,
                date=day,
                starts_at=at,
                minutes=15,
                created_at=at - dt.timedelta(days=7),
            )
            counts.visits += 1
            first_link = observers.allocate(len(watchers))
            for j, watcher in enumerate(watchers):
                observers.add(id=first_link + j, visit_id=visit_id, user_id=watcher.pk)
            if stage == "booked":
                continue
            first_obs = observations.allocate(len(watchers))
            for j, watcher in enumerate(watchers):
                observation_id = first_obs + j
                observations.add(
                    id=observation_id,
                    visit_id=visit_id,
                    observer_id=watcher.pk,
                    started_at=at,
                    ended_at=at + dt.timedelta(minutes=15),
                    created_at=at,
                )
                counts.observations += 1
                entries = rng.randint(1, 2 * self.evidence_per_obs - 1)
                first_entry = evidence.allocate(entries)
                for k in range(entries):
                    noted = at + dt.timedelta(minutes=1 + k * 14 // entries)
                    evidence.add(
                        id=first_entry + k,
                        observation_id=observation_id,
                        client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        look_for_id=chosen[k % 3].pk,
                        text=EVIDENCE_TEXT[rng.randrange(len(EVIDENCE_TEXT))],
                        is_tally=rng.random() < 0.3,
                        noted_at=noted,
                        created_at=noted,
                        updated_at=noted,
                    )
                counts.evidence += entries
        due = dt.datetime.combine(day, dt.time(15, 30), tzinfo=tz)
        debriefs.add(
            id=debriefs.allocate(1),
            cycle_id=cycle_id,
            due_at=due,
            held_at=due if stage == "closed" and rng.random() < 0.8 else None,
            created_at=due - dt.timedelta(days=7),
            updated_at=due,
        )


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=4)
        parser.add_argument("--name", default="Seeded District", help="District name.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--staff", type=int, default=100, help="Per school.")
        parser.add_argument(
            "--visits-per-year", type=int, default=630, help="Per school."
        )
        parser.add_argument(
            "--evidence-per-observation", type=int, default=5, help="On average."
        )

    def handle(self, *args, **options):
        if options["schools"] < 1 or options["staff"] < 12:
            raise CommandError("At least one school of at least 12 staff.")
        with scopes_disabled():
            if District.objects.filter(name=options["name"]).exists():
                raise CommandError(
                    f"A district named {options['name']!r} exists already: "
                    "choose another --name or seed into an empty database."
                )
            self._seed(options)

    def _seed(self, options):
        seeder = Seeder(
            rng_seed=options["seed"],
            years=options["years"],
            staff=options["staff"],
            visits_per_year=options["visits_per_year"],
            evidence_per_obs=options["evidence_per_observation"],
        )
        today = timezone.localdate()
        started = time.perf_counter()
        district = District.objects.create(name=options["name"])
        total = Counts()
        for number in range(1, options["schools"] + 1):
            with transaction.atomic():
                unchecked = _fk_checks_off()
                counts = seeder.school(district, number, today)
            total.add(counts)
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"school {number}/{options['schools']}: {total.observations:,} "
                f"observations, {total.evidence:,} evidence entries, {elapsed:.0f} s"
            )
        with transaction.atomic():
            first = School.objects.filter(district=district).order_by("pk").first()
            lead = User.objects.create(
                email=f"district@{district.pk}.seed.example.org",
                full_name=f"{district.name} office",
                password=UNUSABLE,
            )
            Membership.objects.create(user=lead, school=first, role=Role.DISTRICT)
        if connection.vendor == "postgresql":
            _reset_sequences()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the planner's statistics for the new rows
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{district.name}: {total.schools} schools, {total.staff:,} staff, "
                f"{total.cycles:,} cycles, {total.visits:,} visits, "
                f"{total.observations:,} observations, {total.evidence:,} evidence "
                f"entries in {elapsed:.1f} s ({connection.vendor}"
                f"{', foreign-key checks off while seeding' if unchecked else ''})"
            )
        )


def _fk_checks_off():
    """On PostgreSQL, skip foreign-key triggers for this transaction when allowed.

    The seeder writes parents before children with ids it allocated, so the
    keys hold; checking 5 M of them row by row is most of COPY's time."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def _reset_sequences():
    models = [
        Cycle,
        CycleLookFor,
        CycleParticipant,
        Visit,
        Visit.observers.through,
        Observation,
        Evidence,
        Debrief,
    ]
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            highest = f'SELECT COALESCE(MAX(id), 1) FROM "{table}"'  # noqa: S608
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({highest}))",
                [table],
            )
