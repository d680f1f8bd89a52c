"""A photo file cut short on disk (fault F12, docs/SECURITY-REFERENCE.md §7: a damaged disk, a partial copy
from a restore) gets the placeholder, as a missing one does; the whole file is served as it is."""
import os

from media.storage import ImageStore
from tests.factories import jpeg
from tests.integration.test_products_manage import form_data  # noqa: F401
from tests.integration.test_products_photos import create, owner, photo_rows  # noqa: F401


def test_a_truncated_photo_file_gets_the_placeholder_and_a_whole_one_is_served(app, auth, owner, client):  # noqa: F811
    assert create(auth, owner, [(jpeg(), "a.jpg")]).status_code == 302
    key = photo_rows(app)[0][2]
    store = ImageStore(app.config["UPLOAD_DIR"])
    whole = store.path_for(key, 480).read_bytes()
    served = client.get(f"/anh/{key}/480.webp")
    assert served.status_code == 200 and served.get_data() == whole
    served.close()
    with open(store.path_for(key, 480), "r+b") as fh:
        fh.truncate(len(whole) // 2)
    os.truncate(store.path_for(key, 160), 0)
    for width in (480, 160):
        response = client.get(f"/anh/{key}/{width}.webp")
        assert response.status_code == 200 and response.mimetype == "image/webp"
        assert response.get_data() != whole[: len(whole) // 2] and response.get_data()[:4] == b"RIFF"
        assert "immutable" not in response.headers["Cache-Control"]  # the real one may come back
        response.close()
