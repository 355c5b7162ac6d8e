"""The authorisation matrix, tested as a table.

Seven callers × every route of the app (JSON API and HTML pages):

- ``anonymous``: no credentials at all;
- ``participant_a``: joined session A;
- ``participant_b``: joined session B, a *different* session of the *same*
  facilitator's workshop (the interesting cell: a valid token, the right workshop,
  the wrong session);
- ``owner``: the facilitator who owns the workshop of A and B;
- ``co_facilitator`` and ``scribe``: members of that workshop's team with these roles
  (``app.domain.ROLE_PERMISSIONS``): a co-facilitator runs sessions and downloads
  (``RUNNERS``), a scribe only looks (``READERS``); only the owner changes the team;
- ``other_facilitator``: a facilitator with a workshop of their own (session O).

``RULES`` says, for each route and method, which callers may succeed. The routes are
read from the app itself (``app.routes``), so a route added without a row fails
``test_every_route_has_an_access_rule`` ("route X has no access rule"), and a row
whose route is gone fails it too.

Credentials as a real client sends them: the API gets ``Authorization: Bearer``
(facilitator token or participant token), the pages get cookies (``rembuk_fac``, or
the phone's ``rembuk_p<session>`` for the session it joined).

What a refusal looks like (``DENIALS``; the security model in docs/architecture.md):

The rule, API and pages alike: **401** when the caller has no usable credential
at all (none, or unreadable or expired); **403** for a valid credential of the
wrong kind or for the wrong session; **404** for a facilitator asking for a workshop
or session that is not theirs (the same as a missing id: a 403 would confirm the
id exists).

- JSON API: no credentials 401; a participant token 403 (another session, or a
  facilitator endpoint); a facilitator whose workshop it is not 404; a facilitator
  token on a participant-only endpoint 403; a member of the team whose role does not
  allow it 403 (API and pages alike, ``TEAM_DENIAL``).
- Facilitator pages: not a facilitator, a 303 to ``/login?next=…``; another
  facilitator 404. Their live streams: no credentials 401, a phone's cookie 403,
  another facilitator 404.
- Phone pages: no participant of that session on this phone, a 303 to ``/`` (the
  join form). Its live stream: no credentials 401, a phone of another session or a
  facilitator 403.
- Own session in the URL, another session's object in the rest (``cross``): 403 or 404.

Every refused request must also change nothing: the whole database (every table,
every row; so ``session.last_seq``, the head of the event log, too) is compared
before and after. Allowed cells must really succeed (2xx, or a 303 that is not a
refusal): each row sends a minimal valid body and first puts session A in the phase
the action needs (``phase``), so a refusal cannot hide behind a 409.

Live streams (``stream=True``): TestClient would wait for the end of an endless
body (encode/httpx#2186), so ``first_bytes`` drives the app the way a server does,
in the TestClient's own event loop, and hangs up after the status and the first
bytes, under a deadline: neither an allowed stream nor a stream that lets the wrong
caller in can hang the run. (The wire itself, over a real uvicorn: tests/live/test_sse.py
and pages/test_pages.py::test_html_streams_snapshot_replay_and_stale_pages.)

``/docs``, ``/redoc`` and ``/openapi.json`` are public on purpose: Rembuk is open
source, so the schema says nothing the repository does not, and whoever integrates
with the API needs it; every route it documents checks credentials itself. The HTML routes are left out of the schema (``include_in_schema=False``).

One world per database backend (module scope), and each row prepares the state it
needs (``Rule.phase``, ``Rule.prepare``) instead of relying on the rows before it.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlmodel import SQLModel
from starlette.routing import Mount, Route

from app.security import FACILITATOR_COOKIE, participant_cookie_name
from app.services.word_filter_words import DEFAULT_WORDS
from app.settings import Settings
from tests.builders import PASSWORD, Api, Phone
from tests.support.databases import SECRET, truncate_postgresql

STREAM_DEADLINE = 10.0  # seconds for a live stream to say its first bytes

ANON, PA, PB, OWNER, OTHER = "anonymous", "participant_a", "participant_b", "owner", "other_facilitator"
CO, SCRIBE = "co_facilitator", "scribe"  # members of the owner's workshop, with these roles
CALLERS = (ANON, PA, PB, OWNER, CO, SCRIBE, OTHER)
FACILITATOR_CALLERS = (OWNER, CO, SCRIBE, OTHER)
NEIGHBOUR = "another_participant_a"  # a second phone in A: only in PROBES (someone else's idea)

PUBLIC = frozenset(CALLERS)
NOBODY = frozenset()
FACILITATORS = frozenset(FACILITATOR_CALLERS)  # any logged-in facilitator (their own workshops)
OWNER_ONLY = frozenset({OWNER})  # the team itself (``Permission.manage``)
RUNNERS = frozenset({OWNER, CO})  # run sessions and download (``Permission.run``, ``download``)
READERS = frozenset({OWNER, CO, SCRIBE})  # the whole team looks (``Permission.read``)
PARTICIPANT_A = frozenset({PA})
WATCHERS = READERS | {PA}  # the workshop's team and the session's participants
GROUPERS = RUNNERS | {PA}  # session A lets participants group (``participants_can_group``)

P = dict[str, Any]  # the path parameters and ids a row's body is built from


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    body: Callable[[P], dict] | None = None  # JSON for the API, a form for pages
    query: Callable[[P], dict] | None = None
    phase: str = "group"  # the phase of sessions A and B while this row runs
    commitment_open: bool = False
    prepare: str | None = None  # a World method making fresh objects: returns overrides of P
    cross: str | None = None  # a World method: P for a caller's own session with A's objects in the rest
    stream: bool = False
    form: bool = False  # an API route that takes a form (OAuth2 password flow)
    deny: frozenset[int] | None = None  # a refusal other than the family's (see DENIALS)
    logs_out: bool = False  # an allowed cell ends the facilitators' logins: log in again after the row
    note: str = ""


def r(allowed: frozenset[str], **kw: Any) -> Rule:
    return Rule(allowed, **kw)


IDEA = {"text": "Aplikasi antrean online RSUD", "dimension": "living"}
ON_BEHALF_OF = {"name": "Pak Darmawan", "organization_type": "pokdarwis", "organization": "Pokdarwis Gandoriah"}
COMMITMENT = {"name": "Rina Marlina", "position": "Kepala Bidang", "organization": "Diskominfo"}
SCORE = {"impact": 4, "feasibility": 3}
NEW_SESSION = {"title": "Isu strategis daerah", "prompt": "Apa masalah utama layanan publik?"}
NEW_WORKSHOP = {"title": "Bimtek Smart City", "region": "Kabupaten Padang Pariaman", "year": 2026}

# The smallest workshop archive (``app.services.archive_format``): its JSON, sent as JSON.
ARCHIVE = {"format": "rembuk-workshop", "version": 1, "created_at": "2026-12-07T01:00:00+00:00", "app_version": "0",
           "workshop": {**NEW_WORKSHOP, "created_at": "2026-12-07T01:00:00+00:00"}, "dimensions": [], "stages": []}

SUMMARY = r(RUNNERS, note="downloads: the owner and co-facilitators (Permission.download), not the scribe")

RULES: dict[tuple[str, str], Rule] = {
    # --- public: health, docs, static files ---------------------------------------------
    ("GET", "/healthz"): r(PUBLIC),
    ("GET", "/readyz"): r(PUBLIC),
    ("GET", "/openapi.json"): r(PUBLIC, note="open source: the schema is in the repository anyway"),
    ("GET", "/docs"): r(PUBLIC),
    ("GET", "/docs/oauth2-redirect"): r(PUBLIC),
    ("GET", "/redoc"): r(PUBLIC),
    ("GET", "/static/{path}"): r(PUBLIC),
    ("GET", "/s/sw.js"): r(PUBLIC, note="the phone's service worker: a static file"),
    # --- logging in -----------------------------------------------------------------------
    ("POST", "/api/v1/auth/token"): r(PUBLIC, form=True, body=lambda p: {"username": p["email"], "password": PASSWORD}),
    ("GET", "/login"): r(PUBLIC),
    ("POST", "/login"): r(PUBLIC, body=lambda p: {"email": p["email"], "password": PASSWORD}),
    ("POST", "/logout"): r(PUBLIC, logs_out=True, note="ends the caller's own logins, or nothing"),
    ("POST", "/api/v1/auth/logout"): r(FACILITATORS, logs_out=True),
    ("GET", "/setup/{token}"): r(NOBODY, deny=frozenset({404}),
                                 note="dead once a facilitator exists; the live link: pages/test_pages.py"),
    ("POST", "/setup/{token}"): r(NOBODY, deny=frozenset({404})),
    # --- joining ------------------------------------------------------------------------------
    ("GET", "/"): r(PUBLIC),
    ("GET", "/j"): r(PUBLIC, query=lambda p: {"code": p["code"]}),
    ("GET", "/j/{code}"): r(PUBLIC),
    ("GET", "/j/{code}/qr.svg"): r(PUBLIC, note="the code is on the projector anyway"),
    ("POST", "/join"): r(PUBLIC, body=lambda p: {"join_code": p["code"], "name": "Budi", "organization_type": "opd",
                                                  "organization": "Bappeda"}),
    ("POST", "/api/v1/join"): r(PUBLIC, body=lambda p: {"join_code": p["code"], "name": "Budi",
                                                         "organization_type": "opd", "organization": "Bappeda"}),
    # --- facilitator API: workshops, sessions, phases -------------------------------------------
    ("GET", "/api/v1/workshops"): r(FACILITATORS),
    ("POST", "/api/v1/workshops"): r(FACILITATORS, body=lambda p: NEW_WORKSHOP),
    ("GET", "/api/v1/workshops/{workshop_id}"): r(READERS),
    ("GET", "/api/v1/stages/{stage_id}/sessions"): r(READERS),
    ("POST", "/api/v1/stages/{stage_id}/sessions"): r(RUNNERS, body=lambda p: NEW_SESSION),
    ("GET", "/api/v1/sessions/{session_id}"): r(READERS),
    ("PATCH", "/api/v1/sessions/{session_id}"): r(RUNNERS, body=lambda p: {"title": "Isu strategis (diubah)"}),
    ("POST", "/api/v1/sessions/{session_id}/phase"): r(RUNNERS, body=lambda p: {"phase": "group"}),
    ("GET", "/api/v1/sessions/{session_id}/duplicates"): r(READERS),
    ("GET", "/api/v1/sessions/{session_id}/suggestions/groups"): r(READERS),
    ("GET", "/api/v1/sessions/{session_id}/suggestions/dimensions"): r(READERS),
    ("POST", "/api/v1/sessions/{session_id}/suggestions/groups/apply"): r(
        RUNNERS, prepare="fresh_pair",
        body=lambda p: {"clusters": [{"idea_ids": [p["idea_id"], p["other_idea"]]}]}),
    ("POST", "/api/v1/sessions/{session_id}/suggestions/dimensions/apply"): r(
        RUNNERS, prepare="fresh_pair",
        body=lambda p: {"ideas": [{"idea_id": p["other_idea"], "dimension": "living"}]}),
    ("POST", "/api/v1/sessions/{session_id}/import"): r(
        RUNNERS, prepare="carry_into_b", body=lambda p: {"source_session_id": p["source"], "top": 1},
        cross="own_session_from_a"),
    ("DELETE", "/api/v1/participants/{participant_id}"): r(
        RUNNERS, phase="brainstorm", prepare="prankster", query=lambda p: {"hide_ideas": "true"},
        note="removing someone with all their ideas: a refused cell hides none of them"),
    ("GET", "/api/v1/participants/{participant_id}/data"): r(
        RUNNERS, prepare="prankster", note="a person's data: a download (Permission.download), not the scribe's"),
    ("POST", "/api/v1/participants/{participant_id}/erase"): r(
        RUNNERS, phase="brainstorm", prepare="prankster",
        note="erasing a person's name and office everywhere: a refused cell erases nothing"),
    ("POST", "/api/v1/ideas/{idea_id}/visibility"): r(RUNNERS, body=lambda p: {"hidden": False}),
    # --- running the room: timer, focus, pages, word cloud (API and the remote's forms) --------------
    ("PUT", "/api/v1/sessions/{session_id}/timer"): r(RUNNERS, body=lambda p: {"action": "start", "seconds": 60}),
    ("PUT", "/api/v1/sessions/{session_id}/focus"): r(RUNNERS, body=lambda p: {"idea_id": p["idea_id"]},
                                                      cross="own_session"),
    ("POST", "/api/v1/sessions/{session_id}/board/page"): r(RUNNERS, body=lambda p: {"step": 1}),
    ("GET", "/api/v1/sessions/{session_id}/wordcloud"): r(READERS),
    ("GET", "/board/{session_id}/cloud"): r(READERS),
    ("GET", "/console/sessions/{session_id}/remote"): r(RUNNERS),
    ("GET", "/console/sessions/{session_id}/scribe"): r(READERS, note="the whole team enters ideas (Permission.enter_ideas)"),
    ("POST", "/console/sessions/{session_id}/scribe"): r(
        READERS, phase="brainstorm", body=lambda p: {**IDEA, **ON_BEHALF_OF, "client_id": uuid.uuid4().hex}),
    ("GET", "/console/sessions/{session_id}/remote/panel"): r(RUNNERS),
    ("POST", "/console/sessions/{session_id}/timer"): r(RUNNERS, body=lambda p: {"action": "start", "minutes": "3"}),
    ("POST", "/console/sessions/{session_id}/room"): r(RUNNERS,
                                                       body=lambda p: {"setting": "board_hidden", "value": "0"}),
    ("POST", "/console/sessions/{session_id}/focus"): r(RUNNERS, body=lambda p: {"idea_id": str(p["idea_id"])},
                                                        cross="own_session"),
    ("POST", "/console/sessions/{session_id}/board-page"): r(RUNNERS, body=lambda p: {"step": "1"}),
    ("GET", "/api/v1/workshops/{workshop_id}/archive"): r(RUNNERS, note="the whole workshop, as a file"),
    ("POST", "/api/v1/workshops/import"): r(FACILITATORS, body=lambda p: ARCHIVE,
                                            note="a new workshop of the caller's own"),
    ("GET", "/api/v1/workshops/{workshop_id}/attendance"): r(READERS),
    ("GET", "/api/v1/workshops/{workshop_id}/participation"): r(READERS),
    ("GET", "/api/v1/sessions/{session_id}/participation"): r(READERS),
    ("GET", "/api/v1/workshops/{workshop_id}/roadmap"): r(READERS),
    **{("GET", f"/api/v1/sessions/{{session_id}}/summary.{ext}"): SUMMARY
       for ext in ("md", "csv", "json", "xlsx", "docx", "pdf")},
    **{("GET", f"/api/v1/workshops/{{workshop_id}}/summary.{ext}"): SUMMARY
       for ext in ("md", "json", "xlsx", "docx", "pdf")},
    # --- participant API --------------------------------------------------------------------------
    ("POST", "/api/v1/sessions/{session_id}/ideas"): r(
        READERS | {PA}, phase="brainstorm", body=lambda p: {**IDEA, "on_behalf_of": ON_BEHALF_OF},
        deny=frozenset({401, 403}),
        note="a phone's idea, or the team's for someone without a phone (on_behalf_of; a phone's is ignored)"),
    ("PATCH", "/api/v1/ideas/{idea_id}"): r(PARTICIPANT_A, phase="brainstorm",
                                            body=lambda p: {"text": "Antrean online RSUD dan puskesmas"}),
    ("DELETE", "/api/v1/ideas/{idea_id}"): r(PARTICIPANT_A, phase="brainstorm", prepare="fresh_idea"),
    ("POST", "/api/v1/groups/{group_id}/votes"): r(PARTICIPANT_A, phase="vote"),
    ("POST", "/api/v1/ideas/{idea_id}/reactions"): r(PARTICIPANT_A, phase="brainstorm", prepare="others_idea"),
    ("DELETE", "/api/v1/ideas/{idea_id}/reactions"): r(PARTICIPANT_A, phase="brainstorm", prepare="reacted_idea"),
    ("DELETE", "/api/v1/groups/{group_id}/votes"): r(PARTICIPANT_A, phase="vote", prepare="dot_on_group"),
    ("PUT", "/api/v1/groups/{group_id}/score"): r(PARTICIPANT_A, phase="score", body=lambda p: SCORE),
    ("POST", "/api/v1/sessions/{session_id}/commitments"): r(PARTICIPANT_A, commitment_open=True,
                                                             body=lambda p: COMMITMENT),
    # --- grouping (the facilitator, and A's participants: A allows it) ------------------------------
    ("POST", "/api/v1/ideas/{idea_id}/move"): r(GROUPERS, prepare="fresh_idea",
                                                body=lambda p: {"group_id": p["group_id"]}),
    ("PATCH", "/api/v1/groups/{group_id}"): r(GROUPERS, body=lambda p: {"title": "Layanan kesehatan digital"}),
    # --- the board and its live stream -----------------------------------------------------------------
    ("GET", "/api/v1/sessions/{session_id}/board"): r(WATCHERS),
    ("GET", "/api/v1/sessions/{session_id}/ideas"): r(WATCHERS),
    ("GET", "/api/v1/sessions/{session_id}/events"): r(WATCHERS, stream=True),
    ("GET", "/board/{session_id}/stream"): r(READERS, stream=True),
    ("GET", "/console/sessions/{session_id}/stream"): r(READERS, stream=True),
    ("GET", "/s/{session_id}/stream"): r(PARTICIPANT_A, stream=True),
    # --- console pages ------------------------------------------------------------------------------------
    ("GET", "/console"): r(FACILITATORS),
    ("POST", "/console/workshops"): r(FACILITATORS, body=lambda p: {**NEW_WORKSHOP, "year": "2026"}),
    ("GET", "/console/workshops/{workshop_id}"): r(READERS),
    ("GET", "/console/workshops/{workshop_id}/roadmap"): r(READERS),
    ("GET", "/console/workshops/{workshop_id}/attendance"): r(READERS),
    ("GET", "/console/workshops/{workshop_id}/participation"): r(
        READERS, query=lambda p: {"session": p["session_id"]}, cross="own_workshop_with_a"),
    ("POST", "/console/stages/{stage_id}/sessions"): r(RUNNERS, body=lambda p: NEW_SESSION),
    ("GET", "/console/sessions/{session_id}"): r(READERS),
    ("POST", "/console/sessions/{session_id}/settings"): r(
        RUNNERS, body=lambda p: {"participants_can_group": "1"},
        note="an unticked box is off: keep what the world needs"),
    ("POST", "/console/sessions/{session_id}/phase"): r(RUNNERS, body=lambda p: {"phase": "group"}),
    ("POST", "/console/sessions/{session_id}/participants/{participant_id}/remove"): r(
        RUNNERS, phase="brainstorm", prepare="prankster", body=lambda p: {"hide_ideas": "1"}, cross="own_session"),
    ("POST", "/console/sessions/{session_id}/participants/{participant_id}/erase"): r(
        RUNNERS, phase="brainstorm", prepare="prankster", cross="own_session"),
    ("POST", "/console/sessions/{session_id}/merge"): r(
        RUNNERS, prepare="fresh_groups", body=lambda p: {"group_id": p["group_id"], "into": p["into"]},
        cross="own_session"),
    ("POST", "/console/sessions/{session_id}/suggestions/groups"): r(
        RUNNERS, prepare="fresh_pair",
        body=lambda p: {"title": "Usulan", "idea": [f"0:{p['idea_id']}", f"0:{p['other_idea']}"], "accept": "0"}),
    ("POST", "/console/sessions/{session_id}/suggestions/dimensions"): r(
        RUNNERS, prepare="fresh_pair",
        body=lambda p: {"guess": f"{p['other_idea']}:living::0.8", "accept": "threshold"}),
    ("GET", "/console/sessions/{session_id}/import"): r(RUNNERS, prepare="carry_into_b",
                                                         query=lambda p: {"source": p["source"]},
                                                         cross="own_session_from_a"),
    ("POST", "/console/sessions/{session_id}/import"): r(
        RUNNERS, prepare="carry_into_b",
        body=lambda p: {"source_session_id": p["source"], "mode": "top", "top": "1"},
        cross="own_session_from_a"),
    ("POST", "/console/ideas/{idea_id}/visibility"): r(RUNNERS, body=lambda p: {"hidden": "0"}),
    # --- the board (projector) and its grouping forms ---------------------------------------------------------
    ("GET", "/board/{session_id}"): r(READERS),
    ("POST", "/board/{session_id}/groups/{group_id}/swot"): r(RUNNERS, body=lambda p: {"swot": "strength"},
                                                              cross="own_session"),
    ("GET", "/board/{session_id}/ideas/{idea_id}/move"): r(RUNNERS, cross="own_session"),
    ("POST", "/board/{session_id}/ideas/{idea_id}/move"): r(
        RUNNERS, prepare="fresh_idea", body=lambda p: {"group_id": str(p["group_id"])}, cross="own_session"),
    ("GET", "/board/{session_id}/groups/{group_id}/edit"): r(RUNNERS, cross="own_session"),
    ("POST", "/board/{session_id}/groups/{group_id}/edit"): r(
        RUNNERS, body=lambda p: {"title": "Layanan kesehatan", "rename": "1"}, cross="own_session"),
    ("POST", "/board/{session_id}/groups/{group_id}/roadmap"): r(
        RUNNERS, body=lambda p: {"horizon": "short", "owner": "Diskominfo"}, cross="own_session"),
    # --- the phone ------------------------------------------------------------------------------------------------
    ("GET", "/s/{session_id}"): r(PARTICIPANT_A),
    ("POST", "/s/{session_id}/ideas"): r(PARTICIPANT_A, phase="brainstorm", body=lambda p: IDEA),
    ("POST", "/s/{session_id}/ideas/{idea_id}/edit"): r(
        PARTICIPANT_A, phase="brainstorm", body=lambda p: {**IDEA, "text": "Antrean online RSUD (diubah)"},
        cross="own_session"),
    ("POST", "/s/{session_id}/ideas/{idea_id}/delete"): r(PARTICIPANT_A, phase="brainstorm", prepare="fresh_idea",
                                                          cross="own_session"),
    ("POST", "/s/{session_id}/groups/{group_id}/vote"): r(PARTICIPANT_A, phase="vote", body=lambda p: {"seen": ""},
                                                          cross="own_session"),
    ("POST", "/s/{session_id}/groups/{group_id}/unvote"): r(
        PARTICIPANT_A, phase="vote", prepare="dot_on_group", body=lambda p: {"seen": ""}, cross="own_session"),
    ("GET", "/s/{session_id}/ideas/{idea_id}/move"): r(PARTICIPANT_A, cross="own_session"),
    ("POST", "/s/{session_id}/ideas/{idea_id}/move"): r(
        PARTICIPANT_A, prepare="fresh_idea", body=lambda p: {"group_id": str(p["group_id"])}, cross="own_session"),
    ("POST", "/s/{session_id}/groups/{group_id}/score"): r(
        PARTICIPANT_A, phase="score", body=lambda p: {"impact": "4", "feasibility": "3"}, cross="own_session"),
    ("POST", "/s/{session_id}/commitment"): r(PARTICIPANT_A, commitment_open=True, body=lambda p: COMMITMENT),
    ("GET", "/s/{session_id}/all-ideas"): r(PARTICIPANT_A),
    ("POST", "/s/{session_id}/ideas/{idea_id}/react"): r(PARTICIPANT_A, phase="brainstorm", prepare="others_idea",
                                                         cross="own_session"),
    ("POST", "/s/{session_id}/ideas/{idea_id}/unreact"): r(PARTICIPANT_A, phase="brainstorm", prepare="reacted_idea",
                                                           cross="own_session"),
    # --- beyond the hall: late ideas between stages, read-only links -------------------------------
    ("POST", "/api/v1/sessions/{session_id}/share"): r(RUNNERS),
    ("DELETE", "/api/v1/sessions/{session_id}/share"): r(RUNNERS, prepare="fresh_share"),
    ("GET", "/shared/{token}"): r(PUBLIC, prepare="fresh_share", note="whoever holds the link"),
    ("GET", "/shared/{token}/cloud"): r(PUBLIC, prepare="fresh_share"),
    ("GET", "/shared/{token}/stream"): r(PUBLIC, prepare="fresh_share", stream=True),
    **{("GET", f"/shared/{{token}}/summary.{ext}"): r(PUBLIC, prepare="fresh_share")
       for ext in ("md", "csv", "json", "xlsx", "docx", "pdf")},
    ("POST", "/console/sessions/{session_id}/open-until"): r(RUNNERS, body=lambda p: {"open_until": "2999-12-14T17:00"}),
    ("POST", "/console/sessions/{session_id}/share"): r(RUNNERS),
    ("POST", "/console/sessions/{session_id}/share/revoke"): r(RUNNERS, prepare="fresh_share"),
    # --- the workshop's team -------------------------------------------------------------------------------------
    ("GET", "/api/v1/workshops/{workshop_id}/members"): r(READERS),
    ("POST", "/api/v1/workshops/{workshop_id}/members"): r(
        OWNER_ONLY, body=lambda p: {"email": f"tamu-{uuid.uuid4().hex[:8]}@kominfo.go.id", "role": "scribe"},
        note="an address without an account: the refused cells would have made one"),
    ("DELETE", "/api/v1/workshops/{workshop_id}/members/{member_id}"): r(OWNER_ONLY, prepare="fresh_member"),
    ("POST", "/console/workshops/{workshop_id}/members"): r(
        OWNER_ONLY, body=lambda p: {"email": f"tamu-{uuid.uuid4().hex[:8]}@kominfo.go.id", "role": "co_facilitator"}),
    ("POST", "/console/workshops/{workshop_id}/members/{member_id}/remove"): r(OWNER_ONLY, prepare="fresh_member"),
    # --- moderation: approving a held idea, the workshop's word filter ------------------------------------------
    ("POST", "/api/v1/ideas/{idea_id}/approve"): r(RUNNERS, prepare="held_idea"),
    ("POST", "/console/ideas/{idea_id}/approve"): r(RUNNERS, prepare="held_idea"),
    ("GET", "/api/v1/workshops/{workshop_id}/word-filter"): r(READERS),
    ("PUT", "/api/v1/workshops/{workshop_id}/word-filter"): r(
        RUNNERS, body=lambda p: {"words": list(DEFAULT_WORDS)}, note="the default list, stored: held_idea needs it"),
    ("POST", "/console/workshops/{workshop_id}/word-filter"): r(
        RUNNERS, body=lambda p: {"words": "\n".join(DEFAULT_WORDS)}),
    # --- the audit log (the owner's only) and a facilitator's own account ---------------------------------------
    ("GET", "/api/v1/workshops/{workshop_id}/audit"): r(OWNER_ONLY),
    ("GET", "/api/v1/workshops/{workshop_id}/audit.csv"): r(OWNER_ONLY, note="downloading it is itself an entry"),
    ("GET", "/console/workshops/{workshop_id}/audit"): r(OWNER_ONLY),
    ("GET", "/api/v1/me/data"): r(FACILITATORS, note="each facilitator's own account, whoever's workshop"),
    ("GET", "/console/account"): r(FACILITATORS),
    ("POST", "/api/v1/me/erase"): r(
        NOBODY, body=lambda p: {"confirm": p["email"]}, deny=frozenset({401, 403, 409, 422}),
        note="the owner's own address: the owner still owns a workshop (409), the others typed someone else's "
             "(422); an account really erased: privacy/test_account.py"),
    ("POST", "/console/account/erase"): r(
        NOBODY, body=lambda p: {"confirm": p["email"]}, deny=frozenset({303, 409, 422}),
        note="as the API: 409 or 422 on the page again, a 303 to /login without a login"),
    # --- deleting a session or a workshop: the owner only (Permission.manage) ---------------------------------
    ("DELETE", "/api/v1/sessions/{session_id}"): r(OWNER_ONLY, prepare="doomed_session",
                                                   note="a session made for it: the world's A and B stay"),
    ("DELETE", "/api/v1/workshops/{workshop_id}"): r(OWNER_ONLY, prepare="doomed_workshop"),
    ("GET", "/console/sessions/{session_id}/delete"): r(OWNER_ONLY, note="the confirmation page"),
    ("POST", "/console/sessions/{session_id}/delete"): r(
        OWNER_ONLY, prepare="doomed_session", body=lambda p: {"confirmation": p["code"]}),
    ("GET", "/console/workshops/{workshop_id}/delete"): r(OWNER_ONLY),
    ("POST", "/console/workshops/{workshop_id}/delete"): r(
        OWNER_ONLY, prepare="doomed_workshop", body=lambda p: {"confirmation": p["title"]}),
    # --- personal data: the join page's notice and how long names are kept (the owner's) ---------------------
    ("PATCH", "/api/v1/workshops/{workshop_id}"): r(
        OWNER_ONLY, body=lambda p: {"privacy_notice": "Tanya Bappeda.", "retention_days": 90}),
    ("POST", "/console/workshops/{workshop_id}/privacy"): r(
        OWNER_ONLY, body=lambda p: {"privacy_notice": "Tanya Bappeda.", "retention_days": "90"}),
}

LOGIN, HOME = "a 303 to /login", "a 303 to / (the join form)"

# A member of the team whose role does not allow it: 403 saying what their role may do
# (``app.services.workshops.permit``), on the API and the pages alike.
TEAM_DENIAL: dict[str, frozenset[int] | str] = {CO: frozenset({403}), SCRIBE: frozenset({403})}

# How each family of routes refuses each caller (see the module docstring).
DENIALS: dict[str, dict[str, frozenset[int] | str]] = {
    "api": {ANON: frozenset({401}), PA: frozenset({403}), PB: frozenset({403}), OTHER: frozenset({404}),
            **TEAM_DENIAL},
    "api_participant": {ANON: frozenset({401}), PB: frozenset({403}), OWNER: frozenset({403}), OTHER: frozenset({403}),
                        **TEAM_DENIAL},
    "page": {ANON: LOGIN, PA: LOGIN, PB: LOGIN, OTHER: frozenset({404}), **TEAM_DENIAL},
    "page_stream": {ANON: frozenset({401}), PA: frozenset({403}), PB: frozenset({403}), OTHER: frozenset({404}),
                    **TEAM_DENIAL},
    "phone": {ANON: HOME, PB: HOME, OWNER: HOME, OTHER: HOME, CO: HOME, SCRIBE: HOME},
    "phone_stream": {ANON: frozenset({401}), PB: frozenset({403}), OWNER: frozenset({403}), OTHER: frozenset({403}),
                     **TEAM_DENIAL},
}
CROSS_DENIAL = frozenset({403, 404})
# Who has a session of their own to put in the URL: a phone of B, a facilitator of O.
CROSS_CALLER = {"phone": PB, "page": OTHER, "api": OTHER}


def family(method_path: tuple[str, str], rule: Rule) -> str:
    _method, path = method_path
    if path.startswith("/api/"):
        return "api_participant" if rule.allowed <= PARTICIPANT_A else "api"
    if path.startswith("/s/"):
        return "phone_stream" if rule.stream else "phone"
    return "page_stream" if rule.stream else "page"


# --- the routes of the app ----------------------------------------------------------------------------------------

def app_routes(app) -> set[tuple[str, str]]:
    """(method, path) of every route, HEAD left out (Starlette answers it with GET).
    FastAPI >= 0.16x keeps included routers lazily; ``iter_route_contexts`` flattens them."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: app.routes is already flat
        routes = [(route, route) for route in app.routes]
    else:
        routes = [(context.original_route, context) for context in iter_route_contexts(app.routes)]
    found: set[tuple[str, str]] = set()
    for original, route in routes:
        if isinstance(original, Mount):
            found.add(("GET", f"{route.path}/{{path}}"))
        elif isinstance(original, Route):  # APIRoute is a Route
            found.update((method, route.path) for method in route.methods if method != "HEAD")
        else:
            raise AssertionError(f"route {original!r} is of a kind this table does not know: add it")
    return found


