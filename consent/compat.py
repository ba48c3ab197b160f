"""What differs between the two Wagtail releases the plugin supports: 7.4 LTS and 8.0.

Wagtail 8.0 keeps one permission policy per model in a registry that every admin view reads;
Wagtail 7.4 has no registry, and each viewset's views use the viewset's `permission_policy`.
The viewsets in `wagtail_hooks.py` set that attribute and register the same policy, so both
releases enforce the one policy.
"""

try:
    from wagtail.permissions import register_permission_policy
except ImportError:  # Wagtail 7.4

    def register_permission_policy(model, policy) -> None:
        """Nothing to register: the model's viewset carries `policy`."""


__all__ = ["register_permission_policy"]
