"""Saving evidence: idempotent by client id, checked, never rating anyone."""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from observations import services
from observations.judging import judging_words
from observations.models import Evidence, Goal, GoalCheckIn, Observation
from observations.selectors import look_fors_for_cycle


def test_the_same_client_id_twice_leaves_one_row(cast, visit, in_school):
    client_id = uuid.uuid4()
    first, created = services.evidence_record(
        visit=visit, client_id=client_id, text="Students argued", by=cast.teacher
    )
    again, created_again = services.evidence_record(
        visit=visit,
        client_id=client_id,
        text="Students argued with evidence",
        by=cast.teacher,
    )
    assert created and not created_again
    assert first.pk == again.pk
    assert Evidence.objects.count() == 1
    assert Evidence.objects.get().text == "Students argued with evidence"


def test_a_tally_keeps_the_time_of_the_tap(cast, visit, in_school):
    look_for = look_fors_for_cycle(cycle=visit.cycle)[0]
    tapped_at = visit.starts_at + datetime.timedelta(minutes=3)
    # Sent a little later (the phone was offline), it still keeps the tap's time.
    with time_machine.travel(tapped_at + datetime.timedelta(minutes=9), tick=False):
        entry, _ = services.evidence_record(
            visit=visit,
            client_id=uuid.uuid4(),
            look_for=look_for,
            is_tally=True,
            noted_at=tapped_at,
            by=cast.teacher,
        )
    assert entry.is_tally and entry.noted_at == tapped_at


def test_a_clock_far_in_the_future_is_replaced_by_now(cast, visit, in_school):
    later = timezone.now() + datetime.timedelta(days=2)
    entry, _ = services.evidence_record(
        visit=visit, client_id=uuid.uuid4(), text="x", noted_at=later, by=cast.teacher
    )
    assert entry.noted_at < later - datetime.timedelta(days=1)


def test_empty_evidence_is_refused_with_a_field_message(cast, visit, in_school):
    with pytest.raises(ValidationError) as error:
        services.evidence_record(
            visit=visit, client_id=uuid.uuid4(), text="  ", by=cast.teacher
        )
    assert "text" in error.value.message_dict


def test_a_look_for_of_another_cycle_is_refused(cast, host, visit, in_school):
    from observations.tests.factories import cycle_with_visit

    other = cycle_with_visit(cast.school, host=host, look_fors=("Other thing",))
    foreign = look_fors_for_cycle(cycle=other.cycle)[0]
    with pytest.raises(ValidationError) as error:
        services.evidence_record(
            visit=visit,
            client_id=uuid.uuid4(),
            text="x",
            look_for=foreign,
            by=cast.teacher,
        )
    assert "look_for" in error.value.message_dict


def test_someone_who_is_not_an_observer_cannot_record(cast, visit, in_school):
    with pytest.raises(PermissionDenied):
        services.evidence_record(
            visit=visit, client_id=uuid.uuid4(), text="x", by=cast.outsider
        )


def test_a_client_id_of_someone_elses_entry_is_refused(cast, visit, in_school):
    client_id = uuid.uuid4()
    services.evidence_record(
        visit=visit, client_id=client_id, text="mine", by=cast.teacher
    )
    with pytest.raises(ValidationError):
        services.evidence_record(
            visit=visit, client_id=client_id, text="overwrite", by=cast.coach
        )
    assert Evidence.objects.get().text == "mine"


def test_an_id_another_school_used_is_this_schools_own_entry(cast, visit):
    from django_scopes import scope

    from observations.tests.factories import cycle_with_visit

    client_id = uuid.uuid4()
    elsewhere = cycle_with_visit(
        cast.other_school, host=cast.other_principal, observers=[cast.other_teacher]
    )
    with scope(school=cast.other_school):
        theirs, _ = services.evidence_record(
            visit=elsewhere, client_id=client_id, text="theirs", by=cast.other_teacher
        )
    # Unique per school: no collision, and the other school's row is not read.
    with scope(school=cast.school):
        mine, created = services.evidence_record(
            visit=visit, client_id=client_id, text="mine", by=cast.teacher
        )
        assert created and mine.pk != theirs.pk
        assert list(Evidence.objects.values_list("text", flat=True)) == ["mine"]
    with scope(school=cast.other_school):
        assert Evidence.objects.get().text == "theirs"


def test_evidence_keeps_a_look_for_taken_out_of_its_cycle(cast, visit, in_school):
    from cycles import services as cycle_services
    from cycles.models import CycleLookFor, LookFor

    look_for = look_fors_for_cycle(cycle=visit.cycle)[0]
    entry, _ = services.evidence_record(
        visit=visit,
        client_id=uuid.uuid4(),
        text="Pairs explained",
        look_for=look_for,
        by=cast.teacher,
    )
    # A cycle edit drops the look-for from the cycle; then it is removed.
    CycleLookFor.objects.filter(cycle=visit.cycle, look_for=look_for).delete()
    outcome = cycle_services.look_for_remove(look_for=look_for, by=cast.principal)
    assert outcome == "archived"
    assert LookFor.objects.get(pk=look_for.pk).archived_at is not None
    entry.refresh_from_db()
    assert entry.look_for_id == look_for.pk


def test_the_timer_start_and_stop_are_recorded(cast, visit, in_school):
    services.observation_start(visit=visit, by=cast.teacher)
    observation = services.observation_stop(visit=visit, by=cast.teacher)
    assert observation.started_at <= observation.ended_at
    assert Observation.objects.count() == 1


def test_only_the_host_puts_a_bright_spot_on_the_wall(cast, host, visit, in_school):
    entry, _ = services.evidence_record(
        visit=visit, client_id=uuid.uuid4(), text="x", by=cast.teacher
    )
    services.evidence_mark_bright_spot(
        evidence=entry, bright_spot=True, by=cast.teacher
    )
    with pytest.raises(PermissionDenied):
        services.evidence_share_on_wall(evidence=entry, agreed=True, by=cast.teacher)
    services.evidence_share_on_wall(evidence=entry, agreed=True, by=host)
    assert Evidence.objects.get().on_wall


def test_judging_words_are_found_once_each():
    assert judging_words("Good job, GOOD pacing; they should read") == [
        "good",
        "should",
    ]
    assert judging_words("Students goodbye-waved") == []


@pytest.mark.parametrize("model", [Evidence, Observation, Goal, GoalCheckIn])
def test_no_rating_score_or_grade_field_exists(model):
    names = " ".join(field.name for field in model._meta.get_fields())
    for word in ("rating", "score", "grade"):
        assert word not in names
    assert not any(
        isinstance(field, models.DecimalField | models.FloatField)
        for field in model._meta.get_fields()
    )
