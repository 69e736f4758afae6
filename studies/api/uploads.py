"""Refuse an oversized upload while it streams in, before the whole body is read."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

from studies.services import TooLarge


class CappedUploadHandler(FileUploadHandler):
    """Counts the bytes of a multipart body and stops at TUNER_MAX_UPLOAD_BYTES.

    It runs first among the request's upload handlers: a declared Content-Length over the
    cap is refused before a byte of the body is read, and a chunked body without one is
    cut off as soon as it passes the cap.
    """

    setting = "TUNER_MAX_UPLOAD_BYTES"
    what = "the limit"

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = getattr(settings, self.setting)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + 64 * 1024:  # headroom for multipart framing
            raise self._too_large(content_length)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise self._too_large(None)
        return raw_data

    def file_complete(self, file_size):
        return None

    def _too_large(self, size):
        told = f"{size} bytes" if size else f"over {self.limit} bytes"
        return TooLarge(f"file: the upload is {told}; {self.what} is {self.limit} bytes")


class ArtifactUploadHandler(CappedUploadHandler):
    """The same, at TUNER_ARTIFACT_MAX_BYTES: the cap on one file attached to a trial."""

    setting = "TUNER_ARTIFACT_MAX_BYTES"
    what = "the limit for one file"
