"""/healthz tells a load balancer whether the database and the broker answer."""

import pytest

from jel.celery import app as celery_app


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client, settings, monkeypatch):
    # Nothing listens on port 1: a connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    # Nothing more: no database or broker names, no reasons.
    assert response.json() == {"status": "unavailable"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_filesystem_broker_folder_is_gone(
    client, settings, tmp_path, caplog
):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "gone")
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    # The reason is in the log, for whoever runs JEL.
    failed = [r for r in caplog.records if r.getMessage() == "health check failed"]
    assert "missing" in failed[0].checks["broker"]["detail"]
