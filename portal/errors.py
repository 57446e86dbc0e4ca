"""The CSRF failure page (``CSRF_FAILURE_VIEW``): the portal's own, translated, in the site's
frame, instead of Django's English page that talks about ``DEBUG=True``. The 400, 403, 404 and
500 pages are Django's default views with the portal's templates (``templates/4xx.html``,
``500.html``)."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """An expired form or blocked cookies: say so, and how to send the form again. The reason
    (Django's English wording for developers) is not shown."""
    return render(request, "403_csrf.html", status=403)
