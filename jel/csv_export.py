"""Every CSV JEL serves, written one way so it opens right in Excel and pandas.

- UTF-8 with a byte order mark: Excel guesses the encoding from it ("café", not
  "cafÃ©"); pandas reads it with `encoding="utf-8-sig"`.
- Numbers stay numbers, booleans are True/False, dates and times are ISO 8601,
  an empty cell is None (never a made-up 0).
- Text that a spreadsheet would run as a formula (starting with =, +, -, @, a
  tab or a carriage return) gets a leading apostrophe, as OWASP advises
  (https://owasp.org/www-community/attacks/CSV_Injection).
- An export whose rows were withheld says so on its last line, which starts
  with WITHHELD_MARK.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WITHHELD_MARK = "Rows withheld:"


def neutralised(text: str) -> str:
    """Text a spreadsheet shows as written instead of running it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_value(value):
    """One cell as CSV text: numbers as numbers, dates ISO, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return neutralised(str(value))


def csv_text(header: Iterable, rows: Iterable[Iterable], *, withheld=None) -> str:
    """The CSV document as text (no BOM): the header, the rows, and the withheld
    note as the last line when some rows were left out."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_value(name) for name in header])
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
    if withheld:
        writer.writerow([f"{WITHHELD_MARK} {withheld}"])
    return out.getvalue()


def csv_response(filename: str, header, rows, *, withheld=None) -> HttpResponse:
    """An attachment in UTF-8 with a BOM; `withheld` says what was left out."""
    body = csv_text(header, rows, withheld=withheld).encode("utf-8-sig")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
