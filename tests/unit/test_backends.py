"""media.backends: object names never leave the folder; the folder backend lists and walks as the
bucket does; which names are photo objects (the rest of UPLOAD_DIR stays on local disk)."""
import pytest

from media.backends import FileBackend, check_name
from media.storage import is_stored_object_name

KEY = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize("name", ["", "/etc/passwd", "../x", "ab/../../x", "ab//x", "./ab", "ab\\x", "ab/."])
def test_names_that_could_leave_the_root_are_refused(tmp_path, name):
    with pytest.raises(ValueError):
        check_name(name)
    with pytest.raises(ValueError):
        FileBackend(tmp_path).path(name)


def test_put_get_names_walk_and_delete(tmp_path):
    backend = FileBackend(tmp_path / "uploads")
    backend.put_all([(f"01/{KEY}-160.webp", b"a"), (f"01/{KEY}-480.webp", b"b")])
    backend.put("imports/sheet.csv", b"c")
    assert backend.get(f"01/{KEY}-480.webp") == b"b" and backend.get(f"01/{KEY}-9.webp") is None
    assert backend.names(f"01/{KEY}-") == [f"01/{KEY}-160.webp", f"01/{KEY}-480.webp"]
    assert backend.names("zz/nothing-") == []
    assert [name for name, _ in backend.walk(top_level=lambda folder: folder == "01")] == [
        f"01/{KEY}-160.webp", f"01/{KEY}-480.webp"]
    assert backend.delete(f"01/{KEY}-160.webp") is True and backend.delete(f"01/{KEY}-160.webp") is False
    assert backend.local_path(f"01/{KEY}-480.webp") == tmp_path / "uploads" / "01" / f"{KEY}-480.webp"


def test_an_exclusive_first_write_refuses_a_taken_name_and_leaves_nothing_of_its_own(tmp_path):
    backend = FileBackend(tmp_path)
    backend.put(f"01/{KEY}-160.webp", b"first")
    with pytest.raises(FileExistsError):
        backend.put_all([(f"01/{KEY}-160.webp", b"second"), (f"01/{KEY}-480.webp", b"second")], exclusive_first=True)
    assert backend.get(f"01/{KEY}-160.webp") == b"first" and backend.get(f"01/{KEY}-480.webp") is None


@pytest.mark.parametrize("name, is_photo", [
    (f"01/{KEY}-480.webp", True), (f"01/{KEY}-480.jpg", True), (f"01/{KEY}-1200x630.jpg", True),
    (f"02/{KEY}-480.webp", False),  # not under its own fan-out folder
    ("imports/sheet.csv", False), (".partial/abc", False), (f"01/{KEY}-480.webp.0123.tmp", False),
])
def test_which_names_are_photo_objects(name, is_photo):
    assert is_stored_object_name(name) is is_photo
