"""Files attached to a trial (artifacts): checked, stored through Django's storage API, read back.

What a file is comes from its bytes, never from the name or the header the uploader sent: an
image must start with its format's signature, text must be UTF-8, JSON must parse. Programs
(ELF, Windows PE, Mach-O, scripts starting with `#!`) are refused, and so is a file whose name
says image while its bytes say otherwise. Nothing is executed, and nothing is served as HTML:
only images and plain text are shown in the browser, anything else downloads as an attachment.
"""

import codecs
import csv
import io
import json
import logging
import os

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Sum
from django.http import FileResponse

from studies.engine import label_fault
from studies.models import Artifact

from .errors import Busy, InvalidInput, TooLarge
from .locks import locked_study

OCTET = "application/octet-stream"
IMAGES = {"image/png": "a PNG image", "image/jpeg": "a JPEG image", "image/gif": "a GIF image",
          "image/webp": "a WebP image"}
# What a name's extension promises; the bytes must agree.
PROMISED = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
            ".webp": "image/webp", ".pdf": "application/pdf"}
_SIGNATURES = [(b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
               (b"GIF89a", "image/gif"), (b"%PDF-", "application/pdf")]
_PROGRAMS = (b"\x7fELF", b"MZ", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
             b"\xca\xfe\xba\xbe", b"#!")
# Text a browser would run or draw as a page if it were trusted: offered only as a download.
_MARKUP = {".html", ".htm", ".xhtml", ".svg", ".xml", ".js", ".mjs"}
TABLE_ROWS = 20
TABLE_COLUMNS = 50
TEXT_LINES = 200
_PREVIEW_BYTES = 256 * 1024
UPLOAD_NAME = "upload"
log = logging.getLogger(__name__)


def sniff(name, head, is_utf8):
    """The content type of a file from its first bytes, and whether all of it is UTF-8 text.

    Returns:
        A MIME type: an image's or PDF's, text/csv, text/tab-separated-values, application/json,
        text/plain, or application/octet-stream.

    Raises:
        InvalidInput: On ``file``: the bytes are a program, or disagree with the name's image
            or PDF extension.
    """
    extension = os.path.splitext(name)[1].lower()
    found = _signature(head)
    # "MZ" alone is too short a mark: text that starts with it is text, a Windows program is not UTF-8.
    if head.startswith(_PROGRAMS) and found is None and not (head.startswith(b"MZ") and is_utf8):
        found = "a program"
    promised = PROMISED.get(extension)
    if promised and found != promised:
        what = IMAGES.get(promised, "a PDF document")
        contents = found if found == "a program" else IMAGES.get(found) or ("text" if is_utf8 else "something else")
        raise InvalidInput.single("file", f"this file is not {what}: its contents are {_said(contents)}")
    if found == "a program":
        raise InvalidInput.single("file", "this file is a program; programs cannot be attached to a trial")
    if found:
        return found
    if not is_utf8:
        return OCTET
    return {".csv": "text/csv", ".tsv": "text/tab-separated-values"}.get(extension) or _json_or_text(extension, head)


def attach_artifact(trial, user, uploaded):
    """Check an uploaded file and attach it to the trial.

    Returns:
        The stored Artifact.

    Raises:
        TooLarge: Over TUNER_ARTIFACT_MAX_BYTES, or the study's files would pass
            TUNER_STUDY_ARTIFACTS_MAX_BYTES (413).
        InvalidInput: On ``file``: a program, or bytes that disagree with the name (400).
        Nothing is stored on any of these.
    """
    cap = settings.TUNER_ARTIFACT_MAX_BYTES
    if uploaded.size > cap:
        raise TooLarge(f"file: the file is {uploaded.size} bytes; the limit for one file is {cap} bytes")
    name = _filename(uploaded)
    content_type = sniff(name, _head(uploaded), _is_utf8(uploaded))
    artifact = Artifact(trial=trial, uploaded_by=user if user.is_authenticated else None, name=name,
                        size=uploaded.size, content_type=content_type)
    _check_study_total(trial.study_id, uploaded.size)  # early, so an upload over the cap writes nothing
    uploaded.seek(0)
    # Written before the lock is taken, so a slow write does not hold up the study's other changes.
    try:
        artifact.file.save(name, File(uploaded), save=False)
    except Exception as error:  # the disk is full, or the bucket refuses or does not answer
        log.exception("storing %s for trial %s failed", name, trial.pk)
        raise Busy(f"file: the file store did not take the file ({type(error).__name__}); nothing was stored, "
                   "retry later") from error
    try:
        # Under the study's row lock, two uploads at once cannot both slip under the study's cap.
        with locked_study(trial.study_id):
            _check_study_total(trial.study_id, uploaded.size)
            artifact.save()
    except Exception:
        artifact.file.delete(save=False)
        raise
    return artifact


def shown_inline(artifact):
    """Whether a browser may show the file itself (an image or plain text) rather than download it."""
    extension = os.path.splitext(artifact.name)[1].lower()
    return artifact.content_type in IMAGES or (artifact.content_type == "text/plain" and extension not in _MARKUP)


def download(artifact):
    """The file as an HTTP response: images and plain text inline, anything else as an attachment,
    and never sniffed by the browser into something else."""
    inline = shown_inline(artifact)
    try:
        opened = artifact.file.open("rb")
    except Exception as error:  # the file or the bucket is gone or does not answer
        log.exception("reading artifact %s failed", artifact.pk)
        raise Busy(f"the file store did not give the file back ({type(error).__name__}); retry later") from error
    content_type = artifact.content_type + ("; charset=utf-8" if artifact.content_type.startswith("text/") else "")
    response = FileResponse(opened, as_attachment=not inline, filename=artifact.name,
                            content_type=content_type if inline or artifact.content_type != "text/plain" else OCTET)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def preview(artifact):
    """What the trial page shows of a file: {"kind": "image"}, {"kind": "table", "rows": [[...]]}
    (the first TABLE_ROWS rows of a CSV or TSV, TABLE_COLUMNS columns at most), {"kind": "text", "text": ...} (the first
    TEXT_LINES lines of text or JSON), or {"kind": None}. Always plain strings, shown as text."""
    if artifact.content_type in IMAGES:
        return {"kind": "image"}
    if artifact.content_type not in ("text/csv", "text/tab-separated-values", "application/json", "text/plain"):
        return {"kind": None}
    try:
        text = _start_of(artifact)
    except Exception:  # the store does not answer: the page still opens, with the download link
        log.exception("previewing artifact %s failed", artifact.pk)
        return {"kind": None}
    if artifact.content_type in ("text/csv", "text/tab-separated-values"):
        delimiter = "," if artifact.content_type == "text/csv" else "\t"
        try:
            rows = [row[:TABLE_COLUMNS]
                    for _, row in zip(range(TABLE_ROWS), csv.reader(io.StringIO(text), delimiter=delimiter))]
        except csv.Error:
            return {"kind": "text", "text": "\n".join(text.splitlines()[:TEXT_LINES])}
        return {"kind": "table", "rows": rows}
    return {"kind": "text", "text": "\n".join(text.splitlines()[:TEXT_LINES])}


def delete_artifact_file(sender, instance, **kwargs):
    """Remove a deleted artifact's file once the deletion commits (a post_delete receiver)."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def _signature(head):
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _SIGNATURES if head.startswith(magic)), None)


def _said(contents):
    return "an executable program" if contents == "a program" else contents


def _json_or_text(extension, head):
    if extension != ".json":
        return "text/plain"
    return "application/json" if _parses(head) else "text/plain"


def _parses(data):
    try:
        json.loads(data.decode("utf-8"))
    except ValueError:
        return False
    return True


def _head(uploaded):
    uploaded.seek(0)
    if uploaded.size <= _PREVIEW_BYTES * 4:  # small enough that JSON can be parsed whole
        return uploaded.read()
    return uploaded.read(64)


def _is_utf8(uploaded):
    uploaded.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in uploaded.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check_study_total(study_id, size):
    cap = settings.TUNER_STUDY_ARTIFACTS_MAX_BYTES
    held = Artifact.objects.filter(trial__study_id=study_id).aggregate(total=Sum("size"))["total"] or 0
    if held + size > cap:
        raise TooLarge(f"file: the study's files would come to {held + size} bytes; "
                       f"the limit for one study is {cap} bytes")


def _filename(uploaded):
    name = os.path.basename((uploaded.name or "").replace("\\", "/")) or UPLOAD_NAME
    return name[:255] if label_fault(name) is None else UPLOAD_NAME


def _start_of(artifact):
    with artifact.file.open("rb") as handle:
        raw = handle.read(_PREVIEW_BYTES)
    return raw.decode("utf-8", errors="replace")
