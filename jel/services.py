"""Writes of the core: reminders (scheduled, moved, cancelled, delivered).

Reminders are rows with a unique key (kind, about, recipient, due time). The
apps that own the events derive them: when a visit is planned, moved or
cancelled, its app calls `reminders_sync` in the same transaction with the full
set of reminders it should have now. A periodic job claims due rows and a task
delivers each; the row's state, not Celery, makes delivery exactly once.
"""

import datetime
import email.utils
import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from jel.concurrency import claim_edit
from jel.models import (
    Membership,
    NotificationSettings,
    OutboundEmail,
    Reminder,
    ReminderKind,
    ReminderState,
    ReminderTimings,
    School,
    User,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_BACKOFF = [datetime.timedelta(minutes=1), datetime.timedelta(minutes=5)]
# A claimed row whose task never finished (worker killed, broker restarted and
# the message lost) goes back to pending after this long.
STALE_CLAIM = datetime.timedelta(
    seconds=getattr(settings, "JEL_REMINDER_STALE_CLAIM_SECONDS", 300)
)


# A reminder's subject becomes its e-mail's: the two columns are one size.
SUBJECT_MAX = min(
    Reminder._meta.get_field("subject").max_length,
    OutboundEmail._meta.get_field("subject").max_length,
)


def fit_subject(text: str, *, end: str = "") -> str:
    """A reminder's or e-mail's subject as it is stored and sent: one line (it is
    an e-mail header) that fits its column whatever the title it carries
    ("In 15 minutes: " + a 200-character visit title does not), the text
    shortened with an ellipsis so that `end` (a count) always shows."""
    text = " ".join(str(text).split())
    room = SUBJECT_MAX - len(end)
    if len(text) > room:
        text = text[: room - 1].rstrip() + "\u2026"
    return text + end


@dataclass(frozen=True)
class ReminderSpec:
    """One reminder an event should have: who, what kind, when, and what it says.

    Its subject fits the column by construction (fit_subject), for every app
    that derives reminders.
    """

    kind: str
    recipient: User
    due_at: datetime.datetime
    subject: str
    body: str
    link: str = ""
    ics: str = ""
    is_deadline: bool = False
    # Same kind, same person, same fold key: one notice (a block's visits, a day).
    fold: str = ""

    def __post_init__(self):
        object.__setattr__(self, "subject", fit_subject(self.subject))


def school_time(
    school: School, day: datetime.date, at: datetime.time
) -> datetime.datetime:
    """The aware instant of a wall-clock time on a day in the school's time zone."""
    return datetime.datetime.combine(day, at, tzinfo=school.tz)


@transaction.atomic
def reminders_sync(
    *,
    school: School,
    about: str,
    wanted: list[ReminderSpec],
    too_late_after: datetime.timedelta = datetime.timedelta(hours=1),
) -> dict:
    """Make the pending reminders about one thing match `wanted`; report counts."""
    now = timezone.now()
    pending = {
        (r.kind, r.recipient_id, r.due_at): r
        for r in Reminder.objects.select_for_update().filter(
            about=about, state=ReminderState.PENDING
        )
    }
    # Rows already sent (or failed) are never sent again; a cancelled row whose
    # event comes back to the same time (moved away and back) is revived.
    existing = {
        (kind, recipient_id, due_at): (pk, state)
        for pk, kind, recipient_id, due_at, state in Reminder.objects.filter(
            about=about
        ).values_list("pk", "kind", "recipient_id", "due_at", "state")
    }
    created = updated = 0
    keep = set()
    for spec in wanted:
        key = (spec.kind, spec.recipient.pk, spec.due_at)
        keep.add(key)
        if key in pending:
            row = pending[key]
            fields = {"subject": spec.subject, "body": spec.body, "link": spec.link}
            fields |= {"ics": spec.ics, "is_deadline": spec.is_deadline}
            fields["fold_key"] = spec.fold
            if any(getattr(row, name) != value for name, value in fields.items()):
                Reminder.objects.filter(pk=row.pk).update(**fields)
                updated += 1
        elif spec.due_at < now - too_late_after:
            continue  # an event planned after its reminder time: too late to remind
        elif key in existing and existing[key][1] == ReminderState.CANCELLED:
            Reminder.objects.filter(pk=existing[key][0]).update(
                state=ReminderState.PENDING,
                send_after=spec.due_at,
                attempts=0,
                last_error="",
                subject=spec.subject,
                body=spec.body,
                link=spec.link,
                ics=spec.ics,
                is_deadline=spec.is_deadline,
                fold_key=spec.fold,
            )
            created += 1
        elif key not in existing:
            Reminder.objects.create(
                school=school,
                about=about,
                kind=spec.kind,
                recipient=spec.recipient,
                due_at=spec.due_at,
                send_after=spec.due_at,
                subject=spec.subject,
                body=spec.body,
                link=spec.link,
                ics=spec.ics,
                is_deadline=spec.is_deadline,
                fold_key=spec.fold,
            )
            created += 1
    stale = [row.pk for key, row in pending.items() if key not in keep]
    cancelled = Reminder.objects.filter(pk__in=stale).update(
        state=ReminderState.CANCELLED
    )
    return {"created": created, "updated": updated, "cancelled": cancelled}


def reminders_cancel(*, school: School, about: str) -> int:
    """Cancel every pending reminder about one thing (it was cancelled or deleted)."""
    return reminders_sync(school=school, about=about, wanted=[])["cancelled"]


def reminders_claim_due(
    *, now: datetime.datetime | None = None, limit: int = 1000
) -> list[int]:
    """Claim due pending reminders for delivery; each row is claimed once.

    `select_for_update(skip_locked=True)` lets several beat runs or workers claim
    side by side on PostgreSQL; the conditional update on state makes the claim
    safe on SQLite too, where the first writer holds the database lock.
    """
    now = now or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        Reminder.objects.filter(
            state=ReminderState.SENDING, claimed_at__lt=now - STALE_CLAIM
        ).update(state=ReminderState.PENDING, claim_token=None)
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(state=ReminderState.PENDING, send_after__lte=now)
            .order_by("send_after")
            .values_list("pk", flat=True)[:limit]
        )
        Reminder.objects.filter(pk__in=ids, state=ReminderState.PENDING).update(
            state=ReminderState.SENDING, claim_token=token, claimed_at=now
        )
    return list(Reminder.objects.filter(claim_token=token).values_list("pk", flat=True))


