"""The 403, 404, 400 and 500 pages: the school's layout, plain words, a way on."""

from django.template.loader import render_to_string
from django.urls import reverse


def test_wrong_role_sees_the_servers_reason_in_the_layout(cast, login):
    response = login(cast.teacher).get(reverse("scheduling:setup"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "This page is not open to you" in body
    assert "Your role in this school cannot open this page." in body
    assert "Go to your home page" in body
    assert 'rel="icon"' in body


def test_a_missing_page_says_so_and_offers_home(cast, login):
    response = login(cast.teacher).get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We cannot find that page" in body
    assert "/no-such-page/" in body
    assert "Go to your home page" in body


def test_the_500_and_400_pages_need_no_request_or_database():
    for name, heading in (
        ("500.html", "Something went wrong on our side"),
        ("400.html", "JEL could not read that request"),
    ):
        html = render_to_string(name)
        assert heading in html
        assert "Go to your home page" in html
