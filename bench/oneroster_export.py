"""Write a large OneRoster 1.1 CSV export: a district for the import benchmark.

50 schools, 5,000 staff (teachers, principals, aides; some in two schools),
30,000 sections with their teachers, 25,000 students and their 600,000
enrollments, plus JEL's bell_schedules.csv and calendar_days.csv.

    .venv/bin/python bench/oneroster_export.py FOLDER [--schools 50]
"""

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

STAFF_PER_SCHOOL = 100  # 88 teachers, 2 principals, 10 aides
TEACHERS = 88
SECTIONS_PER_SCHOOL = 600
STUDENTS_PER_SCHOOL = 500
STUDENTS_PER_SECTION = 20
PERIODS = 8
FIRST_DAY = dt.date(2026, 8, 24)
LAST_DAY = dt.date(2027, 6, 11)


def _writer(folder: Path, name: str, header: str):
    handle = (folder / name).open("w", newline="", encoding="utf-8")
    out = csv.writer(handle, lineterminator="\r\n")
    out.writerow(header.split(","))
    return handle, out


def generate(folder: Path, schools: int = 50, seed: int = 18) -> dict:
    """Write the export into folder; the number of rows of each file."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    files = {
        "manifest.csv": [
            ("manifest.version", "1.0"),
            ("oneroster.version", "1.1"),
            *(
                (f"file.{k}", "bulk")
                for k in (
                    "academicSessions",
                    "classes",
                    "courses",
                    "enrollments",
                    "orgs",
                    "users",
                )
            ),
            ("file.demographics", "absent"),
        ]
    }
    handle, out = _writer(folder, "manifest.csv", "propertyName,value")
    out.writerows(files["manifest.csv"])
    handle.close()

    school_ids = [f"sch-{n:03d}" for n in range(schools)]
    handle, out = _writer(
        folder,
        "orgs.csv",
        "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    )
    out.writerow(
        ["dist-1", "", "", "Bench Unified School District", "district", "", ""]
    )
    for n, sid in enumerate(school_ids):
        out.writerow(
            [sid, "", "", f"Bench School {n:03d}", "school", f"{n:03d}", "dist-1"]
        )
    handle.close()
    counts["orgs"] = schools + 1

    handle, out = _writer(
        folder,
        "academicSessions.csv",
        "sourcedId,status,dateLastModified,title,type,startDate,endDate,"
        "parentSourcedId,schoolYear",
    )
    out.writerow(
        ["y26", "", "", "2026-27", "schoolYear", FIRST_DAY, LAST_DAY, "", "2027"]
    )
    out.writerow(
        ["s1", "", "", "Fall 2026", "semester", FIRST_DAY, "2027-01-15", "y26", "2027"]
    )
    out.writerow(
        ["s2", "", "", "Spring 2027", "semester", "2027-01-19", LAST_DAY, "y26", "2027"]
    )
    handle.close()
    counts["academicSessions"] = 3

    subjects = [
        "Math",
        "English",
        "Science",
        "History",
        "Art",
        "Music",
        "PE",
        "Spanish",
    ]
    handle, out = _writer(
        folder,
        "courses.csv",
        "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,"
        "grades,orgSourcedId,subjects,subjectCodes",
    )
    courses = []
    for subject in subjects:
        for grade in (6, 7, 8):
            sid = f"crs-{subject.lower()}-{grade}"
            courses.append((sid, grade))
            out.writerow(
                [
                    sid,
                    "",
                    "",
                    "y26",
                    f"{subject} {grade}",
                    sid,
                    f"{grade:02d}",
                    "dist-1",
                    subject,
                    "",
                ]
            )
    handle.close()
    counts["courses"] = len(courses)

    users_handle, users = _writer(
        folder,
        "users.csv",
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,"
        "userIds,givenName,familyName,middleName,identifier,email,sms,phone,"
        "agentSourcedIds,grades,password",
    )
    classes_handle, classes = _writer(
        folder,
        "classes.csv",
        "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,"
        "classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,"
        "periods",
    )
    enroll_handle, enrollments = _writer(
        folder,
        "enrollments.csv",
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,"
        "userSourcedId,role,primary,beginDate,endDate",
    )
    bells_handle, bells = _writer(
        folder,
        "bell_schedules.csv",
        "school_sourcedId,schedule_name,day_type,period,start_time,end_time",
    )
    days_handle, days = _writer(
        folder, "calendar_days.csv", "school_sourcedId,date,day_type,schedule_name"
    )
    n_users = n_classes = n_enrollments = 0
    for s, school in enumerate(school_ids):
        for name, start in (("Regular", 8 * 60), ("Late start", 10 * 60)):
            minutes = 50 if name == "Regular" else 35
            for period in range(1, PERIODS + 1):
                begin = start + (period - 1) * (minutes + 5)
                bells.writerow(
                    [
                        school,
                        "Standard",
                        name,
                        period,
                        _hhmm(begin),
                        _hhmm(begin + minutes),
                    ]
                )
            bells.writerow([school, "Standard", name, "Lunch", "12:10", "12:40"])
        day = FIRST_DAY
        while day <= LAST_DAY:
            if day.weekday() == 2:
                days.writerow([school, day.isoformat(), "Late start", "Standard"])
            elif day.month == 12 and day.day in (24, 25):
                days.writerow([school, day.isoformat(), "", ""])
            day += dt.timedelta(days=1)

        teachers = []
        for n in range(STAFF_PER_SCHOOL):
            sid = f"stf-{s:03d}-{n:03d}"
            role = (
                "teacher"
                if n < TEACHERS
                else "administrator"
                if n < TEACHERS + 2
                else "aide"
            )
            orgs = school
            if n == 0 and s + 1 < len(school_ids):
                orgs = f"{school},{school_ids[s + 1]}"  # shared with the next school
            given, family = f"Given{s}x{n}", f"Family{n}"
            email = f"{sid}@bench.example.org"
            users.writerow(
                [sid, "", "", "true", orgs, role, sid, "", given, family, "", sid]
                + [email, "", "", "", "", ""]
            )
            n_users += 1
            if role == "teacher":
                teachers.append(sid)
        students = []
        for n in range(STUDENTS_PER_SCHOOL):
            sid = f"stu-{s:03d}-{n:04d}"
            students.append(sid)
            users.writerow(
                [
                    sid,
                    "",
                    "",
                    "true",
                    school,
                    "student",
                    sid,
                    "",
                    "Student",
                    f"S{n}",
                    "",
                    sid,
                    "",
                    "",
                    "",
                    "",
                    "07",
                    "",
                ]
            )
            n_users += 1
        for n in range(SECTIONS_PER_SCHOOL):
            sid = f"cls-{s:03d}-{n:04d}"
            course, grade = courses[n % len(courses)]
            term = ("s1", "s2", "y26")[n % 3]
            period = n % PERIODS + 1
            classes.writerow(
                [
                    sid,
                    "",
                    "",
                    f"Class {n}",
                    f"{grade:02d}",
                    course,
                    sid,
                    "scheduled",
                    f"Room {n % 60 + 100}",
                    school,
                    term,
                    "",
                    "",
                    str(period),
                ]
            )
            n_classes += 1
            teacher = teachers[n % len(teachers)]
            enrollments.writerow(
                [
                    f"enr-{sid}-t",
                    "",
                    "",
                    sid,
                    school,
                    teacher,
                    "teacher",
                    "true",
                    "",
                    "",
                ]
            )
            n_enrollments += 1
            for k in rng.sample(range(len(students)), STUDENTS_PER_SECTION):
                enrollments.writerow(
                    [
                        f"enr-{sid}-{k}",
                        "",
                        "",
                        sid,
                        school,
                        students[k],
                        "student",
                        "false",
                        "",
                        "",
                    ]
                )
                n_enrollments += 1
    for handle in (
        users_handle,
        classes_handle,
        enroll_handle,
        bells_handle,
        days_handle,
    ):
        handle.close()
    counts.update(users=n_users, classes=n_classes, enrollments=n_enrollments)
    return counts


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--schools", type=int, default=50)
    args = parser.parse_args()
    for name, rows in generate(args.folder, args.schools).items():
        print(f"{name}: {rows} rows")