def _settings_for(reminder: Reminder) -> NotificationSettings | None:
    membership = Membership.objects.filter(
        user_id=reminder.recipient_id, school_id=reminder.school_id, is_active=True
    ).first()
    if membership is None:
        return None
    return NotificationSettings.for_membership(membership)


def quiet_hours_end(
    settings_obj: NotificationSettings, school: School, now: datetime.datetime
) -> datetime.datetime | None:
    """When quiet hours end, if `now` falls in them (school time); else None."""
    local = now.astimezone(school.tz)
    start, end = settings_obj.quiet_start, settings_obj.quiet_end
    t = local.time()
    in_quiet = (t >= start or t < end) if start > end else (start <= t < end)
    if not in_quiet:
        return None
    day = local.date() if t < end else local.date() + datetime.timedelta(days=1)
    return school_time(school, day, end)


def _absolute(link: str) -> str:
    return f"{settings.JEL_BASE_URL}{link}" if link else ""


def _email_for(reminder: Reminder) -> dict:
    context = {
        "reminder": reminder,
        "url": _absolute(reminder.link),
        "items": [
            {"text": item.get("text", ""), "url": _absolute(item.get("link", ""))}
            for item in reminder.items
        ],
    }
    return {
        "subject": reminder.subject,
        "text": render_to_string("emails/reminder.txt", context),
        "html": render_to_string("emails/reminder.html", context),
    }


