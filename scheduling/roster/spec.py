"""What the 1EdTech OneRoster 1.1 and 1.2 CSV binding says, as far as JEL reads it.

File names, headers and required columns follow the specification's tables
(OneRoster v1.1 CSV Tables, OneRoster v1.2 CSV binding). Columns JEL does not
use are allowed and ignored, as are the extension columns (`metadata.*`).
`status` and `dateLastModified` are required in delta files only.
"""

VERSIONS = ("1.1", "1.2")
MODES = ("bulk", "delta", "absent")

# The data files JEL reads, in the order they are checked and applied.
FILES = (
    "orgs",
    "academicSessions",
    "courses",
    "classes",
    "users",
    "roles",
    "enrollments",
)

HEADERS = {
    "1.1": {
        "orgs": "sourcedId,status,dateLastModified,name,type,identifier,"
        "parentSourcedId",
        "academicSessions": "sourcedId,status,dateLastModified,title,type,startDate,"
        "endDate,parentSourcedId,schoolYear",
        "courses": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,"
        "courseCode,grades,orgSourcedId,subjects,subjectCodes",
        "classes": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,"
        "classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,"
        "subjectCodes,periods",
        "users": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,"
        "username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,"
        "agentSourcedIds,grades,password",
        "enrollments": "sourcedId,status,dateLastModified,classSourcedId,"
        "schoolSourcedId,userSourcedId,role,primary,beginDate,endDate",
    },
    "1.2": {
        "orgs": "sourcedId,status,dateLastModified,name,type,identifier,"
        "parentSourcedId",
        "academicSessions": "sourcedId,status,dateLastModified,title,type,startDate,"
        "endDate,parentSourcedId,schoolYear",
        "courses": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,"
        "courseCode,grades,orgSourcedId,subjects,subjectCodes",
        "classes": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,"
        "classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,"
        "subjectCodes,periods",
        "users": "sourcedId,status,dateLastModified,enabledUser,username,userIds,"
        "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,"
        "grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,"
        "preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns",
        "roles": "sourcedId,status,dateLastModified,userSourcedId,roleType,role,"
        "beginDate,endDate,orgSourcedId,userProfileSourcedId",
        "enrollments": "sourcedId,status,dateLastModified,classSourcedId,"
        "schoolSourcedId,userSourcedId,role,primary,beginDate,endDate",
    },
}

REQUIRED = {
    "1.1": {
        "orgs": ("sourcedId", "name", "type"),
        "academicSessions": (
            "sourcedId",
            "title",
            "type",
            "startDate",
            "endDate",
            "schoolYear",
        ),
        "courses": ("sourcedId", "title", "orgSourcedId"),
        "classes": (
            "sourcedId",
            "title",
            "courseSourcedId",
            "classType",
            "schoolSourcedId",
            "termSourcedIds",
        ),
        "users": (
            "sourcedId",
            "enabledUser",
            "orgSourcedIds",
            "role",
            "username",
            "givenName",
            "familyName",
        ),
        "enrollments": (
            "sourcedId",
            "classSourcedId",
            "schoolSourcedId",
            "userSourcedId",
            "role",
        ),
    },
    "1.2": {
        "orgs": ("sourcedId", "name", "type"),
        "academicSessions": (
            "sourcedId",
            "title",
            "type",
            "startDate",
            "endDate",
            "schoolYear",
        ),
        "courses": ("sourcedId", "title", "orgSourcedId"),
        "classes": (
            "sourcedId",
            "title",
            "courseSourcedId",
            "classType",
            "schoolSourcedId",
            "termSourcedIds",
        ),
        "users": ("sourcedId", "enabledUser", "username", "givenName", "familyName"),
        "roles": ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
        "enrollments": (
            "sourcedId",
            "classSourcedId",
            "schoolSourcedId",
            "userSourcedId",
            "role",
        ),
    },
}
DELTA_REQUIRED = ("status", "dateLastModified")

ORG_TYPES = ("department", "school", "district", "local", "state", "national")
SESSION_TYPES = ("gradingPeriod", "semester", "schoolYear", "term")
CLASS_TYPES = ("homeroom", "scheduled")
STATUSES = ("active", "tobedeleted")
# Users' roles in each version, and what JEL makes of them (None: not staff
# JEL keeps; students, parents and the like are read past and never stored).
USER_ROLES = {
    "1.1": {
        "administrator": "principal",
        "aide": "aide",
        "teacher": "teacher",
        "student": None,
        "guardian": None,
        "parent": None,
        "proctor": None,
        "relative": None,
    },
    "1.2": {
        "aide": "aide",
        "counselor": None,
        "districtAdministrator": "district",
        "guardian": None,
        "parent": None,
        "principal": "principal",
        "proctor": None,
        "relative": None,
        "siteAdministrator": "principal",
        "student": None,
        "systemAdministrator": None,
        "teacher": "teacher",
    },
}
ROLE_TYPES = ("primary", "secondary")
ENROLLMENT_ROLES = {
    "1.1": ("administrator", "proctor", "student", "teacher"),
    "1.2": ("administrator", "proctor", "student", "teacher", "aide", "guardian"),
}
# When one person has several roles in one school, the one JEL keeps.
ROLE_RANK = ("principal", "district", "teacher", "aide")

# JEL's companion files (not OneRoster: it has no bell times).
COMPANIONS = {
    "bell_schedules": (
        "school_sourcedId",
        "schedule_name",
        "day_type",
        "period",
        "start_time",
        "end_time",
    ),
    "calendar_days": ("school_sourcedId", "date", "day_type", "schedule_name"),
}
