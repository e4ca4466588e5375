"""Writes for observations, evidence, reflections and goals.

Each service is keyword-only, validates first, then writes in one transaction,
and raises ValidationError with a field -> message dict that forms can show.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jel.concurrency import StaleEdit, claim_edit
from jel.models import Membership
from jel.validation import LONG_MAX, NOTE_MAX, check_school_date
from observations.models import (
    EVIDENCE_MAX_CHARS,
    Evidence,
    Goal,
    GoalCheckIn,
    Observation,
    Reflection,
    ReflectionReply,
    SchoolExport,
)
from observations.reminders import (
    bright_spot_sync,
    goal_follow_up_sync,
    reflection_notices_cancel,
    reflection_reply_notify,
    reflection_shared_sync,
)
from observations.selectors import (
    can_capture,
    look_fors_for_cycle,
    reflection_can_read,
    visit_debrief_held,
    visit_has_started,
    visit_not_started_message,
)

logger = logging.getLogger(__name__)

# A phone's clock may be a little ahead; anything further is a wrong clock.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _capped(field: str, value: str, limit: int) -> str:
    """The text stripped; refused past the limit the form and the model hold."""
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(
            {field: f"Keep this to {limit:,} characters (this has {len(value):,})."}
        )
    return value


def _require_text(field: str, value: str, limit: int = NOTE_MAX) -> str:
    value = _capped(field, value, limit)
    if not value:
        raise ValidationError({field: "Please write something here."})
    return value


def _created_once(model, token, create, **mine):
    """Create a row once per form: the same token finds the row made before.

    Returns (row, created). Two submits racing: the loser's insert hits the
    unique constraint and it reads the winner's row.
    """
    if token is None:
        return create(), True
    existing = model.objects.filter(creation_token=token, **mine).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        return model.objects.get(creation_token=token, **mine), False


def _check_cycle_visibility(visibility: str, cycle) -> None:
    if visibility == Reflection.Visibility.CYCLE_GROUP and cycle is None:
        raise ValidationError(
            {"visibility": "Choose a cycle to share this with its group."}
        )


@transaction.atomic
def reflection_create(
    *,
    school,
    body: str,
    visibility: str = Reflection.Visibility.PRIVATE,
    cycle=None,
    visit=None,
    creation_token: uuid.UUID | None = None,
    by,
) -> Reflection:
    """Write a reflection, once per form; private unless the author chooses."""
    body = _require_text("body", body, LONG_MAX)
    if visit is not None and cycle is not None and visit.cycle_id != cycle.pk:
        visit = None  # the writer chose another cycle: the visit no longer fits
    if visit is not None and cycle is None:
        cycle = visit.cycle
    _check_cycle_visibility(visibility, cycle)
    _check_visibility(visibility)
    reflection, created = _created_once(
        Reflection,
        creation_token,
        lambda: Reflection.objects.create(
            school=school,
            author=by,
            body=body,
            visibility=visibility,
            cycle=cycle,
            visit=visit,
            creation_token=creation_token,
        ),
        school=school,
        author=by,
    )
    if created:
        reflection_shared_sync(reflection)
    return reflection


def _check_visibility(visibility: str) -> None:
    if visibility not in Reflection.Visibility.values:
        raise ValidationError({"visibility": "Choose who can read it."})


@transaction.atomic
def reflection_update(
    *,
    reflection: Reflection,
    body: str,
    visibility: str,
    seen_version: int | None = None,
    by,
) -> Reflection:
    """Change a reflection's words or who may read it; only its author may.

    A form drawn before the author's last save (another tab, another device)
    raises StaleEdit and changes nothing: a stale form never re-shares.
    """
    if reflection.author_id != by.pk:
        raise PermissionDenied("Only the author can change a reflection.")
    body = _require_text("body", body, LONG_MAX)
    _check_visibility(visibility)
    _check_cycle_visibility(visibility, reflection.cycle)
    claim_edit(reflection, seen=seen_version)
    reflection.body = body
    reflection.visibility = visibility
    reflection.save(update_fields=["body", "visibility", "updated_at"])
    reflection_shared_sync(reflection)
    return reflection


@transaction.atomic
def reflection_delete(*, reflection: Reflection, by) -> None:
    """Delete a reflection and its replies; only its author may."""
    if reflection.author_id != by.pk:
        raise PermissionDenied("Only the author can delete a reflection.")
    reflection_notices_cancel(reflection)
    reflection.delete()


@transaction.atomic
def reflection_reply(
    *, reflection: Reflection, body: str, by, role: str
) -> ReflectionReply:
    """Answer a reflection the replier may read (its author or a colleague)."""
    if not reflection_can_read(reflection=reflection, user=by, role=role):
        raise PermissionDenied("This reflection is not shared with you.")
    reply = ReflectionReply.objects.create(
        school=reflection.school,
        reflection=reflection,
        author=by,
        body=_require_text("body", body, NOTE_MAX),
    )
    reflection_reply_notify(reply)
    return reply


@transaction.atomic
def goal_create(
    *,
    school,
    text: str,
    follow_up_on: datetime.date | None = None,
    cycle=None,
    creation_token: uuid.UUID | None = None,
    by,
) -> Goal:
    """Set a goal, once per form; the follow-up defaults to 14 days from today."""
    text = _require_text("text", text, NOTE_MAX)
    today = timezone.localdate()
    if follow_up_on is None:
        follow_up_on = Goal._meta.get_field("follow_up_on").get_default()
    _check_date("follow_up_on", follow_up_on)
    if follow_up_on < today:
        raise ValidationError({"follow_up_on": "Choose today or a later day."})
    goal, created = _created_once(
        Goal,
        creation_token,
        lambda: Goal.objects.create(
            school=school,
            owner=by,
            text=text,
            follow_up_on=follow_up_on,
            cycle=cycle,
            creation_token=creation_token,
        ),
        school=school,
        owner=by,
    )
    if created:
        goal_follow_up_sync(goal)
    return goal


def _check_date(field: str, value: datetime.date | None) -> None:
    try:
        check_school_date(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


@transaction.atomic
def goal_check_in(
    *,
    goal: Goal,
    tried: bool,
    results_as_anticipated: str = "",
    why: str = "",
    next_follow_up_on: datetime.date | None = None,
    seen_version: int | None = None,
    creation_token: uuid.UUID | None = None,
    by,
) -> GoalCheckIn:
    """Record a check-in, once per form; the next follow-up is the date given,
    or none. A form drawn before the goal's last change raises StaleEdit."""
    if goal.owner_id != by.pk:
        raise PermissionDenied("Only the goal's owner checks in on it.")
    if not tried and results_as_anticipated:
        raise ValidationError(
            {"results_as_anticipated": "Results only apply to something you tried."}
        )
    if tried and not results_as_anticipated:
        raise ValidationError(
            {"results_as_anticipated": "Say whether you got the results you expected."}
        )
    if results_as_anticipated and (
        results_as_anticipated not in GoalCheckIn.Results.values
    ):
        raise ValidationError({"results_as_anticipated": "Choose yes, partly or no."})
    why = _capped("why", why, NOTE_MAX)
    _check_date("next_follow_up_on", next_follow_up_on)
    if next_follow_up_on is not None and next_follow_up_on <= timezone.localdate():
        raise ValidationError({"next_follow_up_on": "Choose a day after today."})
    # The same form sent twice: the first send made the check-in.
    done = GoalCheckIn.objects.filter(goal=goal, creation_token=creation_token)
    if creation_token is not None and done.exists():
        return done.get()
    try:
        claim_edit(goal, seen=seen_version)
    except StaleEdit:
        # Two sends raced: the other one's check-in moved the version.
        if creation_token is not None and done.exists():
            return done.get()
        raise
    check_in = GoalCheckIn.objects.create(
        school=goal.school,
        goal=goal,
        tried=tried,
        results_as_anticipated=results_as_anticipated if tried else "",
        why=why,
        creation_token=creation_token,
    )
    goal.follow_up_on = next_follow_up_on
    goal.save(update_fields=["follow_up_on"])
    goal_follow_up_sync(goal)
    return check_in


