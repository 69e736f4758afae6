"""A JSON parser that refuses what Python's json module quietly accepts (see studies.services.inputs)."""

from django.conf import settings
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

from studies.services import inputs


class StrictJSONParser(JSONParser):
    """JSON without NaN/Infinity, numbers that overflow to infinity, duplicate keys, deep nesting,
    or strings that are not storable text (lone surrogates, NUL), which json.loads would accept,
    turn into inf, silently merge, recurse on until it fails, or hand to the database."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(f"JSON parse error - the body is not valid {encoding}") from None
        try:
            return inputs.load_json(text)
        except inputs.BadInput as exc:
            if exc.field is None:
                raise ParseError(f"JSON parse error - {exc.message}") from None
            raise ValidationError(exc.errors) from None
