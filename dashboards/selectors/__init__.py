"""Reads for the dashboards (issue 9): aggregate queries and small-group suppression.

Every dashboard is built here once and then rendered three ways: as the page
(charts and their data tables), as CSV and as JSON for the API. What a table
holds is exactly what every one of them shows.

The database does the counting: each dashboard runs a fixed number of grouped
queries (by look-for, host, week, cycle type ...) whatever the size of the
school's history; Python only folds those grouped rows into cells.

Privacy rules (principles 2 and 3):
- a figure resting on fewer classrooms (distinct hosts) than the school's
  privacy threshold is suppressed everywhere it would appear;
- complementary suppression: when a row shows a total, the suppressed parts of
  that row together must cover at least the threshold of classrooms, or
  subtracting the shown parts from the total would reveal them; the same is
  checked across the values of each filter (a department's view is one part of
  the whole school's), so two filtered views cannot be differenced either;
- no dashboard shows evidence text, and no host is named next to evidence.
"""

from dashboards.selectors.district import district_trends
from dashboards.selectors.figures import (
    SUPPRESSED_TEXT,
    Figure,
    Report,
    Shown,
    Table,
    suppress_complementary,
    suppress_small,
)
from dashboards.selectors.follow_through import follow_through
from dashboards.selectors.learning import (
    essa_for_school,
    essa_for_teacher,
    learning_figures,
)
from dashboards.selectors.participation import participation, teaching_staff
from dashboards.selectors.scope import (
    HEATMAP_BY,
    MAX_RANGE_DAYS,
    TEACHING_ROLES,
    Filters,
    departments_of,
    member_of_school,
    resolve_filters,
)
from dashboards.selectors.trends import look_for_trends

__all__ = [
    "HEATMAP_BY",
    "MAX_RANGE_DAYS",
    "SUPPRESSED_TEXT",
    "TEACHING_ROLES",
    "Figure",
    "Filters",
    "Report",
    "Shown",
    "Table",
    "departments_of",
    "member_of_school",
    "district_trends",
    "essa_for_school",
    "essa_for_teacher",
    "follow_through",
    "learning_figures",
    "look_for_trends",
    "participation",
    "resolve_filters",
    "suppress_complementary",
    "suppress_small",
    "teaching_staff",
]