# --- Observations and evidence ---------------------------------------------------


def _observation_for(*, visit, by) -> Observation:
    if not can_capture(visit=visit, user=by):
        raise PermissionDenied("Only the visit's observers record evidence.")
    observation, _ = Observation.objects.get_or_create(
        visit=visit, observer=by, defaults={"school_id": visit.school_id}
    )
    # Already loaded: saves the queries the answer would make to show them.
    observation.visit = visit
    observation.observer = by
    return observation


def _check_visit_open(visit) -> None:
    """Evidence is written from the visit's start until its debrief is held."""
    if not visit_has_started(visit=visit):
        raise ValidationError({"__all__": visit_not_started_message(visit=visit)})
    debrief = visit_debrief_held(visit=visit)
    if debrief is not None:
        held = timezone.localtime(debrief.held_at)
        raise ValidationError(
            {
                "__all__": "The debrief was held on "
                f"{held:%A} {held.day} {held:%B}: this visit's entries are "
                "locked as the group discussed them."
            }
        )


@transaction.atomic
def observation_start(*, visit, by) -> Observation:
    """Start the observer's timer; a running timer keeps its start, a stopped one
    resumes from its first start (stopped too soon: the visit is one span, and
    its start is what the dashboards and the debrief read). Not before the
    visit has started."""
    if not can_capture(visit=visit, user=by):
        raise PermissionDenied("Only the visit's observers record evidence.")
    if not visit_has_started(visit=visit):
        raise ValidationError({"started_at": visit_not_started_message(visit=visit)})
    observation = _observation_for(visit=visit, by=by)
    if observation.started_at is None:
        observation.started_at = timezone.now()
        observation.ended_at = None
        observation.save(update_fields=["started_at", "ended_at"])
    elif observation.ended_at is not None:
        observation.ended_at = None
        observation.save(update_fields=["ended_at"])
    return observation


