"""The erasure service as retention calls it (no actor) and as a facilitator does."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.errors import NotFound
from app.models import Event, Facilitator, Participant
from app.services import erasure
from app.services.event_types import REGISTRY


def _room(api):
    fac = api.facilitator()
    session = api.session(fac)
    rina = api.join(session["join_code"], "Rina Marlina", "opd", "Dinas Kominfo")
    budi = api.join(session["join_code"], "Budi Santoso", "opd", "Dinas Kominfo")
    api.idea(rina, "Aplikasi antrean online RSUD")
    api.idea(budi, "Satu data kependudukan", "governance")
    return fac, session, rina, budi


def test_erasing_blanks_the_person_everywhere_in_the_log_and_keeps_others(api, app):
    fac, session, rina, budi = _room(api)
    with app.state.sessions() as db:
        seq = erasure.erase_participant(db, participant_id=rina.participant_id, actor=None)
    with app.state.sessions() as db:
        person = db.get(Participant, rina.participant_id)
        assert (person.name, person.organization, person.organization_type) == ("", "", "opd")
        assert person.erased_at is not None
        other = db.get(Participant, budi.participant_id)
        assert (other.name, other.organization) == ("Budi Santoso", "Dinas Kominfo")
        logged = db.exec(select(Event).where(Event.session_id == session["id"]).order_by(Event.seq)).all()
        text = " ".join(str(e.payload) for e in logged)
        assert "Rina" not in text and "Budi Santoso" in text and "Dinas Kominfo" in text
        last = logged[-1]
        assert (last.seq, last.type) == (seq, "participant.erased")
        for event in logged:  # still the declared shapes
            REGISTRY[event.type].payload.model_validate(event.payload)
        # Asking again changes nothing and answers with the same erasure.
        assert erasure.erase_participant(db, participant_id=rina.participant_id, actor=None) == seq


def test_erasing_a_session_names_everyone_once(api, app):
    fac, session, rina, budi = _room(api)
    with app.state.sessions() as db:
        erasure.erase_participant(db, participant_id=budi.participant_id, actor=None)
        assert erasure.erase_session_names(db, session_id=session["id"], actor=None) == 1
        assert erasure.erase_session_names(db, session_id=session["id"], actor=None) == 0
        names = db.exec(select(Participant.name).where(Participant.session_id == session["id"])).all()
        assert names == ["", ""]


def test_with_an_actor_the_role_is_checked(api, app):
    fac, session, rina, _ = _room(api)
    api.facilitator()  # in no team of this workshop
    with app.state.sessions() as db:
        outsider = db.exec(select(Facilitator).order_by(Facilitator.id.desc())).first()
        with pytest.raises(NotFound):
            erasure.erase_participant(db, participant_id=rina.participant_id, actor=outsider)
        with pytest.raises(NotFound):
            erasure.erase_participant(db, participant_id=10**6, actor=None)
        assert db.get(Participant, rina.participant_id).erased_at is None
