"""The three groups every site needs (necessary, analytics, advertising), with their cookies.

Privacy admins can rename them, add cookies and add more groups; the rules use the purpose.
A group the library already had (same variable name) gets its purpose instead of a duplicate.
"""

from django.db import migrations

GROUPS = [
    {
        "varname": "necessary",
        "name": "Strictly necessary",
        "purpose": "necessary",
        "description": "Keep the site working and secure and remember your cookie choice. "
        "They cannot be switched off.",
        "ordering": 0,
        "cookies": [
            ("cookie_consent", "This site", "Remembers your cookie choices.", "Up to 6 months"),
            ("csrftoken", "This site", "Protects forms you send from forgery.", "1 year"),
            ("sessionid", "This site", "Keeps staff signed in to the editing area.", "2 weeks"),
        ],
    },
    {
        "varname": "analytics",
        "name": "Analytics",
        "purpose": "analytics",
        "description": "Count visits and see which pages help people, so we can improve them. "
        "Nothing identifies you by name.",
        "ordering": 10,
        "cookies": [
            ("_ga", "Google", "Tells visits apart for Google Analytics.", "2 years"),
            ("_ga_*", "Google", "Keeps the state of a visit for Google Analytics.", "2 years"),
        ],
    },
    {
        "varname": "advertising",
        "name": "Advertising",
        "purpose": "advertising",
        "description": "Let advertising partners show adverts and measure them. Adverts help "
        "pay for the site.",
        "ordering": 20,
        "cookies": [],
    },
]


def create_groups(apps, schema_editor):
    CookieGroup = apps.get_model("cookie_consent", "CookieGroup")
    ConsentGroup = apps.get_model("consent", "ConsentGroup")
    ConsentCookie = apps.get_model("consent", "ConsentCookie")
    for spec in GROUPS:
        fields = {k: spec[k] for k in ("name", "purpose", "description", "ordering")}
        fields["is_required"] = spec["purpose"] == "necessary"
        group = ConsentGroup.objects.filter(varname=spec["varname"]).first()
        if group is None:
            parent = CookieGroup.objects.filter(varname=spec["varname"]).first()
            if parent is not None:
                fields.update(cookiegroup_ptr_id=parent.pk, created=parent.created)
            group = ConsentGroup.objects.create(varname=spec["varname"], **fields)
        for name, provider, purpose, duration in spec["cookies"]:
            if not ConsentCookie.objects.filter(cookiegroup=group, name=name, domain="").exists():
                ConsentCookie.objects.create(
                    cookiegroup=group, name=name, provider=provider, purpose=purpose,
                    duration=duration, path="/",
                )


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_consent_models")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
