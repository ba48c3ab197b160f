"""Which page each admin create form created, so that the form creates one page only.

Used by: `medical_content.page_creation`, on every post of a page's create form in the
Wagtail admin. Nobody edits these rows; they go with their page.
"""

from django.conf import settings
from django.db import models


class PageCreation(models.Model):
    """The page one create form created, and what its later posts need to edit it instead.

    Wagtail 8's create form keeps posting to the create URL until an autosave's answer gives
    it the new page's edit URL; a click or an autosave retry sent before that answer comes
    back reaches the create view again. The first post of a form that creates its page
    writes this row (under the form's token, in the same transaction), and every later post
    of the same form is answered as an edit of `page`.
    """

    # Random, one per rendering of a create form (see `page_creation.token_input`).
    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Empty only inside the transaction that creates the page: a post that creates nothing
    # rolls its row back.
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.CASCADE, related_name="+"
    )
    # The draft an autosave created, which later autosaves of the form overwrite in place as
    # Wagtail's own would; empty when the editor's click created the page (the browser left
    # the form then, so a later autosave of it is older than what was saved).
    autosave_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Wagtail's `field_updates` so far (the ids of inline rows the saves created), which
    # the form did not receive: a later post without them would add those rows again.
    field_updates = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "page creation"

    def __str__(self) -> str:
        return f"Page {self.page_id} created by user {self.user_id}"
