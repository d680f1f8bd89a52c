"""Issue 9, finding 8: bytes that are not UTF-8 in the address, a header or a form field get a
400 page that says what happened, in Vietnamese or English, never a 500. The raw bytes are put
in the WSGI environ as a server passes them on (PEP 3333: Latin-1 text)."""
import io

import pytest

from accounts.models import Role, User
from extensions import db
from tests.conftest import csrf_token_from

VI_TITLE = "Không đọc được một số ký tự"
EN_TITLE = "Some characters could not be read"


def _get(client, path="/", **environ):
    if "HTTP_COOKIE" in environ:
        # The test client writes its own cookie jar over HTTP_COOKIE; a jar-less client does not.
        client = client.application.test_client(use_cookies=False)
    return client.get(path, environ_overrides=environ)


@pytest.mark.parametrize("path,environ", [
    ("/", {"QUERY_STRING": "\xff"}),
    ("/tim-kiem", {"QUERY_STRING": "q=m\xe1t+\xff\xfe"}),
    ("/tim-kiem", {"QUERY_STRING": "q=%FF%FE"}),
    ("/", {"PATH_INFO": "/s\xe1n-ph\xff"}),
    ("/", {"HTTP_ACCEPT_LANGUAGE": "vi,\xff\xfe"}),
    ("/", {"HTTP_COOKIE": "session=\xff\xfe"}),
    ("/san-pham", {"HTTP_REFERER": "https://x/\xff"}),
])
def test_unreadable_bytes_give_a_readable_400(client, path, environ):
    response = _get(client, path, **environ)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert VI_TITLE in html
    assert "<title>" in html


def test_the_page_is_english_for_english_readers(client):
    client.set_cookie("lang", "en")
    response = _get(client, "/", QUERY_STRING="\xff")
    assert response.status_code == 400
    assert EN_TITLE in response.get_data(as_text=True)


def test_the_api_answers_json(client):
    response = _get(client, "/api/products", QUERY_STRING="page=\xff")
    assert response.status_code == 400
    assert response.get_json()["error"] == VI_TITLE


def test_a_latin1_user_agent_is_tolerated(client):
    assert _get(client, "/", HTTP_USER_AGENT="Nokia\xe9").status_code == 200


def _registration_token(client):
    return csrf_token_from(client.get("/dang-ky").get_data(as_text=True))


def test_an_unreadable_urlencoded_field_is_refused_and_nothing_is_saved(app, client):
    token = _registration_token(client)
    body = (f"csrf_token={token}&name=Ng%C3%B4+\xff&phone=0912345678&password=mat-ong-rung-2026"
            "&password_confirm=mat-ong-rung-2026").encode("latin-1")
    response = client.post("/dang-ky", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert VI_TITLE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_an_unreadable_multipart_field_is_refused(app, client, auth, make_user):
    _uid, phone = make_user(Role.PRODUCER)
    auth.login(phone)
    token = auth.token("/nha-san-xuat/ho-so")
    boundary = "xXx"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"legal_name\"\r\n\r\n").encode() + \
        b"HTX \xff\xfe\r\n" + f"--{boundary}--\r\n".encode()
    response = client.post("/nha-san-xuat/ho-so", input_stream=io.BytesIO(body),
                           content_type=f"multipart/form-data; boundary={boundary}", content_length=len(body))
    assert response.status_code == 400
    assert VI_TITLE in response.get_data(as_text=True)
