"""One page per create form: Wagtail 8's autosave and the editor's click never make two.

Used by: editors creating any page in the Wagtail admin (wired in `wagtail_hooks`).

Wagtail's create form posts to the create URL until an autosave's answer gives it the new
page's edit URL and the ids of the inline rows that save created (`url`, `field_updates`).
A post sent before that answer is back (the editor's "Submit to Clinical review" a moment
after typing, or Wagtail's retry of an autosave whose answer was lost) reaches the create
view again and fails on the slug ("already in use within the parent page"); the form never
learns otherwise, so its later autosaves and clicks fail the same way ("Autosave is
paused"). Two posts at the server at once also gave a 500: on SQLite, "database is locked"
inside treebeard's `add_child`.

So each create form carries a token of its own (`token_input`). The first post of a form
claims the token and runs Wagtail's create view inside one transaction whose first write is
that claim, so another post of the same form waits for it to finish. If it created the page,
the claim keeps it (`PageCreation`) and every later post of the form is answered by Wagtail's
edit view of that page, given what the form would have sent had it received the first answer:
- the ids of the inline rows saved so far (without them Wagtail adds the rows again);
- for an autosave, `overwrite_revision_id`: the draft the first autosave made. Wagtail's own
  conflict check then refuses an autosave older than a later save (the click's submission),
  and the answer carries the edit URL, so the form posts there from then on. When the click
  created the page, an autosave of that form is older than what the click saved: refused.
"""

import json
import re
import secrets

from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from wagtail.admin.utils import set_query_params
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import Page

from .models import PageCreation

TOKEN_FIELD = "create_form_token"  # noqa: S105 (a form field's name)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
# Marks a request `answer` has taken on, so that the create view it runs goes ahead.
_ANSWERING = "_medical_content_page_creation"
# What Wagtail's create view adds to the edit URL it answers an autosave with.
_HYDRATE = "_w_hydrate_create_view"
BUSY = "The server is busy. Your changes will be saved with your next edit."


def token_input() -> str:
    """A hidden input with a new random token, tied to the page editor's form by the form's
    id: the browser sends it with every post of that form, autosaves included."""
    return format_html(
        '<input type="hidden" form="page-edit-form" name="{}" value="{}">',
        TOKEN_FIELD,
        secrets.token_urlsafe(32),
    )


def answer(request: HttpRequest, parent_page: Page, page_class: type[Page]) -> HttpResponse | None:
    """The `before_create_page` hook: the answer to a create form's post, or None to let
    Wagtail's create view go on (a GET, a post without a token, the create view this runs)."""
    token = request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else ""
    if not _TOKEN.fullmatch(token) or getattr(request, _ANSWERING, False):
        return None
    setattr(request, _ANSWERING, True)
    autosave = not request.accepts("text/html")
    try:
        with transaction.atomic():
            return _answer(request, token, parent_page, page_class, autosave)
    except OperationalError as error:
        # SQLite's "database is locked" (or a PostgreSQL lock timeout): a write that waited
        # longer than the database allows. The autosave says so and tries again with the
        # editor's next change; a click still gets the error page.
        if not autosave or "lock" not in str(error):
            raise
        return JsonResponse(
            {"success": False, "error_code": "server_busy", "error_message": BUSY}, status=503
        )


def _answer(
    request: HttpRequest, token: str, parent_page: Page, page_class: type[Page], autosave: bool
) -> HttpResponse | None:
    try:
        with transaction.atomic():
            creation = PageCreation.objects.create(token=token, user=request.user)
    except IntegrityError:
        # An earlier post of this form holds the token (this one waited for it to commit).
        creation = PageCreation.objects.filter(token=token, user=request.user).first()
        if creation is None or creation.page_id is None:
            # Another login's token, or a page not saved yet (seen only where threads share one
            # connection, as with an in-memory test database): an ordinary create.
            return None
        return _as_edit(request, creation, autosave)
    return _create(request, creation, parent_page, page_class)


def _create(
    request: HttpRequest, creation: PageCreation, parent_page: Page, page_class: type[Page]
) -> HttpResponse:
    # Creations under one parent in turn (on PostgreSQL; SQLite writes one at a time anyway),
    # so two forms with one slug meet Wagtail's form error, not a 500 from the model's own
    # slug check or from two pages given the same tree path.
    list(Page.objects.select_for_update().filter(pk=parent_page.pk).values_list("pk"))
    view = CreateView()
    args = (page_class._meta.app_label, page_class._meta.model_name, parent_page.pk)
    view.setup(request, *args)
    response = view.dispatch(request, *args)
    page = getattr(view, "page", None)
    if page is None or page.pk is None:
        transaction.set_rollback(True)  # nothing created: the form's next post may create
        return response
    creation.page = page
    creation.autosave_revision = page.latest_revision if view.expects_json_response else None
    creation.field_updates = dict(view.form.get_field_updates_for_resave())
    creation.save()
    return response


def _as_edit(request: HttpRequest, creation: PageCreation, autosave: bool) -> HttpResponse:
    data = request.POST.copy()
    for name, value in creation.field_updates.items():
        data[name] = value
    if autosave:
        if creation.autosave_revision_id is None:
            return JsonResponse(
                {
                    "success": False,
                    "error_code": "invalid_revision",
                    "error_message": gettext("Saving will overwrite a newer version."),
                },
                status=400,
            )
        data["overwrite_revision_id"] = str(creation.autosave_revision_id)
    request.POST = data
    response = EditView.as_view()(request, creation.page_id)
    if not autosave or response.status_code != 200:
        return response
    saved = json.loads(response.content)
    creation.field_updates = {**creation.field_updates, **saved["field_updates"]}
    creation.save(update_fields=["field_updates"])
    edit_url = reverse("wagtailadmin_pages:edit", args=(creation.page_id,))
    # The answer Wagtail's create view gives an autosave: the edit URL to post to from now
    # on, and the one to fetch the edit view's parts from ("html" would undo those parts).
    saved.pop("html", None)
    return JsonResponse(
        {
            **saved,
            "field_updates": creation.field_updates,
            "url": edit_url,
            "hydrate_url": set_query_params(edit_url, {_HYDRATE: "1"}),
        }
    )
