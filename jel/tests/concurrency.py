"""Concurrent editors for the stale-edit tests: each opens the same thing at one
version on its own database connection, then all save at the same moment."""

import threading

from django.db import close_old_connections, connection, transaction
from django_scopes import scope

from jel.concurrency import StaleEdit


def race_editors(school, editors: int, load, save) -> dict[int, str]:
    """{editor number: "saved" or "stale"}; load() opens the thing, and
    save(opened, number, seen_version) saves it through the real service."""
    loaded = threading.Barrier(editors)
    outcomes: dict[int, str] = {}
    errors: list[BaseException] = []

    def editor(number):
        try:
            with scope(school=school):
                mine = load()
                seen = mine.version
                loaded.wait(timeout=60)  # everyone has the form open at `seen`
                try:
                    with transaction.atomic():  # as ATOMIC_REQUESTS does
                        save(mine, number, seen)
                except StaleEdit:
                    outcomes[number] = "stale"
                else:
                    outcomes[number] = "saved"
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert errors == [], errors
    return outcomes