def reminder_deliver(*, reminder_id: int, now: datetime.datetime | None = None) -> str:
    """Deliver one claimed reminder: write its e-mail to the outbox and mark it sent,
    in one transaction. Returns what happened, for logs and tests.

    Its block (same kind, person and fold key) goes out with it as one notice;
    past the person's daily cap a notice that is not a deadline waits in the
    day's "more today" notice instead of coming on its own.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            reminder = _lock_with_block(reminder_id)
            if reminder is None:
                return "skipped"  # delivered, cancelled or re-claimed elsewhere
            if not reminder.is_deadline and _over_daily_cap(reminder, now):
                _fold_into_more_today(reminder, now)
                return "folded into more today"
            prefs = _settings_for(reminder)
            outcome = "in-app only"
            if prefs is not None and prefs.wants_email(reminder.kind):
                resume = quiet_hours_end(prefs, reminder.school, now)
                if resume is not None and not reminder.is_deadline:
                    reminder.state = ReminderState.PENDING
                    reminder.send_after = resume
                    reminder.claim_token = None
                    reminder.save(update_fields=["state", "send_after", "claim_token"])
                    return "delayed for quiet hours"
                outbound_queue(
                    school=reminder.school,
                    key=f"reminder:{reminder.pk}",
                    to=reminder.recipient.email,
                    ics=reminder.ics,
                    **_email_for(reminder),
                )
                outcome = "e-mailed"
            reminder.state = ReminderState.SENT
            reminder.sent_at = now
            reminder.attempts = F("attempts") + 1
            reminder.save(update_fields=["state", "sent_at", "attempts"])
            return outcome
    except Exception as exc:
        _record_failure(reminder_id, exc, now)
        raise


def _lock_with_block(reminder_id: int) -> Reminder | None:
    """Lock a claimed reminder and fold the rest of its block into it.

    The block's rows are locked together in primary-key order, so two tasks
    delivering two notices of one block cannot deadlock; the one that gets the
    locks first sends the block, the other finds its row folded and skips.
    """
    head = (
        Reminder.objects.filter(pk=reminder_id)
        .values("recipient_id", "kind", "fold_key")
        .first()
    )
    if head is None:
        return None
    rows = Reminder.objects.filter(pk=reminder_id)
    if head["fold_key"]:
        rows = Reminder.objects.filter(
            recipient_id=head["recipient_id"],
            kind=head["kind"],
            fold_key=head["fold_key"],
            state__in=[ReminderState.PENDING, ReminderState.SENDING],
        )
    block = list(
        rows.select_for_update().select_related("school", "recipient").order_by("pk")
    )
    reminder = next(
        (r for r in block if r.pk == reminder_id and r.state == ReminderState.SENDING),
        None,
    )
    if reminder is None:
        return None
    others = [r for r in block if r.pk != reminder.pk]
    if others:
        # A row folded before (a retry, a quiet-hours wait) keeps its subject's
        # own words and its items; the rest join in time order.
        base = reminder.subject
        if reminder.items:
            base = base.rsplit(" (", 1)[0]
            items = list(reminder.items)
            joining = sorted(others, key=lambda r: (r.due_at, r.pk))
        else:
            items = []
            joining = sorted([reminder, *others], key=lambda r: (r.due_at, r.pk))
        items += [_item(r) for r in joining]
        noun = _block_noun(reminder.kind, len(items))
        reminder.items = items
        reminder.subject = fit_subject(base, end=f" ({noun})")
        reminder.body = f"One notice for {noun}, each with its own link:"
        reminder.save(update_fields=["items", "subject", "body"])
        Reminder.objects.filter(pk__in=[r.pk for r in others]).update(
            state=ReminderState.FOLDED, folded_into=reminder, claim_token=None
        )
    return reminder


def _item(reminder: Reminder) -> dict:
    return {"text": reminder.body, "link": reminder.link, "kind": reminder.kind}


def _block_noun(kind: str, count: int) -> str:
    """What a block holds: "3 visits", "2 bright spots"."""
    if kind == ReminderKind.BRIGHT_SPOT:
        noun = ngettext("%(n)d bright spot", "%(n)d bright spots", count)
    else:
        noun = ngettext("%(n)d visit", "%(n)d visits", count)
    return noun % {"n": count}


def daily_cap_counted(*, recipient_id: int, school: School, day: datetime.date):
    """The notices that count towards a person's cap on a day (school time):
    sent, not deadlines, not the "more today" notice itself."""
    start = school_time(school, day, datetime.time(0, 0))
    end = school_time(school, day + datetime.timedelta(days=1), datetime.time(0, 0))
    return Reminder.objects.filter(
        recipient_id=recipient_id,
        school=school,
        state=ReminderState.SENT,
        sent_at__gte=start,
        sent_at__lt=end,
        is_deadline=False,
    ).exclude(kind=ReminderKind.MORE_TODAY)


def _more_today_about(day: datetime.date) -> str:
    return f"more-today:{day.isoformat()}"


def _over_daily_cap(reminder: Reminder, now: datetime.datetime) -> bool:
    """True when this notice would pass the person's cap for today.

    The cap counts the "more today" notice too, so a cap of 6 leaves 5 for
    notices on their own. Once today's "more today" has gone out, a late notice
    comes on its own rather than wait for tomorrow.
    """
    if reminder.kind == ReminderKind.MORE_TODAY:
        return False
    school = reminder.school
    day = now.astimezone(school.tz).date()
    cap = ReminderTimings.for_school(school).daily_cap
    sent = daily_cap_counted(recipient_id=reminder.recipient_id, school=school, day=day)
    if sent.count() < cap - 1:
        return False
    more_sent = Reminder.objects.filter(
        recipient_id=reminder.recipient_id,
        kind=ReminderKind.MORE_TODAY,
        about=_more_today_about(day),
        state=ReminderState.SENT,
    ).exists()
    return not more_sent


def _fold_into_more_today(reminder: Reminder, now: datetime.datetime) -> Reminder:
    """Put a notice into the person's "more today" notice (one row a day)."""
    school = reminder.school
    day = now.astimezone(school.tz).date()
    at = ReminderTimings.for_school(school).more_today_at
    due = max(school_time(school, day, at), now)
    more, _created = Reminder.objects.get_or_create(
        kind=ReminderKind.MORE_TODAY,
        about=_more_today_about(day),
        recipient_id=reminder.recipient_id,
        defaults={
            "school": school,
            "due_at": due,
            "send_after": due,
            "subject": "More from JEL today",
            "body": "",
            "link": reverse("notifications"),
        },
    )
    more = Reminder.objects.select_for_update().get(pk=more.pk)
    items = list(more.items)
    own = {"text": reminder.subject, "link": reminder.link, "kind": reminder.kind}
    items += [{**item, "kind": reminder.kind} for item in reminder.items] or [own]
    more.items = items
    count = len(items)
    more.body = ngettext(
        "You reached today's limit of notices; here is one more.",
        "You reached today's limit of notices; here are %(n)d more.",
        count,
    ) % {"n": count}
    more.save(update_fields=["items", "body"])
    reminder.state = ReminderState.FOLDED
    reminder.folded_into = more
    reminder.claim_token = None
    reminder.save(update_fields=["state", "folded_into", "claim_token"])
    return more


