"""The scribe's "Catat ide" page without a browser: a plain form (303 back, the person
kept) and htmx (the form again, the text empty, the confirmation and the list)."""

from __future__ import annotations

import re

from tests.support.forms import HTMX, client_id_of, create_session, location

PERSON = {"name": "Pak Darmawan", "organization_type": "pokdarwis", "organization": "Pokdarwis Gandoriah"}


def entry(console, session_id: int, text: str, **extra):
    page = console.get(f"/console/sessions/{session_id}/scribe").text
    data = {**PERSON, "dimension": "economy", "text": text, "client_id": client_id_of(page), **extra}
    return data, data["client_id"]


def test_without_javascript_a_card_is_saved_and_the_person_stays(console):
    session = create_session(console)
    data, _cid = entry(console, session["id"], "Paket wisata digital")
    url = location(console.post(f"/console/sessions/{session['id']}/scribe", data=data, follow_redirects=False))
    page = console.get(url).text
    assert "Paket wisata digital" in page
    assert 'role="status"' in page and "Tersimpan untuk Pak Darmawan" in page
    # The next card starts with the same person, the text empty and focused.
    assert 'value="Pak Darmawan"' in page and 'value="Pokdarwis Gandoriah"' in page
    assert re.search(r'<textarea id="scribe-text"[^>]*autofocus[^>]*></textarea>', page)
    # The console marks it.
    console_page = console.get(f"/console/sessions/{session['id']}").text
    assert "dicatat notulis" in console_page


def test_with_htmx_the_form_comes_back_empty_with_the_list(console):
    session = create_session(console)
    data, cid = entry(console, session["id"], "Satu data pariwisata")
    r = console.post(f"/console/sessions/{session['id']}/scribe", data=data, headers=HTMX)
    assert r.status_code == 200
    assert 'id="scribe-form"' in r.text and client_id_of(r.text) != cid
    assert 'hx-swap-oob="innerHTML"' in r.text and "Satu data pariwisata" in r.text
    assert re.search(r'<textarea id="scribe-text"[^>]*></textarea>', r.text)
    # The same form sent again (a double Enter) is still one idea.
    again = console.post(f"/console/sessions/{session['id']}/scribe", data=data, headers=HTMX)
    assert again.status_code == 200
    page = console.get(f"/console/sessions/{session['id']}/scribe").text
    assert page.count("Satu data pariwisata") == 1


def test_a_refusal_keeps_what_was_typed(console):
    session = create_session(console)
    data, cid = entry(console, session["id"], "Gagasan", organization_type="")
    r = console.post(f"/console/sessions/{session['id']}/scribe", data=data, headers=HTMX)
    assert r.status_code == 422
    assert 'role="alert"' in r.text and "Pilih jenis instansi" in r.text
    assert ">Gagasan</textarea>" in r.text and client_id_of(r.text) == cid
    plain = console.post(f"/console/sessions/{session['id']}/scribe", data=data, follow_redirects=False)
    assert plain.status_code == 422 and 'value="Pak Darmawan"' in plain.text


def test_in_english(console):
    session = create_session(console)
    page = console.get(f"/console/sessions/{session['id']}/scribe?lang=en").text
    assert "Enter ideas" in page and "Enter saves" in page
