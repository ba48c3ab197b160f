"""Remove control characters from the titles of this app's pages and from the names the site
history keeps of its pages and snippets.

Before the page and snippet forms refused them, a title could hold an invisible character
pasted from another program; Wagtail's Excel downloads (site history, aging pages, the review
schedule) then failed, and site history kept failing after the title was fixed, because each
log entry keeps the name the object had then (`label`). A line break or tab becomes a space;
any other control character is dropped. Only values that hold one are changed; revisions are
left as they are (a clinical approval vouches for a revision's content as it stands).
"""

from django.db import migrations
from django.db.models import Q

from safe_text.control_characters import has_control_characters, without_control_characters

APP = "medical_content"


def _cleaned(value: str) -> str:
    return without_control_characters(" ".join(value.split()))


def remove_control_characters(apps, schema_editor) -> None:
    Page = apps.get_model("wagtailcore", "Page")
    PageLogEntry = apps.get_model("wagtailcore", "PageLogEntry")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    pages = Page.objects.filter(content_type__app_label=APP)
    # Read everything first, then update: SQLite does not isolate a write from a cursor still
    # reading the same table on the same connection.
    titles = [
        (pk, title, draft_title, slug)
        for pk, title, draft_title, slug in pages.values_list(
            "pk", "title", "draft_title", "slug"
        ).iterator()
        if has_control_characters(title) or has_control_characters(draft_title)
    ]
    for pk, title, draft_title, slug in titles:
        Page.objects.filter(pk=pk).update(
            title=_cleaned(title) or slug, draft_title=_cleaned(draft_title) or slug
        )
    # Found by the page too, whatever content type an entry names.
    page_entries = PageLogEntry.objects.filter(
        Q(content_type__app_label=APP) | Q(page_id__in=pages.values("pk"))
    )
    model_entries = ModelLogEntry.objects.filter(content_type__app_label=APP)
    for entries in (page_entries, model_entries):
        labels = [
            (pk, label)
            for pk, label in entries.values_list("pk", "label").iterator()
            if has_control_characters(label)
        ]
        for pk, label in labels:
            entries.model.objects.filter(pk=pk).update(label=_cleaned(label))


class Migration(migrations.Migration):
    dependencies = [
        ("medical_content", "0008_page_links_that_cannot_clash"),
        # Wagtail 7.4's last migration (8.0's 0098 adds API tokens, unused here).
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(remove_control_characters, migrations.RunPython.noop)]
