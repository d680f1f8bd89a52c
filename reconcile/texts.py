"""What people read about refused matches and unreadable statements, in their language."""
from flask_babel import lazy_gettext as _l

MATCH_REFUSALS = {
    "not_unmatched": _l("This transaction is already matched or set aside."),
    "order_not_found": _l("None of your orders has this code. Check the code and try again."),
}

STATEMENT_ERRORS = {
    "header_not_found": _l("No row of column names was found in the first %(rows)s rows. The statement needs "
                           "columns for the date (Ngày giao dịch), the amount received (Số tiền ghi có) and the "
                           "description (Nội dung or Mô tả)."),
}

ROW_PROBLEMS = {
    "amount_unreadable": _l("Row %(row)s: “%(value)s” is not an amount in whole đồng; the row was skipped."),
}