@transaction.atomic
def observation_stop(*, visit, by) -> Observation:
    """Stop the observer's timer."""
    observation = _observation_for(visit=visit, by=by)
    if observation.started_at is None:
        raise ValidationError({"started_at": "The timer has not been started."})
    if observation.ended_at is None:
        observation.ended_at = timezone.now()
        observation.save(update_fields=["ended_at"])
    return observation


EVIDENCE_FIELDS = ("text", "what", "so_what", "now_what")


def _evidence_words(**values) -> dict[str, str]:
    words = {name: (values.get(name) or "").strip() for name in EVIDENCE_FIELDS}
    for name, value in words.items():
        if len(value) > EVIDENCE_MAX_CHARS:
            raise ValidationError(
                {
                    name: f"Keep an entry to {EVIDENCE_MAX_CHARS:,} characters "
                    f"(this one has {len(value):,}): save it as two entries."
                }
            )
    return words


@transaction.atomic
def evidence_record(
    *,
    visit,
    client_id: uuid.UUID,
    text: str = "",
    look_for=None,
    student_focus: str = "",
    is_tally: bool = False,
    what: str = "",
    so_what: str = "",
    now_what: str = "",
    noted_at: datetime.datetime | None = None,
    by,
) -> tuple[Evidence, bool]:
    """Save an entry by its client id: the first save creates, later ones update.

    Returns (evidence, created). Sending the same entry twice (a retry after a
    dropped connection) leaves one row.
    """
    words = _evidence_words(text=text, what=what, so_what=so_what, now_what=now_what)
    if is_tally and look_for is None:
        raise ValidationError({"look_for": "A tally needs the look-for it counts."})
    if not is_tally and not any(words.values()):
        raise ValidationError({"text": "Write what students were doing or saying."})
    if look_for is not None and look_for not in look_fors_for_cycle(cycle=visit.cycle):
        raise ValidationError({"look_for": "Choose one of this cycle's look-fors."})
    if student_focus and student_focus not in Evidence.StudentFocus.values:
        raise ValidationError({"student_focus": "Choose doing, saying or thinking."})
    if not can_capture(visit=visit, user=by):
        raise PermissionDenied("Only the visit's observers record evidence.")
    _check_visit_open(visit)
    now = timezone.now()
    if noted_at is None or noted_at > now + CLOCK_SKEW:
        noted_at = now
    # An entry begun a moment before the start time (a phone's clock) counts
    # from the start.
    if visit.starts_at is not None and noted_at < visit.starts_at:
        noted_at = visit.starts_at
    observation = _observation_for(visit=visit, by=by)
    values = {
        **words,
        "look_for": look_for,
        "student_focus": student_focus or "",
        "is_tally": is_tally,
    }
    # The id is the browser's and unique per school: another school's entry
    # with the same id is another entry, never read here.
    same_entry = {"school_id": visit.school_id, "client_id": client_id}
    existing = Evidence.objects.filter(**same_entry).first()
    if existing is None:
        try:
            with transaction.atomic():
                evidence = Evidence.objects.create(
                    school_id=visit.school_id,
                    observation=observation,
                    client_id=client_id,
                    noted_at=noted_at,
                    **values,
                )
            return evidence, True
        except IntegrityError:
            # Two sends of the same entry raced; the other one created it.
            existing = Evidence.objects.get(**same_entry)
    if existing.observation_id != observation.pk:
        raise ValidationError({"client_id": "This entry id belongs to another entry."})
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    return existing, False


def _check_author(evidence: Evidence, by, doing: str) -> None:
    if evidence.observation.observer_id != by.pk:
        raise PermissionDenied(f"Only the person who wrote an entry {doing} it.")
    _check_visit_open(evidence.observation.visit)


