"""Read a OneRoster export (a folder or a .zip) one CSV row at a time."""

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "reason": self.reason,
        }

    def __str__(self):
        where = f"{self.file}, line {self.line}" if self.line else self.file
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class NotAnExport(Exception):
    """The upload is not a folder or .zip holding a manifest.csv."""


class Source:
    """The CSV files of one export, found by name in a folder or a .zip
    (at its top, or inside the one folder that holds manifest.csv)."""

    def __init__(self, path):
        self._zip = None
        self._dir = None
        path_like = isinstance(path, (str, Path))
        if path_like and Path(path).is_dir():
            self._dir = Path(path)
            self._names = {p.name: p for p in self._dir.iterdir() if p.is_file()}
            return
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise NotAnExport(
                "This is not a .zip file or a folder of CSV files."
            ) from error
        manifests = sorted(
            (
                n
                for n in self._zip.namelist()
                if PurePosixPath(n).name == "manifest.csv"
            ),
            key=len,
        )
        prefix = str(PurePosixPath(manifests[0]).parent) if manifests else "."
        self._names = {}
        for name in self._zip.namelist():
            pure = PurePosixPath(name)
            if str(pure.parent) == prefix and not name.endswith("/"):
                self._names[pure.name] = name

    def has(self, file_name: str) -> bool:
        return file_name in self._names

    def open(self, file_name: str):
        if self._dir is not None:
            return self._names[file_name].open("rb")
        return self._zip.open(self._names[file_name])

    def close(self):
        if self._zip is not None:
            self._zip.close()


class CsvFile:
    """Rows of one CSV file as dicts, with the line each row starts on.

    UTF-8 with or without a byte-order mark, CRLF or LF, quoted fields that
    hold commas or line breaks. A file that is not such a CSV adds a problem
    and yields no more rows.
    """

    def __init__(self, source: Source, file_name: str, problems: list):
        self.file_name = file_name
        self.problems = problems
        self.header: list[str] = []
        self.failed = False
        self._source = source

    def problem(self, line: int, column: str, reason: str):
        self.problems.append(Problem(self.file_name, line, column, reason))

    def __iter__(self):
        with self._source.open(self.file_name) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.reader(text, strict=True)
            last = 0
            try:
                header = next(reader, None)
                if not header or not any(h.strip() for h in header):
                    self.failed = True
                    self.problem(1, "", "the file is empty: a header row is needed")
                    return
                self.header = [h.strip() for h in header]
                last = reader.line_num
                width = len(self.header)
                for values in reader:
                    line = last + 1
                    last = reader.line_num
                    if not values or values == [""]:
                        continue  # a blank line
                    if len(values) != width:
                        self.problem(
                            line,
                            "",
                            f"not a CSV row of this file: {len(values)} fields, "
                            f"the header has {width}",
                        )
                        continue
                    yield (
                        line,
                        dict(
                            zip(self.header, (v.strip() for v in values), strict=True)
                        ),
                    )
            except UnicodeDecodeError:
                self.failed = True
                self.problem(last + 1, "", "not a CSV file: the text is not UTF-8")
            except csv.Error as error:
                self.failed = True
                self.problem(last + 1, "", f"not a CSV file: {error}")
