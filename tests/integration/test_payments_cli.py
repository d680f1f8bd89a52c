"""`flask payments vietqr`: prints the payload, writes images, explains errors."""
from payments.vietqr import build_payload, parse_payload
from tests.factories import decode_png, decode_svg

VECTOR_15 = ("00020101021238570010A00000072701270006970405011312345678901230208QRIBFTTA530370454061500005802VN"
             "62190815Don hang DH102363048EFF")


def test_prints_the_published_vector_and_writes_decodable_images(runner, tmp_path):
    png, svg = tmp_path / "code.png", tmp_path / "code.svg"
    result = runner.invoke(args=["payments", "vietqr", "--bin", "970405", "--account", "1234567890123",
                                 "--amount", "150000", "--memo", "Đơn hàng DH1023", "--png", str(png),
                                 "--svg", str(svg)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == VECTOR_15
    assert decode_png(png.read_bytes()) == [VECTOR_15]
    assert decode_svg(svg.read_text(encoding="utf-8")) == [VECTOR_15]
    assert "Agribank" in result.stderr


def test_static_code_without_amount(runner):
    result = runner.invoke(args=["payments", "vietqr", "--bin", "970436", "--account", "0123456789012"])
    assert result.exit_code == 0
    payload = result.stdout.strip()
    assert payload == build_payload("970436", "0123456789012")
    assert parse_payload(payload).amount is None


def test_errors_are_clear_messages(runner):
    bad_account = runner.invoke(args=["payments", "vietqr", "--bin", "970405", "--account", "12-34"])
    assert bad_account.exit_code == 1
    assert "Số tài khoản" in bad_account.output and "Traceback" not in bad_account.output

    too_much = runner.invoke(args=["payments", "vietqr", "--bin", "970405", "--account", "123456",
                                   "--amount", "500000000"])
    assert too_much.exit_code == 1 and "500.000.000" in too_much.output

    zero = runner.invoke(args=["payments", "vietqr", "--bin", "970405", "--account", "123456", "--amount", "0"])
    assert zero.exit_code == 1 and "lớn hơn 0" in zero.output

    unknown_bank = runner.invoke(args=["payments", "vietqr", "--bin", "123456", "--account", "123456"])
    assert unknown_bank.exit_code == 2 and "123456" in unknown_bank.output

    not_a_number = runner.invoke(args=["payments", "vietqr", "--bin", "970405", "--account", "123456",
                                       "--amount", "50.000"])
    assert not_a_number.exit_code == 2


def test_unwritable_path_is_reported(runner, tmp_path):
    result = runner.invoke(args=["payments", "vietqr", "--bin", "970405", "--account", "123456",
                                 "--png", str(tmp_path / "missing-dir" / "x.png")])
    assert result.exit_code == 1 and "x.png" in result.output


def test_says_when_it_shortened_the_memo(runner):
    long_memo = runner.invoke(args=["payments", "vietqr", "--bin", "970405", "--account", "1234567890123",
                                    "--amount", "120000", "--memo", "CQCEW3BV Chè Shan tuyết Giàng Pằng"])
    assert long_memo.exit_code == 0, long_memo.output
    assert parse_payload(long_memo.stdout.strip()).memo == "CQCEW3BV Che Shan tuyet"
    assert "đã được rút gọn" in long_memo.stderr and "“CQCEW3BV Che Shan tuyet”" in long_memo.stderr

    short_memo = runner.invoke(args=["payments", "vietqr", "--bin", "970405", "--account", "1234567890123",
                                     "--amount", "120000", "--memo", "Chè Shan tuyết"])
    assert short_memo.exit_code == 0 and "rút gọn" not in short_memo.stderr
