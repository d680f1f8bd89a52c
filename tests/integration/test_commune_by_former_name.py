"""A farmer from former xã Yên Hòa (huyện Yên Mô, Ninh Bình) finds today's xã Yên Mô by the name
they know, with or without diacritics, on the page without JavaScript and through the API.
The mapping comes from the administrative data (places/data/former_communes.csv)."""
from lxml import html as lxml_html

from places import units
from tests.factories import Wizard, profile_data

NINH_BINH = units.match_province("Ninh Bình").code
YEN_MO = units.match_commune(NINH_BINH, "Yên Mô").code


def test_the_commune_list_narrows_to_a_former_name_without_javascript(client, auth, make_user):
    _, phone = make_user()
    auth.login(phone)
    wizard = Wizard(client, auth)
    page = wizard.post("/nha-san-xuat/ho-so", profile_data(province=str(NINH_BINH), commune="",
                                                            commune_search="yen hoa", action="find_commune"))
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.get_data(as_text=True))
    options = tree.xpath('//select[@name="commune"]/option[@value!=""]')
    assert [o.get("value") for o in options] == [str(YEN_MO)]
    assert options[0].text_content() == "Xã Yên Mô (gồm xã Yên Hòa cũ, huyện Yên Mô)"
    assert options[0].get("selected") is not None  # the only match is chosen
    assert tree.xpath('//input[@name="legal_name"]/@value') == ["HTX Mật ong Gia Phú"]  # nothing typed is lost
    saved = wizard.post("/nha-san-xuat/ho-so", profile_data(province=str(NINH_BINH), commune=str(YEN_MO),
                                                             commune_search="yen hoa"))
    assert saved.status_code == 302


def test_the_api_finds_today_s_commune_by_a_former_commune_or_district(client):
    found = client.get(f"/api/communes?province={NINH_BINH}&q=Yên Hòa").get_json()["communes"]
    assert found == [{"code": YEN_MO, "name": "Xã Yên Mô (gồm xã Yên Hòa cũ, huyện Yên Mô)"}]
    by_district = client.get(f"/api/communes?province={NINH_BINH}&q=huyen yen mo").get_json()["communes"]
    assert by_district[0]["code"] == YEN_MO and len(by_district) > 1
    assert client.get(f"/api/communes?province={NINH_BINH}&q=khong co xa nay").get_json()["communes"] == []