def outbound_queue(
    *,
    school: School,
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    ics: str = "",
    reply_to: User | None = None,
) -> OutboundEmail:
    """Decide to send one e-mail: write it to the outbox and ship it after commit.

    Every e-mail JEL sends goes through here. The key is unique: queueing the
    same key again (a retried task, a double click) changes nothing. `reply_to`
    is the person the message is from, if there is one: replies go to them.
    """
    outbound, created = OutboundEmail.objects.get_or_create(
        key=key,
        defaults={
            "school": school,
            "to": to,
            "reply_to": mailbox(reply_to) if reply_to else "",
            "subject": fit_subject(subject),
            "text": text,
            "html": html,
            "ics": ics,
        },
    )
    if created:
        transaction.on_commit(lambda: _ship_now(outbound.pk))
    return outbound


def _record_failure(reminder_id: int, exc: Exception, now: datetime.datetime) -> None:
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().filter(pk=reminder_id).first()
        if reminder is None or reminder.state != ReminderState.SENDING:
            return
        reminder.attempts += 1
        reminder.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
        reminder.claim_token = None
        if reminder.attempts >= MAX_ATTEMPTS:
            reminder.state = ReminderState.FAILED
        else:
            reminder.state = ReminderState.PENDING
            reminder.send_after = now + RETRY_BACKOFF[reminder.attempts - 1]
        reminder.save()


