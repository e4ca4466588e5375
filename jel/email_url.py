"""Turn EMAIL_URL into Django e-mail settings.

Written here rather than taken from dj-email-url, whose last release is from 2022;
the whole job is a dozen lines over urllib.
"""

from urllib.parse import parse_qs, unquote, urlsplit

BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}


def email_settings_from_url(url: str) -> dict:
    """Django EMAIL_* settings for a URL such as smtp+tls://user:pw@host:587."""
    parts = urlsplit(url)
    if parts.scheme not in BACKENDS:
        raise ValueError(
            f"EMAIL_URL scheme {parts.scheme!r} is not one of {sorted(BACKENDS)}"
        )
    settings = {"EMAIL_BACKEND": BACKENDS[parts.scheme]}
    if parts.scheme == "file":  # file:///path/to/folder, one file per message
        settings["EMAIL_FILE_PATH"] = unquote(parts.path)
    if parts.scheme.startswith("smtp"):
        query = parse_qs(parts.query)
        settings.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port
            or {"smtps": 465, "smtp+tls": 587}.get(parts.scheme, 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=parts.scheme == "smtp+tls",
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_TIMEOUT=int(query.get("timeout", ["10"])[0]),
        )
    return settings
