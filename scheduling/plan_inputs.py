"""What a visit-planning form posts besides its fields: chosen cover, a chosen slot.

Shared by the visit planner (cycles' "Plan a visit" page), its live check and
moving a booking.
"""

from scheduling import services
from scheduling.forms import default_class_periods, staff_of


def use_slot(school, form_data):
    """Fill the form with a suggested slot ("YYYY-MM-DD|period number")."""
    day, _, number = form_data["use_slot"].partition("|")
    period = default_class_periods(school).filter(number=number).first()
    if period is not None:
        form_data["date"] = day
        form_data["period"] = str(period.pk)
    return form_data


def coverage_from_post(school, post, observers) -> dict:
    """{observer: colleague or SUBSTITUTE} from the cover_<id> radio buttons."""
    people = None
    plan = {}
    for observer in observers:
        value = post.get(f"cover_{observer.pk}")
        if not value:
            continue
        if value == services.SUBSTITUTE:
            plan[observer] = services.SUBSTITUTE
            continue
        if people is None:
            people = {str(u.pk): u for u in staff_of(school)}
        if value in people:
            plan[observer] = people[value]
    return plan