def _ship_now(outbound_id: int) -> None:
    """Ship right after the commit; if it fails, the beat job ships it later.

    The row is named by its id, whatever scope the commit happens in (a
    request's, a task's or none), so shipping looks it up unscoped on purpose.
    """
    try:
        with scopes_disabled():
            outbound_ship(outbound_id=outbound_id)
    except Exception:
        log.exception(
            "e-mail shipping failed; will retry", extra={"outbound": outbound_id}
        )


def mail_domain() -> str:
    """The domain of JEL's Message-IDs: the host of JEL_BASE_URL."""
    return urlsplit(settings.JEL_BASE_URL).hostname or "localhost"


def mailbox(user: User) -> str:
    """A person as an e-mail address with their name ("Pat Lee <pat@...>")."""
    return email.utils.formataddr((user.full_name, user.email))


def mail_headers(*, message_id: str, at: datetime.datetime) -> dict[str, str]:
    """Message-ID at JEL's own domain and a Date with its zone (Django's own Date
    says -0000, "zone unknown", unless EMAIL_USE_LOCALTIME)."""
    # A Message-ID's left part is a dot-atom: keys carry ':' and '@'. A long
    # one (a coverage plan's) becomes its first word and a digest, so the header
    # fits one line.
    local = re.sub(r"[^A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+", ".", message_id).strip(".")
    if len(local) > 40:
        digest = hashlib.sha256(message_id.encode()).hexdigest()[:20]
        local = f"{local.split('.')[0][:19]}.{digest}"
    return {
        "Message-ID": f"<{local}@{mail_domain()}>",
        "Date": email.utils.format_datetime(at),
    }


def _message_for(outbound: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=outbound.subject,
        body=outbound.text,
        to=[outbound.to],
        reply_to=[outbound.reply_to] if outbound.reply_to else None,
        headers={
            # Both from the row, so a resend after a crash is the same message.
            **mail_headers(
                message_id=f"{outbound.key}.{outbound.pk}",
                at=outbound.created_at.astimezone(outbound.school.tz),
            ),
            "X-JEL-Key": outbound.key,
        },
    )
    if outbound.html:
        message.attach_alternative(outbound.html, "text/html")
    if outbound.ics:
        message.attach("invite.ics", outbound.ics, "text/calendar; method=PUBLISH")
    return message


def _unclaimed(now: datetime.datetime):
    """Outbox rows nobody is shipping now (or whose shipper died long ago)."""
    return OutboundEmail.objects.filter(shipped_at__isnull=True).filter(
        Q(shipping_since__isnull=True) | Q(shipping_since__lt=now - STALE_CLAIM)
    )


