"""Access cases: every route states who gets what, and a test walks the resolver.

Each app lists its routes in `<app>/tests/*access_cases.py` as CASES (and routes
that need no sign-in in PUBLIC, with the reason). test_route_access checks that
every named route has a case and that each case holds exactly:

- the allowed cast member gets `expect` (200 unless said), or, when the case
  names `redirect`, a 302 whose Location resolves to that route;
- role decides 403: a member whose role may never do this (`wrong_role`) gets
  403, unless every role in the school may, which the case says with
  `every_role_reason`;
- relationship decides 404: a member whose role could, but who is not related
  to this record (`unrelated`: not in the cycle, not the booking's people, not
  the author or a reader, not the goal's owner), gets 404, the same as another
  school's record, so an address never confirms that a private record exists;
- another school's user gets 404 for a route about one record (`record=True`);
  for a list or a page without a record they see only their own school: the
  case's `marker` (text of this school) must not appear, and the status is the
  one they get in their own school (`other_school`, by default what the allowed
  role gets, or 403 when the other school's principal holds the wrong role);
- anonymous: a page redirects to sign-in with `next=` the address; an API route
  (its name starts with `api_`) answers 403 (DRF session authentication sends
  no WWW-Authenticate challenge, so not 401).
"""

from collections.abc import Callable
from dataclasses import dataclass

OTHER_SCHOOL_ROLE = "principal"  # cast.other_principal's role in their own school


@dataclass(frozen=True)
class AccessCase:
    route: str
    url: Callable  # url(cast) -> path, creating whatever record it needs
    allowed: str  # a cast member who may open it
    expect: int = 200  # the allowed member's exact status (ignored with redirect)
    redirect: str | None = None  # or: a 302 to this named route
    wrong_role: str | None = None  # a cast member who must get 403
    every_role_reason: str = ""  # why no role is refused, when wrong_role is None
    unrelated: str | None = None  # a same-school member not related to it: 404
    record: bool = True  # about one record: another school's user gets 404
    marker: Callable | None = None  # marker(cast) -> text the other school must not see
    other_school: int | None = None  # the other school's status on a list page
    method: str = "get"
    data: Callable | None = None  # data(cast) -> POST body

    def __post_init__(self):
        if self.wrong_role is None and not self.every_role_reason:
            raise ValueError(
                f"{self.route}: name a wrong_role or say why every role may"
            )
        if not self.record and self.marker is None:
            raise ValueError(f"{self.route}: a route without a record needs a marker")
        if self.unrelated is not None and not self.record:
            raise ValueError(f"{self.route}: only a record has unrelated members")
        if self.redirect is not None and self.expect != 200:
            raise ValueError(f"{self.route}: say expect or redirect, not both")

    @property
    def is_api(self) -> bool:
        return self.route.split(":")[-1].startswith("api_")

    @property
    def other_school_status(self) -> int:
        """What cast.other_principal gets on this list page in their own school."""
        if self.other_school is not None:
            return self.other_school
        if self.wrong_role == OTHER_SCHOOL_ROLE:
            return 403
        return 302 if self.redirect else self.expect
