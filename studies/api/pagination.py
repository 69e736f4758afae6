from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page numbers, with the page size a client may choose up to a cap."""

    page_size_query_param = "page_size"
    max_page_size = 1000
