"""What differs between the two Wagtail releases the plugin supports: 7.4 LTS and 8.0.

Wagtail 8.0 keeps one permission policy per model in a registry (a site may replace the page
policy there); Wagtail 7.4 has a module-level page policy and gives each snippet's viewset its
own. These two functions answer the same question on both.
"""

from wagtail.models import Page

try:
    from wagtail.permissions import policy_registry
except ImportError:  # Wagtail 7.4
    policy_registry = None


def page_permission_policy():
    """The policy Wagtail's admin applies to pages."""
    if policy_registry is not None:
        return policy_registry.get_by_type(Page)
    from wagtail.permissions import page_permission_policy as policy

    return policy


def snippet_permission_policy(model):
    """The policy Wagtail's admin applies to the snippet `model` (registered as a snippet)."""
    if policy_registry is not None:
        return policy_registry.get_by_type(model)
    return model.snippet_viewset.permission_policy
