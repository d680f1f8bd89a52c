"""Pure rules of backup archives: names, retention, member names, manifest checks, schema rename."""
from datetime import datetime, timedelta, timezone

import pytest

from backup import rules
from backup.constants import DatabaseKind
from backup.rules import ArchiveRejected, Member


def test_archive_names_are_dated_in_utc_and_sort_by_time():
    hanoi = timezone(timedelta(hours=7))
    assert rules.archive_name(datetime(2026, 12, 3, 23, 30, 5, tzinfo=hanoi)) == \
        "choque-backup-2026-12-03_16-30-05Z.tar.gz"
    names = [rules.archive_name(datetime(2026, 12, day, 2, 0, tzinfo=timezone.utc)) for day in range(1, 11)]
    assert rules.archives_to_prune(names[::-1] + ["notes.txt", "choque-backup-x.tar.gz"], 7) == names[:3]
    assert rules.archives_to_prune(names, 20) == []


@pytest.mark.parametrize("name", ["../etc/passwd", "uploads/../x", "/abs", "uploads/a//b", "other/x",
                                  "uploads", "database/dump;rm"])
def test_unsafe_member_names_are_rejected(name):
    with pytest.raises(ArchiveRejected):
        rules.check_member_name(name)


def _manifest(members):
    return rules.build_manifest(app_version="v1", created_at=datetime(2026, 12, 3, tzinfo=timezone.utc),
                                database_kind=DatabaseKind.SQLITE, database_schema=None, members=members)


def test_manifest_round_trip_and_member_comparison():
    dump = Member("database/choque.sqlite3", 10, "a" * 64)
    photo = Member("uploads/ab/abc-160.webp", 3, "b" * 64)
    manifest = rules.parse_manifest(rules.manifest_bytes(_manifest([dump, photo])))
    expected = rules.manifest_members(manifest)
    rules.compare_members(expected, {m.name: m for m in (dump, photo)})
    with pytest.raises(ArchiveRejected, match="missing member"):
        rules.compare_members(expected, {dump.name: dump})
    with pytest.raises(ArchiveRejected, match="checksum mismatch"):
        rules.compare_members(expected, {dump.name: dump, photo.name: Member(photo.name, 3, "c" * 64)})
    with pytest.raises(ArchiveRejected, match="not in the manifest"):
        extra = Member("uploads/x", 1, "d" * 64)
        rules.compare_members(expected, {m.name: m for m in (dump, photo, extra)})
    with pytest.raises(ArchiveRejected, match="no database dump"):
        rules.parse_manifest(rules.manifest_bytes(_manifest([photo])))
    with pytest.raises(ArchiveRejected, match="not valid JSON"):
        rules.parse_manifest(b"{nope")


def test_schema_rename_touches_statements_but_not_copy_data():
    script = (
        "-- Name: old; Type: SCHEMA\n"
        "DROP TABLE IF EXISTS old.users;\n"
        "DROP SCHEMA IF EXISTS old;\n"
        "CREATE SCHEMA old;\n"
        "CREATE TABLE old.users (id integer DEFAULT nextval('old.users_id_seq'::regclass), bold text);\n"
        "COPY old.users (id, bold) FROM stdin;\n"
        "1\told.users is data\n"
        "\\.\n"
        "CREATE TRIGGER t BEFORE UPDATE ON old.audit FOR EACH ROW EXECUTE FUNCTION old.f();\n"
    )
    out = rules.rename_schema_in_script(script, "old", "new_1")
    assert "DROP TABLE IF EXISTS \"new_1\".users;" in out
    assert "DROP SCHEMA IF EXISTS \"new_1\";" in out and "CREATE SCHEMA \"new_1\";" in out
    assert "nextval('\"new_1\".users_id_seq'::regclass), bold text" in out
    assert "COPY \"new_1\".users (id, bold) FROM stdin;\n1\told.users is data\n\\.\n" in out
    assert "ON \"new_1\".audit FOR EACH ROW EXECUTE FUNCTION \"new_1\".f();" in out
    assert rules.rename_schema_in_script(script, "old", "old") == script
