"""Reading the CSVs JEL serves the way Excel and pandas do: tests' helpers."""

import codecs
import csv
import io

import pandas as pd

from jel.csv_export import WITHHELD_MARK


def csv_rows(response) -> list[list[str]]:
    """The CSV's rows as text, after checking it is a UTF-8 CSV with a BOM."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = response.content
    assert body.startswith(codecs.BOM_UTF8), "no BOM: Excel would guess the encoding"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def csv_frame(response) -> pd.DataFrame:
    """The CSV as pandas reads it, without the withheld note (its last line)."""
    frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")
    if len(frame) and str(frame.iloc[-1, 0]).startswith(WITHHELD_MARK):
        # The note is one field: reading again without it keeps the types.
        frame = pd.read_csv(
            io.BytesIO(response.content),
            encoding="utf-8-sig",
            skipfooter=1,
            engine="python",
        )
    return frame
