"""The report as files a district wants: an XLSX workbook and a printable A4 PDF with the
same figures, charts and lists as the page. Pure: sections in, bytes out (no Flask).

A `Section` is what the page shows under one heading: a table, and optionally the rows of
its bar chart. The page, the workbook and the PDF are all drawn from the same sections.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font

from media import typefaces

BAR_COLOUR = (47, 107, 58)


@dataclass
class Section:
    key: str
    title: str
    columns: tuple
    rows: list = field(default_factory=list)
    chart: list | None = None  # [(label, value)] drawn as bars
    note: str = ""


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def xlsx_bytes(title: str, subtitle: str, sections: list) -> bytes:
    """One sheet: the heading, then each section's title, column names and rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([subtitle])
    for section in sections:
        sheet.append([])
        sheet.append([section.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append(list(section.columns))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append(["" if value is None else value for value in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text: never a formula
        if section.note:
            sheet.append([section.note])
    sheet.column_dimensions["A"].width = 46
    for letter in "BCDE":
        sheet.column_dimensions[letter].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _report_pdf(footer_text: str):
    """An A4 FPDF with our font and a page footer. fpdf2 is imported here, not with the module:
    it adds 25 MB to every process that loads the app (imports, exports), and only PDFs need it."""
    from fpdf import FPDF

    class Report(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font("DejaVu", "", 8)
            self.cell(0, 5, f"{footer_text} · {self.page_no()}", align="R")

    pdf = Report(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(typefaces.REGULAR))
    pdf.add_font("DejaVu", "B", str(typefaces.BOLD))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    return pdf


def pdf_bytes(title: str, subtitle: str, sections: list, footer: str = "Chợ Quê") -> bytes:
    pdf = _report_pdf(footer)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    for section in sections:
        _section(pdf, section)
    return bytes(pdf.output())


def _section(pdf, section):
    needed = 14 + 6 * (len(section.chart or ()) + len(section.rows) + 1)
    if pdf.get_y() + min(needed, 80) > pdf.h - 20:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 6, section.title, new_x="LMARGIN", new_y="NEXT")
    if section.chart:
        _bars(pdf, section.chart)
    pdf.set_font("DejaVu", "", 8.5)
    widths = _widths(len(section.columns))
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.6, first_row_as_headings=True) as table:
        header = table.row()
        for name in section.columns:
            header.cell(str(name))
        for values in section.rows:
            row = table.row()
            for value in values:
                row.cell(_text(value))
    if section.note:
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(0, 4.5, section.note, new_x="LMARGIN", new_y="NEXT")


def _widths(count: int) -> tuple:
    return (3,) + (1,) * (count - 1) if count > 1 else (1,)


def _bars(pdf, rows):
    top = max((value or 0 for _, value in rows), default=0) or 1
    label_width, full = 62, pdf.w - pdf.l_margin - pdf.r_margin - 62 - 18
    pdf.set_font("DejaVu", "", 8.5)
    for label, value in rows:
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_width, 5, str(label)[:48])
        length = max(full * (value or 0) / top, 0.5)
        pdf.set_fill_color(*BAR_COLOUR)
        pdf.rect(pdf.l_margin + label_width, y + 1, length, 3.2, style="F")
        pdf.set_xy(pdf.l_margin + label_width + length + 1.5, y)
        pdf.cell(18, 5, _text(value))
        pdf.ln(5)
    pdf.ln(1)
