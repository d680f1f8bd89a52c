"""Value conversions: prices, URLs, truncation, weights, HTML."""
import unicodedata

import pytest

from catalog.exporters.fields import (
    ascii_http_url, fit_html, kilograms, one_line, plain_to_html, truncate_words, url_extension,
    vnd_price,
)


def test_price_has_no_separator():
    assert vnd_price(185000) == "185000 VND"
    assert vnd_price(1_250_000) == "1250000 VND"


@pytest.mark.parametrize("grams, kg", [(300, 0.3), (350, 0.35), (1234, 1.24), (1, 0.01), (5000, 5.0)])
def test_kilograms_round_up_to_two_decimals(grams, kg):
    assert kilograms(grams) == kg


def test_truncate_words_cuts_at_a_space_and_marks_it():
    text = "Mật ong hoa cà phê nguyên chất Đắk Lắk"
    short, cut = truncate_words(text, 20)
    assert cut and len(short) <= 20 and short.endswith("…")
    assert text.startswith(short[:-1])
    assert short[:-1] == "Mật ong hoa cà phê"
    assert truncate_words(text, len(text)) == (text, False)


def test_truncate_words_cuts_a_single_long_word():
    short, cut = truncate_words("x" * 40, 10)
    assert cut and short == "x" * 9 + "…"


def test_truncate_words_without_ellipsis():
    short, cut = truncate_words("Hợp tác xã Nông nghiệp Yên Hòa", 12, ellipsis="")
    assert cut and short == "Hợp tác xã"


def test_non_ascii_image_name_is_percent_encoded_from_nfc():
    decomposed = unicodedata.normalize("NFD", "https://choque.vn/media/mật-ong.jpg")
    assert ascii_http_url(decomposed) == "https://choque.vn/media/m%E1%BA%ADt-ong.jpg"
    assert ascii_http_url("https://choque.vn/media/mật-ong.jpg").isascii()


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://choque.vn/a b.jpg", "https://choque.vn/a%20b.jpg"),
        ("https://choque.vn/a,b.jpg", "https://choque.vn/a%2Cb.jpg"),
        ("https://choque.vn/m%E1%BA%AD.jpg", "https://choque.vn/m%E1%BA%AD.jpg"),  # no double encoding
        ("https://choque.vn/100%.jpg", "https://choque.vn/100%25.jpg"),
        ("HTTPS://ChoQue.VN/x.jpg?w=1200&q=ảnh", "https://choque.vn/x.jpg?w=1200&q=%E1%BA%A3nh"),
        ("https://chợquê.vn/x.jpg", "https://xn--chqu-jpa9417b.vn/x.jpg"),
        ("https://choque.vn:8443/x.jpg", "https://choque.vn:8443/x.jpg"),
        ("https://choque.vn", "https://choque.vn/"),
    ],
)
def test_urls_become_absolute_ascii(url, expected):
    assert ascii_http_url(url) == expected


@pytest.mark.parametrize(
    "url",
    ["/media/x.jpg", "ftp://choque.vn/x.jpg", "javascript:alert(1)", "file:///etc/passwd",
     "https://user:pw@choque.vn/x.jpg", "https:///x.jpg", "https://choque.vn:99999/x.jpg", ""],
)
def test_unusable_urls_are_refused(url):
    assert ascii_http_url(url) is None


def test_url_extension_ignores_query_and_fragment():
    assert url_extension("https://a.vn/p/anh.JPG?w=1#x") == "jpg"
    assert url_extension("https://a.vn/p/anh") == ""
    assert url_extension("https://a.vn/p.d/anh") == ""


def test_one_line_flattens_tabs_and_breaks():
    assert one_line("a\tb\n\nc\r\nd ") == "a b c d"


def test_plain_to_html_escapes_and_keeps_structure():
    assert plain_to_html("<b>Mắm</b> & muối\ndòng 2\n\nđoạn 2") == (
        "<p>&lt;b&gt;Mắm&lt;/b&gt; &amp; muối<br>dòng 2</p><p>đoạn 2</p>"
    )


def test_fit_html_respects_the_limit_on_rendered_html():
    text = ("Cà phê & ca cao <ngon>. " * 200).strip()
    rendered, cut = fit_html(text, 500)
    assert cut and len(rendered) <= 500
    assert rendered.startswith("<p>Cà phê &amp; ca cao &lt;ngon&gt;.") and rendered.endswith("…</p>")
    assert fit_html("ngắn", 500) == ("<p>ngắn</p>", False)