def test_every_route_has_an_access_rule(tmp_path):
    from app.main import create_app

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", secret_key=SECRET,
                              var_dir=tmp_path), check_schema=False)
    routes = app_routes(app)
    missing = sorted(routes - set(RULES))
    stale = sorted(set(RULES) - routes)
    assert not missing, "\n".join(f"route {m} {p} has no access rule in RULES" for m, p in missing)
    assert not stale, "\n".join(f"RULES has {m} {p}, which is no route of the app" for m, p in stale)


# --- the world ------------------------------------------------------------------------------------------------------

class Database:
    """Reads the world's database on its own connection: the whole content, to prove
    that a refused request wrote nothing."""

    def __init__(self, url: str) -> None:
        import app.models  # noqa: F401 - the tables

        self.engine = create_engine(url)
        self.tables = list(SQLModel.metadata.sorted_tables)

    def content(self) -> dict[str, list]:
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":  # one round trip, not one per table
                quote = conn.dialect.identifier_preparer.quote
                parts = [f"(SELECT coalesce(json_agg(t ORDER BY {', '.join('t.' + quote(c.name) for c in tbl.primary_key)}),"
                         f" '[]') FROM {quote(tbl.name)} t)" for tbl in self.tables]
                row = conn.execute(text("SELECT " + ", ".join(parts))).one()
                return {tbl.name: value for tbl, value in zip(self.tables, row)}
            return {t.name: [tuple(row) for row in conn.execute(select(t).order_by(*t.primary_key.columns))]
                    for t in self.tables}

    def heads(self) -> dict[int, int]:
        """Each session's ``last_seq``: the head of its event log."""
        from app.models import Session

        with self.engine.connect() as conn:
            return dict(conn.execute(select(Session.id, Session.last_seq)).all())

    def session_row(self, session_id: int) -> dict[str, Any]:
        from app.models import Session

        with self.engine.connect() as conn:
            return dict(conn.execute(select(Session.__table__).where(Session.__table__.c.id == session_id)).one()._mapping)


