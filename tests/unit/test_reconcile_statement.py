"""Reading bank statements by header name (pure), on sheets laid out like Vietcombank's and
Techcombank's XLSX exports and MB Bank's CSV (tests/integration/statement_sheets.py)."""
import pytest

from catalog.importer.messages import ImportFileError
from catalog.importer.sheet import read_table
from reconcile.statement import StatementError, read_money, read_statement
from tests.integration.statement_sheets import at, mb_csv, techcombank_xlsx, vietcombank_xlsx


def test_vietcombank_layout(tmp_path):
    path = vietcombank_xlsx(tmp_path / "SaoKe_VCB.xlsx", [
        ("01/12/2026", "5243.65937", "", "240,000", "MBVCB.4525077405.029552.CQ7KX2MA mat ong.CT tu 0351000646393"),
        ("01/12/2026", "5243.65938", "99,000", "", "MBVCB.4525077406.CT tu 1234567890123 toi 0351000646393"),
        ("02/12/2026", "9920.28", "", "1,500,000", "IBFT CQ ABC 234 che shan"),
    ])
    reading = read_statement(read_table(path))
    assert reading.header_row == 12
    assert reading.columns["credit"] == "Số tiền ghi có Credit"
    assert [(c.amount_vnd, c.bank_reference, c.occurred_at.day) for c in reading.credits] == [
        (240_000, "5243.65937", 1), (1_500_000, "9920.28", 2)]
    assert reading.credits[0].external_id == "ref:5243.65937"
    assert reading.money_out == 1 and reading.problems == []


def test_techcombank_layout_with_thirty_title_lines_and_merged_cells(tmp_path):
    path = techcombank_xlsx(tmp_path / "TCB.xlsx", [
        (at(1), "TRAN THI BINH", "TRAN THI BINH chuyen tien CQ7KX2MA", "FT26335123456789", None, 240_000),
        (at(2), "CONG TY DIEN LUC", "Thanh toan tien dien T11", "FT26336123456789", 320_000, None),
        (at(3), "NGUYEN VAN A", "NGUYEN VAN A chuyen tien", "FT26337123456789", None, 80_000),
    ])
    reading = read_statement(read_table(path))
    assert reading.header_row == 33
    assert [(c.amount_vnd, c.bank_reference, c.description) for c in reading.credits] == [
        (240_000, "FT26335123456789", "TRAN THI BINH chuyen tien CQ7KX2MA"),
        (80_000, "FT26337123456789", "NGUYEN VAN A chuyen tien")]
    assert reading.money_out == 1


def test_mb_csv_with_a_signed_amount_column(tmp_path):
    path = mb_csv(tmp_path / "mb.csv", [(at(1), 240_000, "CQ7KX2MA thanh toan", "FT1"),
                                        (at(2), -50_000, "rut tien", "FT2")])
    reading = read_statement(read_table(path))
    assert [(c.amount_vnd, c.bank_reference, c.occurred_at) for c in reading.credits] == [(240_000, "FT1", at(1))]
    assert reading.money_out == 1


def test_unreadable_amounts_are_reported_by_row(tmp_path):
    path = vietcombank_xlsx(tmp_path / "vcb.xlsx", [("01/12/2026", "1.1", "", "240,000", "ok"),
                                                    ("01/12/2026", "1.2", "", "hai tram", "bad")])
    reading = read_statement(read_table(path))
    assert len(reading.credits) == 1
    assert [(p.row, p.code, p.value) for p in reading.problems] == [(14, "amount_unreadable", "hai tram")]


def test_rows_without_a_reference_get_stable_ids():
    table = [(1, ["Ngày giao dịch", "Nội dung", "Số tiền ghi có"]), (2, ["01/12/2026", "CQ7KX2MA", "240,000"]),
             (3, ["01/12/2026", "CQ7KX2MA", "240,000"])]
    first, again = read_statement(table), read_statement(table)
    ids = [c.external_id for c in first.credits]
    assert len(set(ids)) == 2 and ids == [c.external_id for c in again.credits]


def test_no_header_is_a_clear_error():
    with pytest.raises(StatementError) as error:
        read_statement([(1, ["Họ tên", "Địa chỉ"]), (2, ["A", "B"])])
    assert error.value.code == "header_not_found"


def test_file_problems_reuse_the_import_messages(tmp_path):
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ImportFileError) as error:
        read_table(old)
    assert error.value.code == "file_xls_old"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFileError):
        read_table(empty)


@pytest.mark.parametrize("value, amount", [("1,500,000", 1_500_000), ("1.500.000", 1_500_000), (1500000, 1_500_000),
                                           ("1,500,000.00", 1_500_000), ("(150,000)", -150_000), ("", None),
                                           ("2.000.000 VND", 2_000_000), ("120000", 120_000)])
def test_money_cells(value, amount):
    assert read_money(value) == amount


@pytest.mark.parametrize("value", ["1,500.50", "abc", "1.2.3,45"])
def test_not_money(value):
    with pytest.raises(ValueError):
        read_money(value)
