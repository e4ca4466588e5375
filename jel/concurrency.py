"""Optimistic concurrency: a stale form never overwrites a newer save.

Every shared thing people edit (a cycle, a debrief, a problem of practice, a
reflection, a goal, a school's settings, the schedule) carries a `version`
number (the `Versioned` mixin). Its edit form sends back the version it was
drawn from (`VersionedFormMixin`, a hidden field). The service claims the edit
with one conditional UPDATE before it writes anything else:

    claim_edit(cycle, seen=form.cleaned_data["version"])

`UPDATE ... SET version = version + 1 WHERE pk = %s AND version = %s` is
atomic on PostgreSQL (a second writer waits on the row lock, then finds the
version moved) and on SQLite (writes are serialised), so of two saves drawn
from the same version exactly one wins; the other raises `StaleEdit`, and its
transaction (ATOMIC_REQUESTS) writes nothing. The view then shows the person
what changed (`stale_changes`) beside what they typed, and the form now carries
the current version, so saving again is a deliberate choice.

Why not django-concurrency: it patches save() for every write, including the
services' own bookkeeping saves (a reminder sync touching a cycle), which would
refuse writes nobody typed. Claiming once, where a person's edit is applied,
keeps the rule where the person is.
"""

from __future__ import annotations

from contextlib import contextmanager

from django import forms
from django.db import models
from django.db.models import F


class Versioned(models.Model):
    """Abstract: a number that goes up by one at each person's saved edit."""

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one at each saved edit; a form drawn from an older "
        "version is refused instead of overwriting.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Only claim_edit moves the version of a saved row (its UPDATE already
        # wrote the new number). A plain save() of an object loaded before
        # someone's edit (a status move, a booking's bookkeeping) must not
        # write its older number back: a stale form would then win.
        saved_row = not self._state.adding and self.pk is not None
        if (
            saved_row
            and not args
            and not any(kwargs.get(name) for name in ("update_fields", "force_insert"))
        ):
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "version"
            ]
        super().save(*args, **kwargs)


class StaleEdit(Exception):
    """Someone saved this thing after the form was drawn."""

    def __init__(self, current):
        self.current = current  # the row as it is now, fresh from the database
        super().__init__(
            "Someone saved this while you were editing it. Nothing of yours was "
            "saved yet: look at what changed below, then save again."
        )


def claim_edit(instance: Versioned, *, seen: int | None) -> None:
    """Take the next version of instance if nobody saved since `seen`; else StaleEdit.

    Call it inside the service's transaction, before any other write. On
    success instance.version is the new number (a later save() keeps it).
    """
    model = type(instance)
    if seen is None:
        seen = instance.version
    claimed = (
        model._base_manager.filter(pk=instance.pk, version=seen).update(
            version=F("version") + 1
        )
        == 1
    )
    if not claimed:
        raise StaleEdit(model._base_manager.get(pk=instance.pk))
    instance.version = seen + 1


@contextmanager
def claimed_edit(instance: Versioned, *, seen: int | None):
    """claim_edit for the body of a service: if the body then refuses (a
    ValidationError rolls its transaction back), the instance's version is
    put back too, so the same object can be saved again with its version.

        with claimed_edit(debrief, seen=seen_version):
            ...validate, then write...
    """
    before = instance.version
    claim_edit(instance, seen=seen)
    try:
        yield instance
    except BaseException:
        instance.version = before
        raise


class VersionedFormMixin(forms.Form):
    """A hidden `version` field: the version the person's form was drawn from.

    Give the form `initial={"version": obj.version}` (a ModelForm with an
    instance gets it itself). After a StaleEdit, call `form.refuse_stale(error)`:
    the form keeps every typed value, says what changed, and carries the current
    version so the next save is deliberate.
    """

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        error_messages={"invalid": "Reload the page: this form is damaged."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and getattr(instance, "pk", None):
            self.initial.setdefault("version", instance.version)

    # ModelForms: `version` is not editable on the model, so it never reaches
    # construct_instance; the service reads it from cleaned_data.
    def seen_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def refuse_stale(self, error: StaleEdit, changes: list[tuple[str, str]]) -> None:
        """Show a stale save's message and what changed; keep the typed values."""
        self.stale_changes = changes
        self.add_error(None, str(error))
        # The next submit is drawn from the current version: a deliberate save.
        data = self.data.copy()
        data[self.add_prefix("version")] = str(error.current.version)
        self.data = data


def stale_changes(
    current, fields: dict[str, str], typed: dict
) -> list[tuple[str, str]]:
    """(label, what it says now) for each field where the saved value differs
    from what the person typed: what they must look at before saving again.

    fields maps attribute name to label; typed maps attribute name to the
    person's cleaned value.
    """
    changes = []
    for name, label in fields.items():
        now = getattr(current, name)
        display = getattr(current, f"get_{name}_display", None)
        if name in typed and typed[name] != now:
            shown = display() if callable(display) else now
            changes.append((label, "" if shown is None else str(shown)))
    return changes
