"""Read-only links: the results board and the downloads for people without an account,
revocable, with their open streams ended within a heartbeat (1 s in tests)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from app.models import SessionShare
from app.security import FACILITATOR_COOKIE, digest
from tests.builders import Api
from tests.support.documents import docx_text, xlsx_sheets
from tests.support.streams import Stream


def share(api, fac, session_id: int) -> dict:
    r = api.client.post(f"/api/v1/sessions/{session_id}/share", headers=fac)
    assert r.status_code == 201, r.text
    return r.json()


def path_of(link: dict) -> str:
    return "/" + link["url"].split("/", 3)[3]


def results_session(api, *, anonymous: bool = True) -> tuple[dict, dict]:
    fac = api.facilitator()
    session = api.session(fac, anonymous=anonymous, title="Isu Tahap I")
    rina = api.join(session["join_code"], "Rina Marlina", "opd", "Diskominfo")
    budi = api.join(session["join_code"], "Budi Santoso", "rsud", "RSUD Pariaman")
    one = api.idea(rina, "Antrean online RSUD", "living")
    api.idea(budi, "Satu data kependudukan", "governance")
    api.phase(fac, session["id"], "vote")
    for _ in range(2):
        assert api.client.post(f"/api/v1/groups/{one['group_id']}/votes", headers=budi.headers).status_code == 201
    api.phase(fac, session["id"], "results")
    return fac, session


@pytest.mark.database
def test_contract_create_and_revoke(api, app):
    fac, session = results_session(api)
    link = share(api, fac, session["id"])
    assert set(link) == {"url", "token"}
    assert link["url"] == f"http://rembuk.test/shared/{link['token']}"
    assert len(link["token"]) >= 40
    with app.state.sessions() as db:
        stored = list(db.scalars(select(SessionShare.token_hash)))
    assert stored == [digest(link["token"])]  # the token itself is never kept

    second = share(api, fac, session["id"])  # several links may be active at once
    assert api.client.get(path_of(link)).status_code == 200
    # ?token= revokes that one only; without it, every active link ends.
    r = api.client.delete(f"/api/v1/sessions/{session['id']}/share", params={"token": link["token"]}, headers=fac)
    assert r.status_code == 204 and r.content == b""
    assert api.client.get(path_of(link)).status_code == 410
    assert api.client.get(path_of(second)).status_code == 200
    assert api.client.delete(f"/api/v1/sessions/{session['id']}/share", headers=fac).status_code == 204
    assert api.client.get(path_of(second)).status_code == 410
    # Revoking again changes nothing; an unknown token to revoke is a 404.
    assert api.client.delete(f"/api/v1/sessions/{session['id']}/share", headers=fac).status_code == 204
    r = api.client.delete(f"/api/v1/sessions/{session['id']}/share", params={"token": "palsu"}, headers=fac)
    assert r.status_code == 404


def test_only_the_sessions_facilitators_share(api):
    fac, session = results_session(api)
    phone = api.join(session["join_code"], "Sari")
    url = f"/api/v1/sessions/{session['id']}/share"
    assert api.client.post(url).status_code == 401
    assert api.client.post(url, headers=phone.headers).status_code == 403
    assert api.client.delete(url, headers=phone.headers).status_code == 403
    assert api.client.post(url, headers=api.facilitator()).status_code == 404
    # The team (``Permission.run``): a co-facilitator shares and revokes; a scribe reads
    # the console but neither shares its results nor sets the deadline for late ideas.
    co, scribe = api.facilitator("eko@kominfo.go.id"), api.facilitator("notulis@kominfo.go.id")
    for email, role in (("eko@kominfo.go.id", "co_facilitator"), ("notulis@kominfo.go.id", "scribe")):
        r = api.client.post(f"/api/v1/workshops/{session['workshop_id']}/members", headers=fac,
                            json={"email": email, "role": role})
        assert r.status_code == 201, r.text
    refused = api.client.post(url, headers=scribe)
    assert refused.status_code == 403 and "notulis" in refused.json()["detail"].lower()
    assert api.client.delete(url, headers=scribe).status_code == 403
    late = api.client.patch(f"/api/v1/sessions/{session['id']}", headers=scribe,
                            json={"open_until": "2999-12-14T17:00:00+07:00"})
    assert late.status_code == 403
    assert api.client.post(url, headers=co).status_code == 201
    assert api.client.delete(url, headers=co).status_code == 204
    # The scribe's console leaves both cards out.
    cookie = f"{FACILITATOR_COOKIE}={scribe['Authorization'].split()[1]}"
    page = api.client.get(f"/console/sessions/{session['id']}", headers={"Cookie": cookie})
    assert page.status_code == 200 and 'id="late-ideas"' not in page.text and 'id="share"' not in page.text


def test_the_page_shows_the_results_read_only_without_names(api):
    fac, session = results_session(api, anonymous=True)
    link = share(api, fac, session["id"])
    r = api.client.get(path_of(link))
    assert r.status_code == 200
    assert r.headers["x-robots-tag"] == "noindex, nofollow"
    assert r.headers.get_list("referrer-policy") == ["no-referrer"]
    assert r.headers["cache-control"] == "no-store"
    page = r.text
    assert "Peringkat keseluruhan" in page and "Antrean online RSUD" in page
    assert "Rina Marlina" not in page and "Budi Santoso" not in page
    assert 'class="join-panel' not in page and session["join_code"] not in page  # no join panel, no code
    assert "<form" not in page  # nothing to send
    assert f"/shared/{link['token']}/stream" in page
    # The downloads leave the authors out of an anonymous session (as anonymous_exports does).
    for ext in ("md", "csv", "json", "xlsx", "docx", "pdf"):
        d = api.client.get(f"{path_of(link)}/summary.{ext}")
        assert d.status_code == 200, ext
        assert d.headers["x-robots-tag"] == "noindex, nofollow"
        assert "attachment" in d.headers["content-disposition"]
    docx = api.client.get(f"{path_of(link)}/summary.docx").content
    assert "Antrean online RSUD" in docx_text(docx) and "Rina Marlina" not in docx_text(docx)
    csv = api.client.get(f"{path_of(link)}/summary.csv").content.decode("utf-8-sig")
    assert "Rina Marlina" not in csv and "pengusul" not in csv.splitlines()[0]
    # The facilitator's own download still names them.
    own = api.client.get(f"/api/v1/sessions/{session['id']}/summary.csv", headers=fac).content.decode("utf-8-sig")
    assert "Rina Marlina" in own


def test_a_named_session_shows_names_as_the_projector_does(api):
    fac, session = results_session(api, anonymous=False)
    link = share(api, fac, session["id"])
    sheets = xlsx_sheets(api.client.get(f"{path_of(link)}/summary.xlsx").content)
    assert any("Rina Marlina" in (cell or "") for row in sheets["Gagasan"] for cell in map(str, row))


def test_revoked_and_unknown_links(api):
    fac, session = results_session(api)
    link = share(api, fac, session["id"])
    assert api.client.delete(f"/api/v1/sessions/{session['id']}/share", headers=fac).status_code == 204
    for suffix in ("", "/summary.docx", "/summary.xlsx", "/cloud", "/stream"):
        r = api.client.get(path_of(link) + suffix)
        assert r.status_code == 410, suffix
    r = api.client.get(path_of(link))
    assert "dicabut" in r.text  # the page says so, in Indonesian
    assert api.client.get("/shared/bukan-token").status_code == 404
    assert api.client.get("/shared/bukan-token/summary.pdf").status_code == 404


@pytest.mark.server
@pytest.mark.database
def test_revoking_ends_an_open_stream_within_a_heartbeat(api, live_server):
    """A real HTTP connection: the link's stream follows the board live, and once the
    link is revoked it gets ``event: end`` at its next heartbeat (1 s) and closes."""
    fac = api.facilitator()
    remote = Api(httpx.Client(base_url=live_server.url, timeout=10))
    try:
        session = remote.session(fac)
        rina = remote.join(session["join_code"], "Rina")
        link = share(remote, fac, session["id"])
        with Stream(live_server.url, session["id"], path=path_of(link) + "/stream") as stream:
            assert stream.next().event == "snapshot"
            idea = remote.idea(rina, "Wifi publik di kantor desa", "living")
            seen = stream.until(idea["seq"])
            assert "Wifi publik di kantor desa" in str(seen[-1].data)
            r = remote.client.delete(f"/api/v1/sessions/{session['id']}/share", headers=fac)
            assert r.status_code == 204
            last = stream.next(timeout=5)
            while last.event != "end":  # the share.revoked event itself may come first
                last = stream.next(timeout=5)
            assert last.data == {"reason": "link_revoked"}
            assert stream.ended.wait(5), "the stream stayed open after the link was revoked"
        assert remote.client.get(path_of(link) + "/stream").status_code == 410
    finally:
        remote.client.close()
