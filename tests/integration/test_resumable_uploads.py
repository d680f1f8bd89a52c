"""Resumable uploads through HTTP (core.uploads), shaped like tus 1.0 (tus.io/protocols/
resumable-upload: creation, PATCH with Upload-Offset, HEAD for the offset, 409 on a
mismatched offset): a photo interrupted half-way resumes and reaches the form's view."""
import hashlib

from flask import jsonify

from core.uploads import chosen_uploads


def start(client, token, size, name="giay-dang-ky.jpg"):
    return client.post("/tai-len", json={"name": name, "type": "image/jpeg", "size": size},
                       headers={"X-CSRFToken": token})


def patch(client, token, upload_id, offset, data):
    return client.patch(f"/tai-len/{upload_id}", data=data,
                        headers={"X-CSRFToken": token, "Upload-Offset": str(offset),
                                 "Content-Type": "application/offset+octet-stream"})


def test_an_interrupted_upload_resumes_and_reaches_the_view(app, client, auth, make_user):
    @app.post("/test-form")
    def test_form():
        return jsonify([hashlib.sha256(f.read()).hexdigest() + ":" + f.filename for f in chosen_uploads("photo")])

    _, phone = make_user()
    auth.login(phone)
    token = auth.token("/nha-san-xuat")
    photo = bytes(range(256)) * 1200  # 300 KB, as a phone sends it after shrinking
    created = start(client, token, len(photo))
    assert created.status_code == 201 and created.headers["Tus-Resumable"] == "1.0.0"
    upload_id = created.get_json()["id"]
    assert patch(client, token, upload_id, 0, photo[:65536]).headers["Upload-Offset"] == "65536"
    # The connection drops; the phone asks how much arrived and sends a stale piece first.
    assert client.head(f"/tai-len/{upload_id}").headers["Upload-Offset"] == "65536"
    stale = patch(client, token, upload_id, 0, photo[:65536])
    assert stale.status_code == 409 and stale.headers["Upload-Offset"] == "65536"
    assert patch(client, token, upload_id, 65536, photo[65536:]).get_json()["offset"] == len(photo)
    sent = auth.post("/test-form", {"photo__resumed": upload_id}, form_page="/nha-san-xuat")
    assert sent.get_json() == [hashlib.sha256(photo).hexdigest() + ":giay-dang-ky.jpg"]
    # Used once: the part is gone, so the same id cannot be replayed.
    assert client.head(f"/tai-len/{upload_id}").status_code == 404


def test_parts_belong_to_their_owner_and_need_a_login(app, client, auth, make_user):
    _, owner_phone = make_user()
    _, other_phone = make_user()
    auth.login(owner_phone)
    token = auth.token("/nha-san-xuat")
    upload_id = start(client, token, 10).get_json()["id"]
    auth.logout()
    assert client.head(f"/tai-len/{upload_id}").status_code == 401
    auth.login(other_phone)
    token = auth.token("/nha-san-xuat")
    assert patch(client, token, upload_id, 0, b"x").status_code == 404
    assert client.head(f"/tai-len/{upload_id}").status_code == 404


def test_sizes_over_the_upload_cap_and_missing_csrf_are_refused(app, client, auth, make_user):
    _, phone = make_user()
    auth.login(phone)
    token = auth.token("/nha-san-xuat")
    assert start(client, token, app.config["MAX_CONTENT_LENGTH"] + 1).status_code == 413
    assert client.post("/tai-len", json={"name": "a.jpg", "type": "image/jpeg", "size": 10}).status_code == 400
    upload_id = start(client, token, 4).get_json()["id"]
    assert patch(client, token, upload_id, 0, b"12345").status_code == 413
    assert client.patch(f"/tai-len/{upload_id}", data=b"1", headers={"X-CSRFToken": token}).status_code == 400
