"""The producer's message settings and history (its own only), and the officer's view of the
messages a producer received (its communes only). Permission is in the query: others get 404."""
from extensions import db
from producers.models import Producer
from tests import factories as vw


def decide(app, world, name, reason="Thiếu ảnh giấy phép kinh doanh."):
    from accounts.models import User
    from verification import services

    with app.app_context():
        services.decide(db.session.get(User, world.oa[0]), db.session.get(Producer, world.pa), name, reason=reason)
        db.session.commit()


def test_the_owner_picks_a_channel_and_reads_its_history(app, client, auth, make_user):
    world = vw.build(app, make_user, with_images=False)
    decide(app, world, "request_changes")
    auth.login(world.owner_a[1])
    profile = client.get(f"/nha-san-xuat/ho-so/{world.pa}/buoc-5").get_data(as_text=True)
    assert f"/nha-san-xuat/ho-so/{world.pa}/tin-nhan" in profile
    page = client.get(f"/nha-san-xuat/ho-so/{world.pa}/tin-nhan").get_data(as_text=True)
    assert "cán bộ xã đề nghị sửa hồ sơ HTX Mật ong Gia Phú" in page and "Thiếu ảnh giấy phép kinh doanh." in page
    assert "Chờ gửi" in page  # no channel is configured in this test: the message waits, visibly

    path = f"/nha-san-xuat/ho-so/{world.pa}/tin-nhan"
    missing = auth.post(path, {"channel": "email", "email": "", "language": "vi"}, form_page=path)
    assert missing.status_code == 200 and "Nhập địa chỉ e-mail để nhận tin." in missing.get_data(as_text=True)
    wrong = auth.post(path, {"channel": "email", "email": "không phải email", "language": "vi"}, form_page=path)
    assert "Nhập địa chỉ e-mail dạng ten@vidu.vn." in wrong.get_data(as_text=True)
    saved = auth.post(path, {"channel": "email", "email": " htx@giaphu.vn ", "language": "en"}, form_page=path,
                      follow_redirects=True)
    assert "Đã lưu." in saved.get_data(as_text=True)
    with app.app_context():
        producer = db.session.get(Producer, world.pa)
        assert (producer.notify_channel, producer.email, producer.notify_language) == ("email", "htx@giaphu.vn", "en")

    assert client.get(f"/nha-san-xuat/ho-so/{world.pb}/tin-nhan").status_code == 404, "another producer's"
    assert client.get(f"/can-bo/ho-so/{world.pa}/tin-nhan").status_code in (403, 404)


def test_an_officer_sees_what_a_producer_of_its_commune_received(app, client, auth, make_user):
    world = vw.build(app, make_user, with_images=False)
    decide(app, world, "reject", reason="Giấy chứng nhận không khớp tên sản phẩm.")
    auth.login(world.oa2[1])
    dossier = client.get(f"/can-bo/ho-so/{world.pa}").get_data(as_text=True)
    assert f"/can-bo/ho-so/{world.pa}/tin-nhan" in dossier
    page = client.get(f"/can-bo/ho-so/{world.pa}/tin-nhan").get_data(as_text=True)
    assert "hồ sơ HTX Mật ong Gia Phú không được duyệt" in page and "+84912345678" in page
    assert client.get(f"/nha-san-xuat/ho-so/{world.pa}/tin-nhan").status_code == 404, "not the officer's own"
    auth.logout()
    auth.login(world.ob[1])
    assert client.get(f"/can-bo/ho-so/{world.pa}/tin-nhan").status_code == 404, "another commune's producer"


def test_an_officers_messages_go_to_the_email_set_on_the_command_line(app, runner, make_user):
    from accounts.models import Role, User

    officer_id, officer_phone = make_user(role=Role.OFFICER, communes=(vw.COMMUNE_A,))
    result = runner.invoke(args=["notifications", "officer-email", officer_phone, "canbo@giaphu.gov.vn"])
    assert "e-mail to canbo@giaphu.gov.vn" in result.output
    with app.app_context():
        assert db.session.get(User, officer_id).email == "canbo@giaphu.gov.vn"
    assert runner.invoke(args=["notifications", "officer-email", officer_phone, "khong-phai"]).exit_code != 0
    assert runner.invoke(args=["notifications", "officer-email", "+84999999999", "a@b.vn"]).exit_code != 0
    runner.invoke(args=["notifications", "officer-email", officer_phone])
    with app.app_context():
        assert db.session.get(User, officer_id).email is None
