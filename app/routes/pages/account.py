"""The facilitator's own account ("Akun saya"): what Rembuk keeps about it, its
download, and erasing it (``app.services.account``). Forms first: the erase form posts,
a refusal shows the page again with why, success ends the login and goes to /login."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.errors import DomainError
from app.models import Facilitator
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.rendering import error_text, lang_url, render, see_other
from app.security import FACILITATOR_COOKIE, delete_cookie
from app.services import account

router = APIRouter(prefix="/console/account")


@router.get("")
def account_page(request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    return _page(request, db, facilitator)


@router.post("/erase")
def erase(request: Request, db: DbDep, facilitator: PageFacilitator, confirm: str = Form("")) -> Response:
    try:
        account.erase(db, facilitator=facilitator, confirm=confirm)
    except DomainError as exc:
        db.rollback()
        return _page(
            request,
            db,
            facilitator,
            status_code=exc.status_code,
            error=error_text(request, exc),
            typed=confirm,
            page_lang_url=lang_url(request, "/console/account"),
        )
    response = see_other("/login?erased=1")
    delete_cookie(response, request, FACILITATOR_COOKIE)
    return response


def _page(request: Request, db, facilitator: Facilitator, *, status_code: int = 200, **extra) -> Response:
    data = account.data_of(db, facilitator=facilitator)
    context = {"facilitator": facilitator, "data": data, "typed": "", **extra}
    return render(request, "pages/account.html", context, status_code=status_code)
