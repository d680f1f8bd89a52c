"""`flask demo load` adds published demo products with drawn photos (a short list here: the full
twenty take a while to encode on a slow machine)."""

from catalog.models import Product, ProductPhoto
from extensions import db
from media.storage import ImageStore


def test_demo_products_are_public_with_photos_and_one_expired_certificate(app, runner, client, monkeypatch):
    from demo import data as demo_data

    short = [[demo_data.DEMO_PRODUCTS[0][0], demo_data.DEMO_PRODUCTS[0][2]], [demo_data.DEMO_PRODUCTS[1][0]], [], []]
    monkeypatch.setattr(demo_data, "DEMO_PRODUCTS", short)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        products = db.session.scalars(db.select(Product).order_by(Product.id)).all()
        assert [p.name for p in products] == ["Cá chạch sấy khô Yên Hòa", "Mật ong hoa nhãn", "Chè Shan tuyết Gia Phú"]
        assert all(p.is_public and len(p.photos) == 2 for p in products)
        assert [p.stars() for p in products] == [4, None, 5]  # the honey's certificate is 66 months old
        keys = db.session.scalars(db.select(ProductPhoto.image_key)).all()
    store = ImageStore(app.config["UPLOAD_DIR"])
    assert all(store.widths(key) == [160, 480, 1200] for key in keys)
    assert "Chứng nhận OCOP đã hết hạn" in client.get(f"/san-pham/{products[1].id}", follow_redirects=True).get_data(
        as_text=True)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0  # a second run changes nothing
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Product.id))) == 3
