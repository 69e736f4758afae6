"""A multipart/form-data body built by hand, so that uploading needs nothing beyond the standard library."""

from __future__ import annotations

import os
import uuid
from typing import Tuple


def file_body(field: str, path: str) -> Tuple[bytes, str]:
    """Build a multipart/form-data body holding one file, as a browser's form would send it.

    The boundary is random and drawn again in the unlikely case that the file holds it. The
    file's base name goes in the part's header, with the characters that would break the
    header (quotes, line breaks) percent-encoded as browsers do.

    Args:
        field: The form field's name, e.g. ``"file"``.
        path: The file to send; read whole into memory.

    Returns:
        (body, content type header value with the boundary).

    Raises:
        OSError: When the file cannot be read.

    Example:
        >>> body, content_type = file_body("file", __file__)
        >>> content_type.startswith("multipart/form-data; boundary=")
        True
    """
    with open(path, "rb") as handle:
        content = handle.read()
    boundary = uuid.uuid4().hex
    while boundary.encode() in content:
        boundary = uuid.uuid4().hex
    name = os.path.basename(path).replace("\\", "%5C").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode("utf-8")
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
