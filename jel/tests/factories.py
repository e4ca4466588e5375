import factory
from django_scopes import scopes_disabled

from jel.models import District, Membership, Role, School, StaffProfile, User

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"District {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    time_zone = "America/New_York"
    grade_levels = factory.LazyFunction(lambda: [6, 7, 8])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@school.example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER


def staff(
    school, role=Role.TEACHER, *, years=5, department="Mathematics", grades=(7,), **user
):
    """A user with a membership and a staff profile in school."""
    membership = MembershipFactory(school=school, role=role, user=UserFactory(**user))
    with scopes_disabled():
        StaffProfile.objects.create(
            school=school,
            membership=membership,
            years_experience=years,
            department=department,
            grade_levels=list(grades),
        )
    return membership.user
