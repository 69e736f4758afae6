"""The masking rule itself: a share token keeps 6 characters in a log line, everything else is left as it was."""

import logging

from tuner_site.logmask import MaskShareTokens, mask_share_tokens

TOKEN = "WieYsxRUAP8GDcRQjTAuAzGeXk-Yxkh6uRCD0iK_Vtc"


def test_a_token_in_a_request_line_keeps_its_first_six_characters():
    assert mask_share_tokens(f"GET /share/{TOKEN}/trials.json?page=2 HTTP/1.1") == \
        "GET /share/WieYsx…/trials.json?page=2 HTTP/1.1"


def test_a_token_behind_an_escaped_share_is_masked():
    assert mask_share_tokens(f"/%73hare/{TOKEN}/") == "/share/WieYsx…/"


def test_a_token_at_the_end_of_a_url_is_masked():
    assert mask_share_tokens(f"https://tuner.example.com/share/{TOKEN}") == "https://tuner.example.com/share/WieYsx…"


def test_a_line_without_a_share_path_is_unchanged():
    line = "GET /studies/12/trials.json?q=%2Fshare HTTP/1.1"

    assert mask_share_tokens(line) == line


def test_the_log_filter_masks_a_record_with_arguments():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/share/{TOKEN}/",), None)

    MaskShareTokens().filter(record)

    assert record.getMessage() == "Not Found: /share/WieYsx…/"
