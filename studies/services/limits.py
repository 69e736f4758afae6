"""Per-user limits on what a user holds (studies, datasets, API tokens): one check for all.

Counted before the new row is written, without a lock: two requests at the same instant may
both pass, so a limit can be passed by one. It bounds what one account can pile up, and is not
a quota to the row.
"""

from .errors import TooMany


def check_user_limit(held, limit, what, remedy):
    """Raise TooMany (429) naming the limit when the user already holds `limit` of `what`.

    Args:
        held: How many the user holds now.
        limit: The most a user may hold (a setting).
        what: The plural noun, e.g. "studies".
        remedy: What the user can do, e.g. "delete some first".
    """
    if held >= limit:
        raise TooMany(f"limit reached: you have {held} {what}, and a user may hold at most {limit} {what}; {remedy}")
