"""Declare the consent id cookie in the strictly necessary group, so the preference centre's
cookie table tells readers about it like the others."""

from django.db import migrations

NAME = "consent_id"


def declare(apps, schema_editor):
    CookieGroup = apps.get_model("cookie_consent", "CookieGroup")
    Cookie = apps.get_model("cookie_consent", "Cookie")
    ConsentCookie = apps.get_model("consent", "ConsentCookie")
    necessary = CookieGroup.objects.filter(varname="necessary").first()
    if necessary is None or Cookie.objects.filter(name=NAME, domain="").exists():
        return
    ConsentCookie.objects.create(
        cookiegroup_id=necessary.pk,
        name=NAME,
        provider="This site",
        purpose="Links your cookie choices together, as our proof of what you chose.",
        duration="Up to 6 months",
        path="/",
    )


class Migration(migrations.Migration):
    dependencies = [("consent", "0005_consent_record_retention")]

    operations = [migrations.RunPython(declare, migrations.RunPython.noop)]
