"""Writes for cycles: each validates every rule first, then writes in one transaction.

A rule breach raises ValidationError with a dict of field -> message, so the
forms show the message beside the field and nothing is half-saved. The rules
themselves are in validation.py, driven by each type's spec (cycles.kinds):

- settings.py     a school's cycle limits and targets
- problems.py     problems of practice (versions) and look-fors
- planning.py     create and edit a cycle: people, look-fors, visits, lab series
- transitions.py  status moves (scheduling books through booking.py), host answers
- debriefs.py     recording a debrief in its type's protocol
- booking.py      turning a plan into bookings of the master schedule
- quick_visit.py  a visit from "Plan a visit": a one-visit micro-observation
- validation.py   every rule of a plan, as draft and to be scheduled

`from cycles.services import X` keeps working for every name below.
"""

from cycles.services import booking
from cycles.services.debriefs import debrief_record
from cycles.services.planning import (
    CYCLE_FIELDS,
    PASSING_MINUTES,
    cycle_create,
    cycle_update,
    lab_series_create,
    micro_debrief_due,
    swap_pairs_for,
    visit_plan,
    walk_form_groups,
)
from cycles.services.problems import (
    look_for_create,
    look_for_move,
    look_for_remove,
    look_for_restore,
    problem_create,
    problem_update,
)
from cycles.services.quick_visit import quick_visit_plan, quick_visit_request
from cycles.services.settings import cycle_settings_for, cycle_settings_update
from cycles.services.transitions import cycle_schedule, cycle_transition, host_respond
from cycles.services.validation import plan_errors, schedule_errors

__all__ = [
    "CYCLE_FIELDS",
    "PASSING_MINUTES",
    "booking",
    "cycle_create",
    "cycle_schedule",
    "cycle_settings_for",
    "cycle_settings_update",
    "cycle_transition",
    "cycle_update",
    "debrief_record",
    "host_respond",
    "lab_series_create",
    "look_for_create",
    "look_for_move",
    "look_for_remove",
    "look_for_restore",
    "micro_debrief_due",
    "quick_visit_plan",
    "quick_visit_request",
    "plan_errors",
    "problem_create",
    "problem_update",
    "schedule_errors",
    "swap_pairs_for",
    "visit_plan",
    "walk_form_groups",
]
