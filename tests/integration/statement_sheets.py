"""Statement files laid out like two major banks' internet-banking exports (docs/RECONCILIATION.md).

- Vietcombank (VCB Digibank "Sao kê tài khoản"): bank and account title lines, then
  "STT | Ngày giao dịch | Số tham chiếu | Số tiền ghi nợ | Số tiền ghi có | Số dư | Mô tả" with
  bilingual captions, amounts as text with thousands commas ("1,500,000"), dates "dd/mm/yyyy",
  references like "5243.65937", descriptions such as "MBVCB.4525077405.029552.<memo>.CT tu …",
  and a "Tổng" (total) row at the end.
- Techcombank: about 30 lines of customer and account details, then a header row in merged cells
  spread across many columns ("Ngày giao dịch / Transaction Date", "Đối tác / Remitter",
  "NH Đối tác / Remitter Bank", "Diễn giải / Details", "Số bút toán / Transaction No.",
  "Nợ TKTT / Debit", "Có TKTT / Credit", "Số dư / Balance"), an opening-balance row, numeric
  amounts, references such as "FT23304…", and a closing note ("Phiếu này …").
- A CSV in the shape MB Bank's export takes when saved as CSV: one signed amount column.
"""
import csv
from datetime import datetime

import openpyxl

VCB_TITLE = [
    ["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"],
    ["JOINT STOCK COMMERCIAL BANK FOR FOREIGN TRADE OF VIETNAM"],
    [],
    ["SAO KÊ TÀI KHOẢN"],
    ["STATEMENT OF ACCOUNT"],
    ["Số tài khoản/Account number:", "1234567890123"],
    ["Tên tài khoản/Account name:", "HTX MAT ONG U MINH"],
    ["Loại tiền/Currency:", "VND"],
    ["Từ ngày/From: 01/12/2026", None, "Đến ngày/To: 03/12/2026"],
    ["Số dư đầu kỳ/Opening balance:", "2,308,471"],
    [],
]
VCB_HEADER = ["STT\nNo.", "Ngày giao dịch\nTransaction Date", "Số tham chiếu\nReference No.",
              "Số tiền ghi nợ\nDebit", "Số tiền ghi có\nCredit", "Số dư\nBalance", "Mô tả\nDescription"]


def vietcombank_xlsx(path, rows):
    """rows: (date 'dd/mm/yyyy', reference, debit text, credit text, description)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Statement"
    for line in VCB_TITLE:
        sheet.append(line)
    sheet.append(VCB_HEADER)
    balance = 2_308_471
    for number, (day, reference, debit, credit, description) in enumerate(rows, start=1):
        balance += _int(credit) - _int(debit)
        sheet.append([number, day, reference, debit, credit, f"{balance:,}", description])
    sheet.append(["Tổng/Total", None, None, "", "", None, None])
    workbook.save(path)
    return path


def _int(text):
    digits = str(text or "").replace(",", "")
    return int(digits) if digits.isdigit() else 0


# Column letters of Techcombank's merged header cells (1-based positions 2, 8, 17, 25, 33, 46, 54, 60).
TCB_COLUMNS = {"date": 2, "remitter": 8, "remitter_bank": 17, "details": 25, "number": 33, "debit": 46,
               "credit": 54, "balance": 60}
TCB_HEADER = {"date": "Ngày giao dịch\nTransaction Date", "remitter": "Đối tác\nRemitter",
              "remitter_bank": "NH Đối tác\nRemitter Bank", "details": "Diễn giải\nDetails",
              "number": "Số bút toán\nTransaction No.", "debit": "Nợ TKTT\nDebit", "credit": "Có TKTT\nCredit",
              "balance": "Số dư\nBalance"}


def techcombank_xlsx(path, rows):
    """rows: (datetime, remitter, details, transaction number, debit int or None, credit int or None)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    details = ["NGÂN HÀNG TMCP KỸ THƯƠNG VIỆT NAM", "Techcombank", "SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT",
               "Chi nhánh/Branch: NKH-TCB NGOC KHANH", "Tên khách hàng/Customer name: HTX MAT ONG U MINH",
               "Mã khách hàng/Customer ID: 20352517", "Địa chỉ/Address: Gia Phu, Lao Cai",
               "Số tài khoản/Account no: 19020352517013", "Loại tài khoản/Type of account: TIEN GUI THANH TOAN",
               "Loại tiền/Currency: VND", "Từ ngày/From: 01/12/2026 Đến ngày/To: 03/12/2026"]
    row = 1
    for line in details:
        sheet.cell(row=row, column=2, value=line)
        row += 2  # the export leaves blank rows between detail lines
    header_row = 33
    for name, column in TCB_COLUMNS.items():
        sheet.cell(row=header_row, column=column, value=TCB_HEADER[name])
        width = {"date": 5, "remitter": 8, "remitter_bank": 7, "details": 7, "number": 12, "debit": 7,
                 "credit": 5, "balance": 6}[name]
        sheet.merge_cells(start_row=header_row, start_column=column, end_row=header_row + 1,
                          end_column=column + width)
    sheet.cell(row=35, column=TCB_COLUMNS["date"], value="Số dư đầu kỳ/Opening balance")
    sheet.cell(row=35, column=TCB_COLUMNS["balance"], value=2_308_471)
    for offset, (moment, remitter, text, number, debit, credit) in enumerate(rows):
        line = 36 + offset
        for name, value in (("date", moment), ("remitter", remitter), ("remitter_bank", "VCB"),
                            ("details", text), ("number", number), ("debit", debit), ("credit", credit)):
            sheet.cell(row=line, column=TCB_COLUMNS[name], value=value)
    last = 36 + len(rows) + 2
    sheet.cell(row=last, column=2, value="Phiếu này được in từ hệ thống Techcombank / This statement is printed "
                                         "from Techcombank's system")
    workbook.save(path)
    return path


def mb_csv(path, rows):
    """rows: (datetime, signed amount int, description, transaction code)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["SAO KÊ TÀI KHOẢN - MB"])
        writer.writerow(["Số tài khoản: 0351000646393"])
        writer.writerow([])
        writer.writerow(["Ngày giao dịch", "Mã giao dịch", "Số tiền", "Nội dung"])
        for moment, amount, description, code in rows:
            writer.writerow([moment.strftime("%d/%m/%Y %H:%M:%S"), code, f"{amount:+,}".replace(",", "."),
                             description])
    return path


def at(day, hour=9):
    return datetime(2026, 12, day, hour, 15)
