"""The demo district: one middle school with about 40 staff.

Everything is keyed by a stable natural key (e-mail, name) so running the seed
again finds what is there and changes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_scopes import scopes_disabled

from jel.models import District, Membership, Role, School, StaffProfile, User

DEMO_PASSWORD = "jel-demo-2026"  # noqa: S105 - printed on purpose for the demo
DEMO_DOMAIN = "jefferson.example.org"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: str
    department: str = ""
    years: int = 10
    grades: tuple[int, ...] = (6, 7, 8)


LEADERS = [
    DemoPerson("principal", "Patricia Alvarez", Role.PRINCIPAL, "Administration", 18),
    DemoPerson("ap", "Marcus Greene", Role.PRINCIPAL, "Administration", 12),
    DemoPerson("coach", "Camille Ortiz", Role.COACH, "Instructional coaching", 14),
    DemoPerson("coach2", "Devon Park", Role.COACH, "Instructional coaching", 9),
    DemoPerson(
        "mentor", "Helen Brooks", Role.MENTOR, "English Language Arts", 22, (7,)
    ),
    DemoPerson("district", "Dana Whitfield", Role.DISTRICT, "District office", 20),
]

# (department, [(first name, last name, years, grade)])
TEACHERS = {
    "English Language Arts": [
        ("Tara", "Nguyen", 1, 6),
        ("Samuel", "Okafor", 7, 6),
        ("Lena", "Fischer", 15, 7),
        ("Jamal", "Wright", 2, 8),
        ("Grace", "Kim", 11, 8),
    ],
    "Mathematics": [
        ("Omar", "Haddad", 4, 6),
        ("Priya", "Raman", 0, 6),
        ("Ben", "Carter", 19, 7),
        ("Sofia", "Rossi", 6, 7),
        ("Elijah", "Moore", 1, 8),
        ("Hannah", "Lee", 9, 8),
    ],
    "Science": [
        ("Isabel", "Santos", 3, 6),
        ("Noah", "Bennett", 13, 7),
        ("Maya", "Patel", 2, 7),
        ("Victor", "Chen", 21, 8),
        ("Ruth", "Adams", 8, 8),
    ],
    "Social Studies": [
        ("Aaron", "Schwartz", 5, 6),
        ("Keisha", "Johnson", 16, 7),
        ("Luis", "Ramirez", 1, 8),
        ("Emma", "Walsh", 10, 8),
    ],
    "Special Education": [
        ("Nadia", "Hussein", 6, 6),
        ("Paul", "Dubois", 12, 7),
        ("Zoe", "Martin", 2, 8),
    ],
    "World Languages": [("Carmen", "Vega", 8, 7), ("Yuki", "Tanaka", 3, 8)],
    "Visual and Performing Arts": [
        ("Oliver", "Grant", 17, 7),
        ("Ivy", "Morales", 4, 6),
        ("Felix", "Novak", 1, 8),
    ],
    "Physical Education": [("Derek", "Young", 14, 7), ("Amara", "Obi", 5, 6)],
    "English Learner Support": [("Rosa", "Delgado", 9, 7), ("Kofi", "Mensah", 0, 6)],
}


def demo_people() -> list[DemoPerson]:
    people = [
        DemoPerson(
            f"{p.email}@{DEMO_DOMAIN}",
            p.full_name,
            p.role,
            p.department,
            p.years,
            p.grades,
        )
        for p in LEADERS
    ]
    for department, teachers in TEACHERS.items():
        for first, last, years, grade in teachers:
            people.append(
                DemoPerson(
                    f"{first}.{last}@{DEMO_DOMAIN}".lower(),
                    f"{first} {last}",
                    Role.TEACHER,
                    department,
                    years,
                    (grade,),
                )
            )
    return people


# The teacher the README names as the demo teacher sign-in.
DEMO_TEACHER_EMAIL = f"tara.nguyen@{DEMO_DOMAIN}"


@scopes_disabled()
@transaction.atomic
def seed_core() -> School:
    """Create (or find) the demo district, school and staff."""
    district, _ = District.objects.get_or_create(
        name="Riverside Unified School District"
    )
    school, _ = School.objects.get_or_create(
        district=district,
        name="Jefferson Middle School",
        defaults={"time_zone": "America/New_York", "grade_levels": [6, 7, 8]},
    )
    # Hashing is slow on purpose; every demo account shares one password, so
    # hash it once rather than forty times.
    password = None
    for person in demo_people():
        user = User.objects.filter(email=person.email).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            user = User.objects.create_user(
                person.email, None, full_name=person.full_name
            )
            user.password = password
            user.save(update_fields=["password"])
        membership, _ = Membership.objects.get_or_create(
            user=user, school=school, defaults={"role": person.role}
        )
        StaffProfile.objects.get_or_create(
            membership=membership,
            defaults={
                "school": school,
                "years_experience": person.years,
                "department": person.department,
                "grade_levels": list(person.grades),
            },
        )
    return school
