"""The field app: server-rendered Norwegian pages for phones and desks, under /app.

Wire it with `mount_pages(app)` in `create_app`, after `app.state.services` is set.
"""

from __future__ import annotations

from api.pages.routes import mount_pages, router

__all__ = ["mount_pages", "router"]
