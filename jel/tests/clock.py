"""The suite's clock: every test runs at one fixed moment unless it travels itself.

The shared fixtures (scheduling/tests/factories.py: the 2026-27 year, its fall
term, the observation window of 30 November to 11 December 2026) are built
around this moment, so "today", "this week" and "tomorrow at 16:00" mean the
same thing whatever date the machine's clock shows. Tests that need another
moment travel there with time_machine; tests that start other processes (a real
Celery worker) are marked `wall_clock` and must not depend on the clock's value.
"""

import datetime as dt
import os
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")

# Monday 30 November 2026, 08:00 in New York: a school day of the fall term,
# before the first period, in the week of the fixtures' observation window.
SUITE_NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=NEW_YORK)
if os.environ.get("JEL_SUITE_NOW"):  # for trying the suite at another moment
    SUITE_NOW = dt.datetime.fromisoformat(os.environ["JEL_SUITE_NOW"])
SUITE_TODAY = SUITE_NOW.date()
