import unicodedata

from vntext import fold, nfc, slugify


def test_fold_maps_d_bar_and_strips_marks():
    assert fold("Đường Đà Lạt") == "Duong Da Lat"
    assert fold("Cá chạch sấy khô") == "Ca chach say kho"


def test_fold_handles_decomposed_input():
    assert fold(unicodedata.normalize("NFD", "Mật ong")) == "Mat ong"


def test_nfc_composes():
    assert nfc(unicodedata.normalize("NFD", "chè")) == "chè"


def test_slugify():
    assert slugify("Cá chạch sấy khô Yên Hòa") == "ca-chach-say-kho-yen-hoa"
    assert slugify("  --Đặc sản!! ") == "dac-san"
