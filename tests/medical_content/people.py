"""Logins for admin tests, made as an administrator would: a user in the named groups."""

from django.contrib.auth.models import Group

PRIVACY_ADMINS = "Privacy admins"  # the consent app's group; medical_content never imports it


def make_user(django_user_model, username: str, *groups: str, **fields):
    user = django_user_model.objects.create_user(username, password="x", **fields)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user
