"""Logins for admin tests, made as an administrator would: a user in the named groups."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

PRIVACY_ADMINS = "Privacy admins"  # the consent app's group; medical_content never imports it


def make_user(username: str, *groups: str, permissions: tuple[str, ...] = (), **fields):
    """A login in `groups` (by name), with `permissions` (codenames) granted to it directly."""
    user = get_user_model().objects.create_user(username, password="x", **fields)
    user.groups.add(*Group.objects.filter(name__in=groups))
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def client_for(user) -> Client:
    """A test client of its own, logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client