def changes(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    out = []
    for table, rows in before.items():
        if rows != after[table]:
            old, new = set(map(repr, rows)), set(map(repr, after[table]))  # JSON columns are dicts
            out.append(f"{table}: +{sorted(new - old)[:3]} -{sorted(old - new)[:3]}")
    return out


@dataclass
class World:
    client: TestClient
    api: Api
    db: Database
    emails: dict[str, str]
    tokens: dict[str, str]  # caller -> token (facilitator or participant)
    owner: dict[str, str]  # the owner's API headers
    workshop: dict
    other_workshop: dict
    a: dict
    b: dict
    o: dict
    pa: Phone
    pb: Phone
    idea_a: dict
    idea_b: dict
    own_sessions: dict[str, int] = field(default_factory=dict)

    # path parameters: everything in session A of the owner's workshop
    def params(self) -> P:
        return {
            "session_id": self.a["id"], "group_id": self.idea_a["group_id"], "idea_id": self.idea_a["id"],
            "participant_id": self.pa.participant_id, "workshop_id": self.workshop["id"],
            "stage_id": self.a["stage_id"], "code": self.a["join_code"], "token": "not-a-setup-token",
            "path": "live.js", "source": self.b["id"], "email": self.emails[OWNER],
            "group_b": self.idea_b["group_id"], "session_o": self.o["id"],
        }

    # the state a row needs ---------------------------------------------------------------
    def ensure(self, *, phase: str, commitment_open: bool = False) -> None:
        """Sessions A and B in ``phase``, with the settings the table assumes (an allowed
        cell of an earlier row may have changed them). B too, so that a hole letting B's
        phone act on A would write, not stop at B's phase."""
        wanted = {"participants_can_group": True, "commitment_open": commitment_open, "join_locked": False,
                  "reactions_enabled": True}
        for session_id in (self.a["id"], self.b["id"]):
            row = self.db.session_row(session_id)
            patch = {k: v for k, v in wanted.items() if row[k] != v}
            if patch:
                r = self.client.patch(f"/api/v1/sessions/{session_id}", json=patch, headers=self.owner)
                assert r.status_code == 200, r.text
            if row["phase"] != phase:
                self.api.phase(self.owner, session_id, phase)

    def fresh_idea(self) -> P:
        """An idea of participant A's own, in a group of its own (to delete or move)."""
        self.ensure(phase="brainstorm")
        return {"idea_id": self.api.idea(self.pa, f"Ide baru {uuid.uuid4().hex[:6]}", "governance")["id"]}

    def others_idea(self) -> P:
        """An idea of someone else in session A (nobody reacts to their own)."""
        self.ensure(phase="brainstorm")
        other = self.api.join(self.a["join_code"], "Peserta lain")
        return {"idea_id": self.api.idea(other, f"Ide lain {uuid.uuid4().hex[:6]}", "living")["id"]}

    def reacted_idea(self) -> P:
        """Someone else's idea that participant A gave "+1" (to take back)."""
        p = self.others_idea()
        r = self.client.post(f"/api/v1/ideas/{p['idea_id']}/reactions", headers=self.pa.headers)
        assert r.status_code == 201, r.text
        return p

    def writer(self) -> Phone:
        """A new phone in A for ideas anyone may have written: participant A alone would
        run into the limit of ideas a minute (``ideas.IDEAS_PER_MINUTE``)."""
        return self.api.join(self.a["join_code"], "Penulis")

    def fresh_groups(self) -> P:
        self.ensure(phase="brainstorm")
        writer = self.writer()
        one, two = (self.api.idea(writer, f"Ide {uuid.uuid4().hex[:6]}", "economy") for _ in range(2))
        return {"group_id": one["group_id"], "into": two["group_id"]}

    def fresh_pair(self) -> P:
        """Two ideas nobody has grouped (a suggested group to accept); the second has no
        dimension (a suggested dimension to accept)."""
        self.ensure(phase="brainstorm")
        writer = self.writer()
        one = self.api.idea(writer, f"Ide {uuid.uuid4().hex[:6]}", "economy")
        two = self.api.idea(writer, f"Ide {uuid.uuid4().hex[:6]}", None)
        return {"idea_id": one["id"], "other_idea": two["id"]}

    def fresh_participant(self) -> P:
        self.ensure(phase="group")
        return {"participant_id": self.api.join(self.a["join_code"], "Peserta iseng").participant_id}

    def held_idea(self) -> P:
        """An idea in A that the word filter holds (to approve)."""
        self.ensure(phase="brainstorm")
        return {"idea_id": self.api.idea(self.writer(), f"Dasar b4ngs4t {uuid.uuid4().hex[:6]}", "governance")["id"]}

    def prankster(self) -> P:
        """Someone in A with an idea on the board (to remove with all their ideas)."""
        self.ensure(phase="brainstorm")
        phone = self.api.join(self.a["join_code"], "Peserta iseng")
        self.api.idea(phone, f"Iseng {uuid.uuid4().hex[:6]}", "economy")
        return {"participant_id": phone.participant_id}

    def dot_on_group(self) -> P:
        self.ensure(phase="vote")
        r = self.client.post(f"/api/v1/groups/{self.idea_a['group_id']}/votes", headers=self.pa.headers)
        assert r.status_code == 201, r.text
        return {}

    def fresh_member(self) -> P:
        """A member of the owner's team to take off it (a new account each time)."""
        r = self.client.post(f"/api/v1/workshops/{self.workshop['id']}/members", headers=self.owner,
                             json={"email": f"anggota-{uuid.uuid4().hex[:8]}@kominfo.go.id", "role": "scribe"})
        assert r.status_code == 201, r.text
        return {"member_id": r.json()["id"]}

    def carry_into_b(self) -> P:
        """Carrying goes forward only (app.services.carry.earlier): B, made after A in
        the same stage, takes A's groups."""
        return {"session_id": self.b["id"], "source": self.a["id"]}

    def fresh_share(self) -> P:
        """A read-only link to session A (the token is its path parameter)."""
        r = self.client.post(f"/api/v1/sessions/{self.a['id']}/share", headers=self.owner)
        assert r.status_code == 201, r.text
        return {"token": r.json()["token"]}

    def doomed_session(self) -> P:
        """A session of the owner's workshop with someone and an idea in it, to delete
        (the typed confirmation is its join code)."""
        session = self.api.session(self.owner, self.a["stage_id"], title=f"Sesi hapus {uuid.uuid4().hex[:6]}")
        self.api.idea(self.api.join(session["join_code"], "Peserta"), "Ide yang akan dihapus", "living")
        return {"session_id": session["id"], "code": session["join_code"]}

    def doomed_workshop(self) -> P:
        """A workshop of the owner's, with the co-facilitator and the scribe in its team
        (so they are refused for their role, not as strangers) and a session, to delete."""
        title = f"Bimtek hapus {uuid.uuid4().hex[:6]}"
        workshop = self.api.workshop(self.owner, title=title)
        for caller in (CO, SCRIBE):
            r = self.client.post(f"/api/v1/workshops/{workshop['id']}/members", headers=self.owner,
                                 json={"email": self.emails[caller], "role": caller})
            assert r.status_code == 201, r.text
        self.api.session(self.owner, workshop["stages"][0]["id"], title="Sesi di Bimtek yang dihapus")
        return {"workshop_id": workshop["id"], "title": title}

    def log_in_again(self) -> None:
        """After a logout row: every token of both facilitators is dead (token epoch)."""
        for caller in FACILITATOR_CALLERS:
            headers = self.api.login(self.emails[caller])
            self.tokens[caller] = headers["Authorization"].split()[1]
        self.owner = {"Authorization": f"Bearer {self.tokens[OWNER]}"}

    # a caller's own session in the URL, session A's objects in the rest ------------------------
    def own_session(self, caller: str) -> P | None:
        return {"session_id": self.own_sessions[caller]} if caller in self.own_sessions else None

    def own_session_from_a(self, caller: str) -> P | None:
        own = self.own_session(caller)
        return {**own, "source": self.a["id"]} if own else None

    def own_workshop_with_a(self, caller: str) -> P | None:
        return {"workshop_id": self.other_workshop["id"]} if caller == OTHER else None

    # asking -------------------------------------------------------------------------------------
    def credentials(self, caller: str, path: str) -> dict[str, str]:
        token = self.tokens.get(caller)
        if token is None:
            return {}
        if path.startswith("/api/"):
            return {"Authorization": f"Bearer {token}"}
        if caller in FACILITATOR_CALLERS:
            return {"Cookie": f"{FACILITATOR_COOKIE}={token}"}
        session_id = self.b["id"] if caller == PB else self.a["id"]
        return {"Cookie": f"{participant_cookie_name(session_id)}={token}"}


@pytest.fixture(scope="module", params=["sqlite"])  # who may do what is not the database's behaviour
def world(request, tmp_path_factory) -> Iterator[World]:
    from app.main import create_app

    folder = tmp_path_factory.mktemp(f"matrix-{request.param}")
    if request.param == "sqlite":
        path = folder / "rembuk.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_migrated")
        truncate_postgresql(url)
    settings = Settings(database_url=url, secret_key=SECRET, var_dir=folder, public_url="http://rembuk.test",
                        htmx_source="local", sse_heartbeat_seconds=1.0)
    app = create_app(settings)
    db = Database(settings.resolved_database_url)
    try:
        with TestClient(app, follow_redirects=False) as client:
            yield build_world(client, db)
    finally:
        db.engine.dispose()


