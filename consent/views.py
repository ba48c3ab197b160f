"""The decision endpoint the banner posts to, and the preference centre.

Both are per-reader responses that nobody may cache (`never_cache`). Public pages stay the
same for every reader: they post here without a CSRF token, so this checks the Origin.
"""

import json
import logging
import uuid
from datetime import UTC, datetime

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from safe_text.control_characters import has_control_characters

from . import conf, cookie
from .decisions import Decision, InvalidDecision, apply, reader_state, sends_gpc
from .origin import is_same_origin
from .records import consent_id_of
from .snapshot import ConsentSnapshot, get_snapshot

logger = logging.getLogger(__name__)

NOT_SAVED = (
    "Your cookie choice could not be saved, so nothing was changed. Please try again in a moment."
)


class HttpResponseSeeOther(HttpResponseRedirect):
    """303: after a POST, the browser fetches the next page with GET."""

    status_code = 303


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    """The page of this site to go back to (and to record), else `default`.

    A path with a control character (`next=/%01`) is no page a reader came from: it goes home
    too, and never into the Location header or a consent record.
    """
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not allowed or not target.startswith("/") or has_control_characters(target):
        return default
    return target


def _decide(
    request: HttpRequest, response: HttpResponse, config: ConsentSnapshot, decision: Decision
):
    """`decisions.apply`, or None when the record could not be written: the caller answers 503
    with a fresh response, so no cookie is set for a decision there is no proof of. Each such
    failure is logged with its cause (a locked or unreachable database, a full disk) for the
    operator."""
    try:
        return apply(decision, request, response, config)
    except DatabaseError:
        logger.exception("Consent decision not saved, answered 503: %s", request.path)
        return None


def _not_saved() -> HttpResponse:
    return HttpResponse(NOT_SAVED, status=503, content_type="text/plain; charset=utf-8")


@csrf_exempt  # no token in cached public pages; the Origin is checked instead
@never_cache
@require_POST
def decide(request: HttpRequest) -> HttpResponse:
    """Record a decision from the banner: JSON for the script, a redirect back without it."""
    if not is_same_origin(request):
        return HttpResponse(
            "Cookie choices can only be made on this site's own pages.",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    config = get_snapshot(request)
    try:
        decision = Decision.read(request, config, _safe_next(request))
    except InvalidDecision as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    wants_json = "application/json" in request.headers.get("Accept", "")
    if wants_json:
        response = HttpResponse(content_type="application/json")
    else:
        response = HttpResponseSeeOther(decision.path)
    applied = _decide(request, response, config, decision)
    if applied is None:
        return _not_saved()
    if wants_json:
        state, _ = applied
        response.content = json.dumps(state.as_json())
    return response


CURRENT_CHOICE = "consent/includes/current_choice.html"


def _current_choice(
    config: ConsentSnapshot, state: cookie.ConsentState, consent_id: uuid.UUID | None
) -> dict:
    decided_on = (
        datetime.fromtimestamp(state.decided_at, tz=UTC) if state.decided_at is not None else None
    )
    return {"config": config, "state": state, "decided_on": decided_on, "consent_id": consent_id}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """The preference centre: every group, its cookies, and the reader's current choice.

    A normal Django form (with a CSRF token): this page is per reader anyway.
    """
    config = get_snapshot(request)
    if request.method == "POST":
        path = reverse("consent:preferences")
        try:
            decision = Decision.read(request, config, path, in_preference_centre=True)
        except InvalidDecision as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        # The script saves in place (so Google tags already running hear a withdrawal).
        wants_json = "application/json" in request.headers.get("Accept", "")
        if wants_json:
            response = HttpResponse(content_type="application/json")
        else:
            response = HttpResponseSeeOther(f"{reverse('consent:preferences')}?saved=1")
        applied = _decide(request, response, config, decision)
        if applied is None:
            return _not_saved()
        if wants_json:
            state, record = applied
            # The page stays open: the script shows the new standing choice in place.
            current = render_to_string(
                CURRENT_CHOICE, _current_choice(config, state, record.consent_id), request
            )
            response.content = json.dumps({**state.as_json(), "current": current})
        return response
    gpc = sends_gpc(request)
    state = reader_state(request, config, gpc=gpc)
    # Only here, never on public pages (they are the same for every reader): the id a reader
    # quotes so a privacy admin can find their records.
    consent_id = consent_id_of(request) if state.decided else None
    return TemplateResponse(
        request,
        "consent/preference_centre.html",
        {
            "base_template": conf.base_template(),
            **_current_choice(config, state, consent_id),
            "saved": request.GET.get("saved") == "1",
            "gpc": gpc,
            "groups": [
                {"info": group, "accepted": state.accepted(group.varname)}
                for group in config.groups
            ],
        },
    )