@transaction.atomic
def evidence_update(
    *,
    evidence: Evidence,
    text: str = "",
    look_for=None,
    student_focus: str = "",
    what: str = "",
    so_what: str = "",
    now_what: str = "",
    by,
) -> Evidence:
    """The author changes an entry's words or tags, until the debrief is held."""
    _check_author(evidence, by, "changes")
    visit = evidence.observation.visit
    words = _evidence_words(text=text, what=what, so_what=so_what, now_what=now_what)
    if not evidence.is_tally and not any(words.values()):
        raise ValidationError(
            {"text": "Write what students were doing or saying, or delete the entry."}
        )
    if evidence.is_tally and look_for is None:
        raise ValidationError({"look_for": "A tally needs the look-for it counts."})
    if look_for is not None and look_for not in look_fors_for_cycle(cycle=visit.cycle):
        raise ValidationError({"look_for": "Choose one of this cycle's look-fors."})
    if student_focus and student_focus not in Evidence.StudentFocus.values:
        raise ValidationError({"student_focus": "Choose doing, saying or thinking."})
    for name, value in words.items():
        setattr(evidence, name, value)
    evidence.look_for = look_for
    evidence.student_focus = student_focus or ""
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by) -> None:
    """The author deletes an entry, until the debrief is held."""
    _check_author(evidence, by, "deletes")
    evidence.delete()


@transaction.atomic
def evidence_mark_bright_spot(*, evidence: Evidence, bright_spot: bool, by) -> Evidence:
    """The observer marks (or unmarks) an entry as a bright spot for the host."""
    if evidence.observation.observer_id != by.pk:
        raise PermissionDenied("Only the person who wrote it marks a bright spot.")
    evidence.bright_spot = bright_spot
    if not bright_spot:
        evidence.host_agreed_to_wall_at = None
    evidence.save(update_fields=["bright_spot", "host_agreed_to_wall_at", "updated_at"])
    bright_spot_sync(evidence)
    return evidence


@transaction.atomic
def evidence_share_on_wall(*, evidence: Evidence, agreed: bool, by) -> Evidence:
    """The host agrees (or stops agreeing) to show a bright spot on the wall."""
    if evidence.observation.visit.host_id != by.pk:
        raise PermissionDenied("Only the host decides what goes on the wall.")
    if not evidence.bright_spot:
        raise ValidationError({"bright_spot": "Only bright spots go on the wall."})
    evidence.host_agreed_to_wall_at = timezone.now() if agreed else None
    evidence.save(update_fields=["host_agreed_to_wall_at", "updated_at"])
    bright_spot_sync(evidence)
    return evidence


@transaction.atomic
def bright_spots_mark_read(*, host) -> int:
    """The host has read the notes of thanks from their room; returns how many."""
    return Evidence.objects.filter(
        observation__visit__host=host, bright_spot=True, host_thanked_at=None
    ).update(host_thanked_at=timezone.now())


# --- A school's whole data out (issue 18) ----------------------------------------


@transaction.atomic
def school_export_request(*, school, by, role: str) -> SchoolExport:
    """Queue a download of the school's whole data for `by`, read as `role`.

    A second request while one is still being written returns that one (a
    double click makes one export, not two).
    """
    waiting = SchoolExport.objects.filter(
        school=school,
        requested_by=by,
        status__in=(SchoolExport.Status.QUEUED, SchoolExport.Status.RUNNING),
    ).first()
    if waiting is not None:
        return waiting
    export = SchoolExport.objects.create(
        school=school, requested_by=by, role=role, step="Waiting to start"
    )
    # Imported here: the task module imports this one.
    from observations.tasks import build_school_export

    build_school_export.delay_on_commit(export.pk)
    return export


def school_export_write(*, export: SchoolExport) -> SchoolExport:
    """Write the export's zip under VAR_DIR, moving its progress as it goes.

    Not one transaction on purpose: the progress rows must commit while the
    zip is written, so the page polling them sees them move.
    """
    from jel.permissions import can
    from observations import school_export

    membership = Membership.objects.filter(
        user=export.requested_by, school=export.school, is_active=True
    ).first()
    if membership is None or not can(membership, "export_school_data"):
        return _export_failed(export, "You no longer hold a role that may export.")
    rows = SchoolExport.objects.filter(pk=export.pk)

    def progress(percent: int, step: str):
        rows.update(status=SchoolExport.Status.RUNNING, progress=percent, step=step)

    progress(0, "Starting")
    try:
        body, count = school_export.build(
            school=export.school,
            user=export.requested_by,
            role=membership.role,
            progress=progress,
        )
        file_name = school_export.new_file_name(
            school_id=export.school_id, run_id=export.pk
        )
        path = settings.VAR_DIR / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    except Exception as error:  # the row says it failed; the log says why
        logger.exception("school export %s failed", export.pk)
        return _export_failed(export, f"The export could not be written ({error}).")
    rows.update(
        status=SchoolExport.Status.DONE,
        progress=100,
        step="Ready",
        file_name=file_name,
        size=len(body),
        rows=count,
        role=membership.role,
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


def _export_failed(export: SchoolExport, reason: str) -> SchoolExport:
    SchoolExport.objects.filter(pk=export.pk).update(
        status=SchoolExport.Status.FAILED,
        step="Failed",
        error=reason,
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export
