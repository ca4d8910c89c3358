from rest_framework.pagination import CursorPagination, PageNumberPagination


class DefaultPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class SequenceCursorPagination(CursorPagination):
    """Stable pagination for append-only streams (progress events, audit events)."""

    ordering = "sequence"
    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 1000