def build_world(client: TestClient, db: Database) -> World:
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    from app.services import facilitators

    api = Api(client)
    emails = {OWNER: "pemilik@kominfo.go.id", CO: "ko.fasilitator@kominfo.go.id", SCRIBE: "notulis@kominfo.go.id",
              OTHER: "fasilitator.lain@kominfo.go.id"}
    # Argon2id as in production, but at the lowest cost: a hash carries its own
    # parameters, so every login of this module (ten in the login rows, four after the
    # logout rows) verifies in a millisecond instead of half a second.
    cheap = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(facilitators, "hash_password", cheap.hash)
        owner = api.facilitator(emails[OWNER], name="Dewi")
        other = api.facilitator(emails[OTHER], name="Eko")
        co = api.facilitator(emails[CO], name="Fajar")
        scribe = api.facilitator(emails[SCRIBE], name="Sari")
    workshop = api.workshop(owner)
    for caller in (CO, SCRIBE):
        r = client.post(f"/api/v1/workshops/{workshop['id']}/members", json={"email": emails[caller], "role": caller},
                        headers=owner)
        assert r.status_code == 201, r.text
    stage_id = workshop["stages"][0]["id"]
    settings = {"participants_can_group": True, "vote_budget": 50, "max_votes_per_group": 50, "anonymous": False}
    a = api.session(owner, stage_id, title="Sesi A", **settings)
    b = api.session(owner, stage_id, title="Sesi B")
    other_workshop = api.workshop(other, title="Bimtek kabupaten lain")
    o = api.session(other, other_workshop["stages"][0]["id"], title="Sesi O")
    pa = api.join(a["join_code"], "Rina")
    pb = api.join(b["join_code"], "Budi")
    neighbour = api.join(a["join_code"], "Sari")
    idea_a = api.idea(pa, "Aplikasi antrean online RSUD", "living")
    idea_b = api.idea(pb, "Satu data kependudukan", "governance")
    tokens = {OWNER: owner["Authorization"].split()[1], OTHER: other["Authorization"].split()[1],
              CO: co["Authorization"].split()[1], SCRIBE: scribe["Authorization"].split()[1],
              PA: pa.token, PB: pb.token, NEIGHBOUR: neighbour.token}
    client.cookies.clear()
    return World(client=client, api=api, db=db, emails=emails, tokens=tokens, owner=owner,
                 workshop=workshop, other_workshop=other_workshop, a=a, b=b, o=o, pa=pa, pb=pb,
                 idea_a=idea_a, idea_b=idea_b, own_sessions={PB: b["id"], OTHER: o["id"]})


