"""HTTP caching of public pages: who may keep a response, and for how long.

Public pages are the same bytes for every reader who is not signed in (the consent layer and the
theme keep them so), so a shared cache (the reverse proxy, a CDN) may keep them; every
per-reader response (the admin, previews, the preference centre, consent decisions, anything a
signed-in editor sees) must not be kept by anyone.
"""