def outbound_ship(*, outbound_id: int, now: datetime.datetime | None = None) -> bool:
    """Hand one outbox e-mail to the mail server; True if it went out now.

    Claim, send, mark: the claim is committed before the mail server is called,
    so no lock is held across the network and a second shipper (a requeued
    task, another worker) skips the row. The send and the mark are adjacent
    (one UPDATE by primary key in autocommit): the only window in which a kill
    causes a resend is between the server's acceptance and that UPDATE.
    """
    now = now or timezone.now()
    token = uuid.uuid4()
    claimed = (
        _unclaimed(now)
        .filter(pk=outbound_id)
        .update(shipping_token=token, shipping_since=now)
    )
    if not claimed:
        return False  # shipped already, or another shipper has it
    outbound = OutboundEmail.objects.select_related("school").get(pk=outbound_id)
    message = _message_for(outbound)
    try:
        message.send()
    except Exception as exc:
        # Released at once: the task's retry (or the beat job) ships it again.
        OutboundEmail.objects.filter(pk=outbound_id, shipping_token=token).update(
            attempts=F("attempts") + 1,
            last_error=f"{exc.__class__.__name__}: {exc}",
            shipping_token=None,
            shipping_since=None,
        )
        raise
    OutboundEmail.objects.filter(pk=outbound_id, shipping_token=token).update(
        shipped_at=timezone.now(), attempts=F("attempts") + 1
    )
    return True


def outbound_unshipped(*, older_than: datetime.timedelta = STALE_CLAIM) -> list[int]:
    """Outbox e-mails whose shipping task was lost; the beat job queues them again."""
    now = timezone.now()
    return list(
        _unclaimed(now)
        .filter(created_at__lt=now - older_than)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )


def notification_read(*, reminder: Reminder, now: datetime.datetime | None = None):
    """Mark one in-app notice read (opening it from the list)."""
    if reminder.read_at is None:
        reminder.read_at = now or timezone.now()
        reminder.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every notice due so far read; returns how many were unread."""
    now = timezone.now()
    return Reminder.objects.filter(
        recipient=user, read_at=None, due_at__lte=now
    ).update(read_at=now)


@transaction.atomic
def _claim_settings_edit(obj, *, seen: int | None, lookup: dict) -> bool:
    """Claim a person's edit of a settings row (jel.concurrency.claim_edit).

    The defaults nobody has saved yet count as version 1: of two forms drawn
    from them, the first save inserts version 2 and the second is stale. True
    when this call already inserted the row.
    """
    model = type(obj)
    if obj.pk is None:
        existing = model._base_manager.filter(**lookup).values_list("pk", flat=True)
        found = existing.first()
        if found is None:
            obj.version = 2
            try:
                with transaction.atomic():
                    obj.save(force_insert=True)
                return True
            except IntegrityError:  # another form saved the defaults first
                found = existing.get()
        obj.pk = found
        obj._state.adding = False
        seen = 1 if seen is None else seen
    claim_edit(obj, seen=seen)
    return False


@transaction.atomic
def reminder_timings_save(
    *, timings: ReminderTimings, seen_version: int | None = None
) -> dict[str, int]:
    """Save a school's reminder times and move its pending reminders to them.

    Each app that derives reminders re-derives its own (jel.registry), so a
    visit tomorrow that was due at 16:00 moves to the new time at once. A form
    drawn before someone else's save raises StaleEdit and writes nothing.
    """
    from jel import registry

    inserted = _claim_settings_edit(
        timings, seen=seen_version, lookup={"school_id": timings.school_id}
    )
    if not inserted:
        timings.save()
    return {
        source.name: source.rederive(timings.school) or 0
        for source in registry.reminder_sources
    }


@transaction.atomic
def notification_settings_save(
    *, settings_obj: NotificationSettings, seen_version: int | None = None
) -> None:
    """Save a person's e-mail choices and quiet hours in one school; a form drawn
    before another save of them raises StaleEdit and writes nothing."""
    settings_obj.school_id = settings_obj.membership.school_id
    inserted = _claim_settings_edit(
        settings_obj,
        seen=seen_version,
        lookup={"membership_id": settings_obj.membership_id},
    )
    if not inserted:
        settings_obj.save()
