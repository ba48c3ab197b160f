"""Text rules both apps share: what a value typed by an editor, or sent by a request, may hold
before it is stored, exported or rendered.

Not a Django app (nothing to install): `medical_content` and `consent` import it, so neither
app depends on the other.
"""
