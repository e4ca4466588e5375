"""Access cases: every route states who is refused, and a test walks the resolver.

Each app lists its routes in `<app>/tests/access_cases.py` as CASES (and routes
that need no sign-in in PUBLIC, with the reason). test_route_access checks that
every named route has a case and that each case's refusals hold:

- another school's user gets 404 for a route about one record (`record=True`);
  for a list or a page without a record, they see only their own school, so the
  case names a `marker` (text of this school) that must not appear;
- a user whose role may not open the route gets 403 (`wrong_role`), unless every
  role in the school may, which the case says with `every_role_reason`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AccessCase:
    route: str
    url: Callable  # url(cast) -> path, creating whatever record it needs
    allowed: str  # a cast member who may open it (its status must be < 400)
    wrong_role: str | None = None  # a cast member who must get 403
    every_role_reason: str = ""  # why no role is refused, when wrong_role is None
    record: bool = True  # about one record: another school's user gets 404
    marker: Callable | None = None  # marker(cast) -> text the other school must not see
    method: str = "get"
    data: Callable | None = None  # data(cast) -> POST body

    def __post_init__(self):
        if self.wrong_role is None and not self.every_role_reason:
            raise ValueError(
                f"{self.route}: name a wrong_role or say why every role may"
            )
        if not self.record and self.marker is None:
            raise ValueError(f"{self.route}: a route without a record needs a marker")
