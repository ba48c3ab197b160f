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
    Cookie = apps.get_model("cookie_consent", "Cookie")
    ConsentGroup = apps.get_model("consent", "ConsentGroup")
    ConsentCookie = apps.get_model("consent", "ConsentCookie")
    grouped = set(ConsentGroup.objects.values_list("pk", flat=True))
    for spec in GROUPS:
        parent = CookieGroup.objects.filter(varname=spec["varname"]).first()
        if parent is None:
            parent = ConsentGroup.objects.create(
                varname=spec["varname"],
                is_required=spec["purpose"] == "necessary",
                **{k: spec[k] for k in ("name", "purpose", "description", "ordering")},
            )
        elif parent.pk not in grouped:
            # A group the library already had keeps its name and text; it gains a purpose.
            _companion(ConsentGroup, cookiegroup_ptr_id=parent.pk, purpose=spec["purpose"])
        grouped.add(parent.pk)
        for name, provider, purpose, duration in spec["cookies"]:
            if not Cookie.objects.filter(cookiegroup_id=parent.pk, name=name, domain="").exists():
                ConsentCookie.objects.create(
                    cookiegroup_id=parent.pk, name=name, provider=provider, purpose=purpose,
                    duration=duration, path="/",
                )
    # Whatever else the library held gets a companion row, so the admin and the cookie
    # declaration show it: groups as necessary or functional, cookies with details to fill in.
    for parent in CookieGroup.objects.exclude(pk__in=grouped):
        purpose = "necessary" if parent.is_required else "functional"
        _companion(ConsentGroup, cookiegroup_ptr_id=parent.pk, purpose=purpose)
    declared = ConsentCookie.objects.values_list("pk", flat=True)
    for cookie in Cookie.objects.exclude(pk__in=list(declared)):
        _companion(ConsentCookie, cookie_ptr_id=cookie.pk, provider="", purpose="", duration="")


def _companion(model, **fields):
    """Add the child row of a multi-table model to an existing parent row (raw: parent as is)."""
    model(**fields).save_base(raw=True)


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_consent_models")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
