"""Access decorators for the governance pages (object-level checks live in governance.access)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from governance import access


def bureau_required(view):
    """Signed-in bureau staff (of any coalition) or administrators; others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.is_bureau(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def committee_required(view):
    """Signed-in representatives of a current committee seat; others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.is_committee_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