# --- one request ---------------------------------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    location: str
    text: str

    def __str__(self) -> str:
        where = f" → {self.location}" if self.location else ""
        return f"{self.status}{where}: {self.text[:200]!r}"


def ask(world: World, key: tuple[str, str], rule: Rule, caller: str, params: P) -> Answer:
    method, pattern = key
    path = re.sub(r"\{(\w+)\}", lambda m: str(params[m.group(1)]), pattern)
    headers = world.credentials(caller, path)
    query = rule.query(params) if rule.query else None
    body = rule.body(params) if rule.body else None
    if rule.stream:
        return ask_stream(world, path, headers, query)
    if body is None:
        content = {}
    elif path.startswith("/api/") and not rule.form:
        content = {"json": body}
    else:
        content = {"data": body}
    try:
        response = world.client.request(method, path, params=query, headers=headers, **content)
    finally:
        world.client.cookies.clear()  # a caller is only what it sends: nothing carries over
    return Answer(response.status_code, response.headers.get("location", ""), response.text)


def ask_stream(world: World, path: str, headers: dict[str, str], query: dict | None) -> Answer:
    """Open a live stream and hang up after its first bytes (allowed or not, so a
    stream that lets the wrong caller in cannot hang the run either)."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "root_path": "", "query_string": urlencode(query or {}).encode(),
        "headers": [(b"host", b"testserver"), *((k.lower().encode(), v.encode()) for k, v in headers.items())],
        "client": ("testclient", 50000), "server": ("testserver", 80), "state": dict(world.client.app_state),
    }
    status, headers_out, body = world.client.portal.call(first_bytes, world.client.app, scope)
    if status == 200:
        assert headers_out.get(b"content-type", b"").startswith(b"text/event-stream"), headers_out
    return Answer(status, "", body.decode(errors="replace"))


async def first_bytes(app, scope: dict) -> tuple[int, dict[bytes, bytes], bytes]:
    """Drive the app as a server would, in the TestClient's own event loop (its
    lifespan, so its broker), until the first bytes of the body; then disconnect.
    TestClient itself would wait for the end of an endless body (encode/httpx#2186)."""
    start: dict[str, Any] = {}
    chunks: list[bytes] = []
    answered = anyio.Event()
    asked = False

    async def receive() -> dict:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if any(chunks) or not message.get("more_body", False):
                answered.set()

    async def serve() -> None:
        await app(scope, receive, send)
        answered.set()

    with anyio.fail_after(STREAM_DEADLINE):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(serve)
            await answered.wait()
            tasks.cancel_scope.cancel()
    return start["status"], dict(start.get("headers", [])), b"".join(chunks)


def refused(answer: Answer, expected: frozenset[int] | str) -> bool:
    if expected == LOGIN:
        return answer.status == 303 and answer.location.startswith("/login")
    if expected == HOME:
        return answer.status == 303 and answer.location == "/"
    return answer.status in expected


def succeeded(answer: Answer, rule: Rule) -> bool:
    if not 200 <= answer.status < 400:
        return False
    if rule.allowed == PUBLIC:
        return True  # e.g. /logout goes to /login: that is what it is for
    return not (answer.status == 303 and (answer.location == "/" or answer.location.startswith("/login")))


# --- the matrix ----------------------------------------------------------------------------------------------------------

def row_id(key: tuple[str, str]) -> str:
    return f"{key[0]} {key[1]}"


@pytest.mark.parametrize("key", list(RULES), ids=row_id)
def test_access(world: World, key: tuple[str, str]):
    rule = RULES[key]
    params = world.params()
    if rule.prepare:
        params.update(getattr(world, rule.prepare)())
    world.ensure(phase=rule.phase, commitment_open=rule.commitment_open)
    kind = family(key, rule)
    denials = DENIALS[kind]
    failures: list[str] = []

    content: list[dict] = []  # the database before the next refused cell
    heads: list[dict[int, int]] = []

    def refuse(caller: str, cell_params: P, expected: frozenset[int] | str, label: str) -> None:
        if not content:
            content.append(world.db.content())
            heads.append(world.db.heads())
        answer = ask(world, key, rule, caller, cell_params)
        before, after = content[-1], world.db.content()
        content.append(after)
        heads.append(world.db.heads())
        if not refused(answer, expected):
            wanted = expected if isinstance(expected, str) else sorted(expected)
            failures.append(f"{label}: expected a refusal ({wanted}), got {answer}")
        if heads[-1] != heads[-2]:
            moved = {sid: f"{heads[-2].get(sid)} → {seq}" for sid, seq in heads[-1].items() if heads[-2].get(sid) != seq}
            failures.append(f"{label}: a refused request moved the event log (session: last_seq): {moved}")
        if after != before:
            failures.append(f"{label}: a refused request changed the database: {changes(before, after)}")

    for caller in CALLERS:
        if caller not in rule.allowed:
            assert rule.deny or caller in denials, f"{row_id(key)}: say how it refuses {caller} (deny=)"
            refuse(caller, params, rule.deny or denials[caller], caller)
        if rule.cross and caller == CROSS_CALLER.get(kind):
            own = getattr(world, rule.cross)(caller)
            if own is not None:
                refuse(caller, {**params, **own}, CROSS_DENIAL, f"{caller} (own session in the URL)")
    try:
        first = True
        for caller in CALLERS:
            if caller in rule.allowed:
                if rule.prepare and not first:  # what the caller before used up (a participant, a member …)
                    params = {**params, **getattr(world, rule.prepare)()}
                    world.ensure(phase=rule.phase, commitment_open=rule.commitment_open)
                first = False
                answer = ask(world, key, rule, caller, params)
                if not succeeded(answer, rule):
                    failures.append(f"{caller}: allowed, but got {answer}")
    finally:
        if rule.logs_out:
            world.log_in_again()
    assert not failures, f"{row_id(key)}\n" + "\n".join(failures)


# --- refusals that live in the body --------------------------------------------------------------------------------------
# The matrix names session A's objects in the URL; here the URL is the caller's own and
# an id in the body (or a field) is what they may not touch.

@dataclass(frozen=True)
class Probe:
    caller: str
    method: str
    path: str
    body: Callable[[P], dict]
    expected: frozenset[int]
    why: str
    phase: str = "group"


PROBES = [
    *(Probe(NEIGHBOUR, method, path, lambda p: {"text": "Bukan ide saya"}, frozenset({403}),
            "another participant of the same session changes someone else's idea", phase="brainstorm")
      for method, path in (("PATCH", "/api/v1/ideas/{idea_id}"), ("DELETE", "/api/v1/ideas/{idea_id}"),
                           ("POST", "/s/{session_id}/ideas/{idea_id}/edit"),
                           ("POST", "/s/{session_id}/ideas/{idea_id}/delete"))),
    Probe(PA, "PATCH", "/api/v1/groups/{group_id}", lambda p: {"owner": "Diskominfo"}, frozenset({403}),
          "a participant who may group may not set a group's roadmap"),
    Probe(PA, "POST", "/api/v1/ideas/{idea_id}/move", lambda p: {"group_id": p["group_b"]}, frozenset({404}),
          "a participant moves an idea into a group of another session"),
    Probe(OWNER, "POST", "/api/v1/ideas/{idea_id}/move", lambda p: {"group_id": p["group_b"]}, frozenset({404}),
          "ideas never cross sessions, even for the owner of both"),
    Probe(PA, "POST", "/s/{session_id}/ideas/{idea_id}/move", lambda p: {"group_id": str(p["group_b"])},
          frozenset({404}), "the phone's move form, into a group of another session"),
    Probe(OWNER, "POST", "/api/v1/sessions/{session_id}/import",
          lambda p: {"source_session_id": p["session_o"], "top": 1}, frozenset({404}),
          "importing from another facilitator's session"),
    Probe(OWNER, "POST", "/console/sessions/{session_id}/import",
          lambda p: {"source_session_id": str(p["session_o"]), "mode": "top", "top": "1"}, frozenset({404}),
          "the import form, from another facilitator's session"),
    Probe(OWNER, "POST", "/console/sessions/{session_id}/merge",
          lambda p: {"group_id": str(p["group_b"]), "into": str(p["group_id"])}, frozenset({404}),
          "merging a group of another session"),
]


@pytest.mark.parametrize("probe", PROBES, ids=lambda probe: f"{probe.caller} {probe.method} {probe.path}")
def test_ids_in_the_body(world: World, probe: Probe):
    world.ensure(phase=probe.phase)
    params = world.params()
    before = world.db.content()
    answer = ask(world, (probe.method, probe.path), Rule(NOBODY, body=probe.body), probe.caller, params)
    after = world.db.content()
    assert answer.status in probe.expected, f"{probe.why}: {answer}"
    assert after == before, f"{probe.why}: changed {changes(before, after)}"
