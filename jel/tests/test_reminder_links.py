"""Every reminder's link leads its reader to the page where they do what it asks.

Table-driven over every kind the app creates (the e-mail test's fixture makes
one of each): the link, and each folded item's link, answers 200 for the
recipient and the page offers the action the notice names.
"""

from django_scopes import scopes_disabled

from jel.models import Reminder, ReminderKind, ReminderState
from jel.tests.test_emails import every_email, ready_problem, teachers  # noqa: F401

# What the page at the link must offer its reader, per kind (any one of them:
# a visit's host, its observers and a colleague covering open different pages).
ACTION_ON_PAGE = {
    ReminderKind.VISIT_TOMORROW: (
        "Save entry",
        'id="not-started"',
        "You host this visit",
        'id="cover"',
        'id="visits-heading"',
    ),
    ReminderKind.VISIT_SOON: ("Save entry", 'id="not-started"'),
    ReminderKind.PREBRIEF: ('id="prebrief"',),
    ReminderKind.DEBRIEF_DUE: ("Save the debrief", 'id="evidence-heading"'),
    ReminderKind.DEBRIEF_MEETING: ("Save the debrief", 'id="evidence-heading"'),
    ReminderKind.MICRO_DEBRIEF_NUDGE: ("Save the debrief", 'id="evidence-heading"'),
    ReminderKind.DEBRIEF_OVERDUE: ("Save the debrief", 'id="evidence-heading"'),
    ReminderKind.REFLECTION_PROMPT: ("Save reflection",),
    ReminderKind.GOAL_FOLLOW_UP: ("Save check-in",),
    ReminderKind.WEEKLY_DIGEST: ("Overdue debriefs",),
    ReminderKind.HOST_REQUEST: ("I agree to host",),
    ReminderKind.HOST_ANSWER: ("Hosts",),
    ReminderKind.COVER_ASKED: ('id="cover"',),
    ReminderKind.REFLECTION_SHARED: (">Reply</button>",),
    ReminderKind.REFLECTION_REPLY: ('id="replies-heading"',),
    ReminderKind.BRIGHT_SPOT: (
        "Add to the school’s wall",
        "Take it off the wall",
        "Wall of bright spots",
    ),
    ReminderKind.MORE_TODAY: ("Mark all as read",),
}


def test_the_table_names_every_kind():
    assert set(ACTION_ON_PAGE) == set(ReminderKind.values)


def test_every_kind_links_to_the_page_where_its_reader_acts(every_email, client):  # noqa: F811
    with scopes_disabled():
        delivered = list(
            Reminder.objects.filter(state=ReminderState.SENT).select_related(
                "recipient"
            )
        )
    assert {r.kind for r in delivered} == set(ReminderKind.values)
    wrong = []
    for reminder in delivered:
        client.force_login(reminder.recipient)
        links = [(reminder.link, reminder.kind)] + [
            (item["link"], item.get("kind", reminder.kind)) for item in reminder.items
        ]
        for link, kind in links:
            if not link:
                continue
            response = client.get(link)
            page = response.content.decode()
            wanted = ACTION_ON_PAGE[kind]
            if response.status_code != 200 or not any(w in page for w in wanted):
                wrong.append(
                    (reminder.kind, str(reminder.recipient), link, response.status_code)
                )
    assert not wrong, "\n".join(map(str, wrong))
