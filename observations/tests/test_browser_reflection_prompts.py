"""The reflection form's prompts follow the chosen cycle, and "Not about a cycle"
brings the journal's back, even when the form was opened from a visit."""

import pytest
from django.urls import reverse
from django_scopes import scope

from cycles.kinds import REFLECTION_PROMPTS_ALONE, spec_for
from cycles.models import Cycle
from observations.tests.factories import cycle_with_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_no_cycle_shows_the_journals_prompts(
    cast, phone_page, live_server, browser_sign_in, screenshot
):
    with scope(school=cast.school):
        visit = cycle_with_visit(
            cast.school,
            host=cast.outsider,
            observers=[cast.teacher],
            kind=Cycle.Kind.WALK,
        )
    walk_prompts = list(spec_for(visit.cycle).reflection_prompts)
    assert walk_prompts != list(REFLECTION_PROMPTS_ALONE)
    page = phone_page
    browser_sign_in(page, cast.teacher.email)
    page.goto(
        f"{live_server.url}{reverse('observations:reflection_create')}?visit={visit.pk}"
    )
    prompts = page.locator("#prompts li")
    assert prompts.first.inner_text() == walk_prompts[0]
    cycle = page.get_by_label("About a cycle (optional)")
    cycle.select_option(label="Not about a cycle (journal)")
    assert prompts.first.inner_text() == REFLECTION_PROMPTS_ALONE[0]
    assert prompts.count() == len(REFLECTION_PROMPTS_ALONE)
    screenshot(page, "reflection-journal-prompts-phone")
