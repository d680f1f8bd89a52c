"""`flask backup create|restore`: a restore into an empty site gives back every row and every
file; a backup taken during writes restores to a consistent database (fault F10); a damaged
archive or a site that already holds data is refused with nothing changed."""
import io
import tarfile
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from accounts import services as account_services
from accounts.models import Role, User
from backup import services
from extensions import db
from tests.factories import empty_site, load_short_demo, table_rows, upload_files


@pytest.fixture
def app_config(tmp_path):
    return {"BACKUP_DIR": str(tmp_path / "backups")}


def _create(runner, path):
    result = runner.invoke(args=["backup", "create", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return result


def _restore(site, path, *extra):
    return site.test_cli_runner().invoke(args=["backup", "restore", str(path), *extra])


def test_restore_into_an_empty_site_gives_back_every_row_and_file(app, runner, monkeypatch, tmp_path, pg_schema):
    load_short_demo(runner, monkeypatch)
    archive = tmp_path / "site.tar.gz"
    created = _create(runner, archive)
    assert "Chỉ mục tìm kiếm không được sao lưu" in created.output
    source_rows, source_files = table_rows(app), upload_files(app)
    assert sum(map(len, source_rows.values())) > 30 and len(source_files) >= 18

    with empty_site(tmp_path / "fresh", pg_schema) as site:
        result = _restore(site, archive)
        assert result.exit_code == 0, result.output
        assert _database_checked(result.output)
        assert "Đã dựng lại chỉ mục tìm kiếm: 3 sản phẩm" in result.output
        assert table_rows(site) == source_rows
        assert upload_files(site) == source_files
        with site.app_context():
            if db.engine.dialect.name == "sqlite":
                assert services.sqlite_integrity(services.sqlite_path()) == "ok"


def test_backup_taken_during_writes_restores_only_committed_rows(app, runner, tmp_path, pg_schema):
    committed, stop = [], threading.Event()

    def keep_writing():
        with app.app_context():
            n = 0
            while not stop.is_set():
                n += 1
                phone = f"+8498{n:07d}"
                account_services.create_user(phone, "rau-sach-2025", f"Writer {n}", Role.PRODUCER, ())
                db.session.commit()
                committed.append(phone)
            db.session.remove()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(committed) < 5:
            time.sleep(0.01)
        before = set(committed)
        _create(runner, tmp_path / "busy.tar.gz")
        during = len(committed) - len(before)
        while len(committed) < len(before) + during + 3:
            time.sleep(0.01)  # and some more writes after the backup ended
    finally:
        stop.set()
        writer.join()

    with empty_site(tmp_path / "fresh", pg_schema) as site:
        result = _restore(site, tmp_path / "busy.tar.gz")
        assert result.exit_code == 0, result.output
        assert _database_checked(result.output)
        with site.app_context():
            restored = set(db.session.scalars(sa.select(User.phone)))
    assert before <= restored <= set(committed)
    assert len(restored) < len(committed)


def _database_checked(output):
    return ("Kiểm tra toàn vẹn cơ sở dữ liệu: ok" in output
            or "Đã khôi phục cơ sở dữ liệu PostgreSQL trong một giao dịch duy nhất." in output)


def _tampered_copy(archive, target, member_prefix):
    """The same archive with one byte changed in the first member whose name starts with the prefix."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        changed = False
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if not changed and member.name.startswith(member_prefix):
                data = bytes([data[0] ^ 1]) + data[1:]
                changed = True
            out.addfile(member, io.BytesIO(data))
    assert changed


def test_damaged_archives_are_refused_and_nothing_changes(app, runner, monkeypatch, tmp_path, pg_schema):
    load_short_demo(runner, monkeypatch)
    archive = tmp_path / "site.tar.gz"
    _create(runner, archive)
    photo = tmp_path / "photo-changed.tar.gz"
    _tampered_copy(archive, photo, "uploads/")
    dump = tmp_path / "database-changed.tar.gz"
    _tampered_copy(archive, dump, "database/")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])

    with empty_site(tmp_path / "fresh", pg_schema) as site:
        for bad in (photo, dump, truncated):
            result = _restore(site, bad, "--yes")
            assert result.exit_code == 1
            assert "Bản sao lưu bị hỏng nên không được khôi phục; không có gì bị thay đổi" in result.output
            with site.app_context():
                assert services.site_contents() == (0, 0)
                assert sa.inspect(db.engine).get_table_names() == []
        assert "checksum mismatch" in _restore(site, photo).output
        assert "truncated" in _restore(site, truncated).output


def test_restore_onto_a_site_with_data_needs_yes(app, runner, tmp_path):
    first_id = _add_user(app, "+84981111111")
    archive = tmp_path / "one-user.tar.gz"
    _create(runner, archive)
    _add_user(app, "+84982222222")
    (Path(app.config["UPLOAD_DIR"]) / "extra.bin").write_bytes(b"x")

    refused = _restore(app, archive)
    assert refused.exit_code == 1
    assert "Trang này đã có dữ liệu (2 dòng, 1 tệp tải lên); không có gì bị thay đổi" in refused.output
    assert len(table_rows(app)["users"]) == 2

    replaced = _restore(app, archive, "--yes")
    assert replaced.exit_code == 0, replaced.output
    with app.app_context():
        assert db.session.scalars(sa.select(User.id)).all() == [first_id]
    assert upload_files(app) == {}


def _add_user(app, phone):
    with app.app_context():
        user = account_services.create_user(phone, "rau-sach-2025", "Người dùng", Role.PRODUCER, ())
        db.session.commit()
        return user.id


def test_default_archives_are_dated_and_only_the_newest_are_kept(app, runner):
    folder = Path(app.config["BACKUP_DIR"])
    assert folder.parent == Path(app.config["UPLOAD_DIR"]).parent  # the test's own folder
    folder.mkdir(parents=True)
    older = [f"choque-backup-2026-11-{day:02d}_02-15-00Z.tar.gz" for day in range(1, 9)]
    for name in older + ["ghi-chu.txt"]:
        (folder / name).write_bytes(b"old")

    result = runner.invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    kept = sorted(path.name for path in folder.iterdir())
    assert kept[-1] == "ghi-chu.txt" and kept[:6] == older[2:]
    newest = kept[6]
    assert newest.startswith("choque-backup-20") and newest > older[-1]
    assert f"Đã ghi bản sao lưu: {folder / newest}" in result.output
    assert "Đã xoá bản sao lưu cũ choque-backup-2026-11-01_02-15-00Z.tar.gz" in result.output
    listed = runner.invoke(args=["backup", "list"]).output.splitlines()
    assert [line.split()[0] for line in listed] == [str(folder / name) for name in kept[:7]]
