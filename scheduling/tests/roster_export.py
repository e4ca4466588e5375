"""Small OneRoster exports for the tests, written from the specification's tables.

export(version) is a dict: file name -> list of row dicts (the header is the
union of the spec's columns for that file); write(folder, files) writes them.
"""

import csv
import io
import zipfile

from scheduling.roster import spec


def export(version="1.1") -> dict:
    files = {
        "manifest.csv": [
            {"propertyName": "manifest.version", "value": "1.0"},
            {"propertyName": "oneroster.version", "value": version},
            *(
                {"propertyName": f"file.{kind}", "value": "bulk"}
                for kind in (
                    "academicSessions",
                    "classes",
                    "courses",
                    "enrollments",
                    "orgs",
                    "users",
                    *(["roles"] if version == "1.2" else []),
                )
            ),
        ],
        "orgs.csv": [
            {"sourcedId": "d1", "name": "Riverside USD", "type": "district"},
            {
                "sourcedId": "s1",
                "name": "Maple Middle",
                "type": "school",
                "parentSourcedId": "d1",
            },
            {
                "sourcedId": "s2",
                "name": "Oak Middle",
                "type": "school",
                "parentSourcedId": "d1",
            },
        ],
        "academicSessions.csv": [
            _session("y1", "2026-27", "schoolYear", "2026-08-24", "2027-06-11", ""),
            _session("t1", "Fall 2026", "semester", "2026-08-24", "2027-01-15", "y1"),
            _session("t2", "Spring 2027", "semester", "2027-01-19", "2027-06-11", "y1"),
        ],
        "courses.csv": [
            {
                "sourcedId": "c1",
                "title": "Math 7",
                "orgSourcedId": "d1",
                "schoolYearSourcedId": "y1",
            },
            {"sourcedId": "c2", "title": "Science 8", "orgSourcedId": "d1"},
        ],
        "classes.csv": [
            _class("k1", "Math 7 - 1", "c1", "s1", "t1", "1", "Room 101", "07"),
            _class("k2", "Science 8 - 2", "c2", "s1", "t1", "2", "Lab 2", "08"),
            _class("k3", "Math 7 - 1", "c1", "s2", "y1", "1", "", "07"),
        ],
        "enrollments.csv": [
            _enrollment("e1", "k1", "s1", "u1", "teacher", "true"),
            _enrollment("e2", "k2", "s1", "u2", "teacher", "true"),
            _enrollment("e3", "k3", "s2", "u2", "teacher", "true"),
            _enrollment("e4", "k1", "s1", "u9", "student", "false"),
        ],
        "bell_schedules.csv": [
            _bell("s1", "Standard", "Regular", "1", "08:00", "08:50"),
            _bell("s1", "Standard", "Regular", "2", "08:55", "09:45"),
            _bell("s1", "Standard", "Regular", "Lunch", "11:30", "12:00"),
            _bell("s1", "Standard", "Late start", "1", "10:00", "10:40"),
            _bell("s1", "Standard", "Late start", "2", "10:45", "11:25"),
            _bell("s2", "Standard", "Regular", "1", "07:45", "08:40"),
        ],
        "calendar_days.csv": [
            {
                "school_sourcedId": "s1",
                "date": "2026-12-02",
                "day_type": "Late start",
                "schedule_name": "Standard",
            },
            {
                "school_sourcedId": "s1",
                "date": "2026-12-24",
                "day_type": "",
                "schedule_name": "",
            },
        ],
    }
    people = [
        ("u1", "teacher", "s1", "Ada", "Park", "ada.park@riverside.example.org"),
        ("u2", "teacher", "s1,s2", "Ben", "Cho", "ben.cho@riverside.example.org"),
        (
            "u3",
            "administrator" if version == "1.1" else "principal",
            "s1",
            "Pam",
            "Lee",
            "pam.lee@riverside.example.org",
        ),
        ("u4", "aide", "s1", "Al", "Aide", "al.aide@riverside.example.org"),
        ("u9", "student", "s1", "Sam", "Student", "sam.student@riverside.example.org"),
    ]
    users, roles = [], []
    for sid, role, orgs, given, family, email in people:
        row = {
            "sourcedId": sid,
            "enabledUser": "true",
            "username": email.split("@")[0],
            "givenName": given,
            "familyName": family,
            "email": email,
        }
        if version == "1.1":
            row.update(orgSourcedIds=orgs, role=role)
        else:
            for number, org in enumerate(orgs.split(",")):
                roles.append(
                    {
                        "sourcedId": f"r-{sid}-{org}",
                        "userSourcedId": sid,
                        "roleType": "primary" if number == 0 else "secondary",
                        "role": role,
                        "orgSourcedId": org,
                    }
                )
        users.append(row)
    files["users.csv"] = users
    if version == "1.2":
        files["roles.csv"] = roles
    return files


def _session(sid, title, kind, start, end, parent):
    return {
        "sourcedId": sid,
        "title": title,
        "type": kind,
        "startDate": start,
        "endDate": end,
        "parentSourcedId": parent,
        "schoolYear": "2027",
    }


def _class(sid, title, course, school, terms, periods, location, grades):
    return {
        "sourcedId": sid,
        "title": title,
        "courseSourcedId": course,
        "classCode": sid.upper(),
        "classType": "scheduled",
        "location": location,
        "schoolSourcedId": school,
        "termSourcedIds": terms,
        "periods": periods,
        "grades": grades,
    }


def _enrollment(sid, klass, school, user, role, primary):
    return {
        "sourcedId": sid,
        "classSourcedId": klass,
        "schoolSourcedId": school,
        "userSourcedId": user,
        "role": role,
        "primary": primary,
    }


def _bell(school, schedule, day_type, period, start, end):
    return {
        "school_sourcedId": school,
        "schedule_name": schedule,
        "day_type": day_type,
        "period": period,
        "start_time": start,
        "end_time": end,
    }


def header_of(name: str, version: str, rows: list) -> list[str]:
    kind = name.removesuffix(".csv")
    if name == "manifest.csv":
        return ["propertyName", "value"]
    if kind in spec.COMPANIONS:
        return list(spec.COMPANIONS[kind])
    header = spec.HEADERS[version][kind].split(",")
    for row in rows:
        header += [c for c in row if c not in header]
    return header


def csv_text(name, version, rows, *, crlf=False, drop=()) -> str:
    header = [c for c in header_of(name, version, rows) if c not in drop]
    out = io.StringIO()
    writer = csv.DictWriter(
        out, header, lineterminator="\r\n" if crlf else "\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write(folder, files, *, version=None, bom=False, crlf=False, drop=None):
    """Write the export into folder; drop: {file name: columns to leave out}."""
    version = version or next(
        r["value"]
        for r in files["manifest.csv"]
        if r["propertyName"] == "oneroster.version"
    )
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        if isinstance(rows, (bytes, str)):
            data = rows if isinstance(rows, bytes) else rows.encode()
        else:
            text = csv_text(
                name, version, rows, crlf=crlf, drop=(drop or {}).get(name, ())
            )
            data = text.encode("utf-8-sig" if bom else "utf-8")
        (folder / name).write_bytes(data)
    return folder


def zip_of(folder) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return out.getvalue()
