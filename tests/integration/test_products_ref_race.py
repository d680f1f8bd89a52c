"""Two saves of one producer at once: the second meets the first's reference.

bench/bench_load.py (L4, five simultaneous 8 MB uploads) found it: both requests read the
producer's references before either committed, both chose the same next `SP…`, and the later
insert failed the unique constraint with a 500. Here the race is made certain by letting the
first look-up miss the product that another phone has just saved."""
from catalog import services
from tests.integration.test_products_manage import form_data, owner, post_form, products  # noqa: F401


def stale_first_lookup(monkeypatch, *, refs=True, taken=False):
    """The first reference look-up answers as it would have before the other save committed."""
    calls = {"refs": 0, "taken": 0}
    real_refs, real_taken = services._producer_refs, services.ref_taken

    def producer_refs(producer):
        calls["refs"] += 1
        return [] if refs and calls["refs"] == 1 else real_refs(producer)

    def ref_taken(*args, **kwargs):
        calls["taken"] += 1
        return False if taken and calls["taken"] == 1 else real_taken(*args, **kwargs)

    monkeypatch.setattr(services, "_producer_refs", producer_refs)
    monkeypatch.setattr(services, "ref_taken", ref_taken)


def test_an_automatic_reference_taken_meanwhile_moves_on_to_the_next_free_one(app, auth, owner, monkeypatch):  # noqa: F811
    assert post_form(auth, owner["base"] + "/moi", form_data(name="Mật ong hoa nhãn")).status_code == 302
    stale_first_lookup(monkeypatch)
    response = post_form(auth, owner["base"] + "/moi", form_data(name="Mật ong bạc hà"))
    assert response.status_code == 302
    assert [(ref, name) for ref, name, *_ in products(app, owner["producer_id"])] == [
        ("SP0001", "Mật ong hoa nhãn"), ("SP0002", "Mật ong bạc hà")]


def test_a_typed_reference_taken_meanwhile_is_a_clear_message_not_an_error_page(app, auth, owner, monkeypatch):  # noqa: F811
    assert post_form(auth, owner["base"] + "/moi", form_data(name="Mật ong hoa nhãn", ref="MO-1")).status_code == 302
    stale_first_lookup(monkeypatch, refs=False, taken=True)
    response = post_form(auth, owner["base"] + "/moi", form_data(name="Mật ong bạc hà", ref="MO-1"))
    assert response.status_code == 400
    assert "MO-1" in response.get_data(as_text=True)
    assert [name for _ref, name, *_ in products(app, owner["producer_id"])] == ["Mật ong hoa nhãn"]
