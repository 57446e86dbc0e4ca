from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """``?page=`` (from 1) and ``?page_size=`` (at most 100); a page that does not exist is a
    404 with the reason."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = _("Page “{page_number}” does not exist: {message}")
