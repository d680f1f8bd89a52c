"""One person at a browser, for the fault bench: logs in through the form (CSRF token from
the page), edits a product, uploads a photo, searches. Plain `requests`, no JavaScript."""
from __future__ import annotations

import random
import re
import urllib.parse

import requests

from bench.html_forms import CSRF, form_having, replace_fields
from bench.load_site import DEMO_PASSWORD

PRODUCT_LINK = re.compile(r'href="(/san-pham/[a-z0-9-]+-(\d+))"')


class Person:
    def __init__(self, base_url: str, address: str | None = None):
        self.base = base_url
        self.session = requests.Session()
        self.headers = {"X-Forwarded-For": address or f"10.77.{random.randrange(256)}.{random.randrange(1, 255)}",
                        "Accept-Language": "en"}

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.base + path, headers=self.headers, timeout=60, **kwargs)

    def log_in(self, phone: str, password: str = DEMO_PASSWORD) -> Person:
        token = CSRF.search(self.get("/dang-nhap").text).group(1)
        response = self.session.post(self.base + "/dang-nhap", headers=self.headers, allow_redirects=False,
                                     timeout=60, data={"csrf_token": token, "phone": phone, "password": password,
                                                       "next": ""})
        if response.status_code not in (302, 303):
            raise RuntimeError(f"log-in as {phone} answered {response.status_code}")
        return self

    def edit(self, producer_id: int, product_id: int, **values) -> requests.Response:
        url = f"/nha-san-xuat/{producer_id}/san-pham/{product_id}"
        form = form_having(self.get(url).text, "price")
        return self.session.post(self.base + url, headers=self.headers, allow_redirects=False, timeout=60,
                                 data=replace_fields(form["fields"], **values))

    def upload(self, producer_id: int, photo_path: str, name: str) -> requests.Response:
        url = f"/nha-san-xuat/{producer_id}/san-pham/moi"
        form = form_having(self.get(url).text, "price")
        fields = replace_fields(form["fields"], name=name, price="150.000", unit="hộp 500g", status="draft",
                                ref="", product_set_code="4")
        with open(photo_path, "rb") as fh:
            return self.session.post(self.base + url, headers=self.headers, allow_redirects=False, timeout=120,
                                     data=fields, files=[("photos", ("anh.jpg", fh, "image/jpeg"))])

    def search(self, query: str) -> tuple[int, list[int]]:
        """The status and the product ids the search page lists, in order."""
        response = self.get("/tim-kiem?q=" + urllib.parse.quote(query))
        ids = []
        for _path, product_id in PRODUCT_LINK.findall(response.text):
            if int(product_id) not in ids:
                ids.append(int(product_id))
        return response.status_code, ids
