"""A categorical takes at most 1,000 choices of at most 200 characters: a huge one slowed every page.

The faults past the caps are in test_space_validation.py; these hold the caps themselves.
"""

from studies.engine import SearchSpace


def _choices(space):
    return SearchSpace.from_json(space).to_json()["c"]["choices"]


def test_1000_choices_are_allowed():
    choices = [f"c{i}" for i in range(1000)]

    assert _choices({"c": {"type": "categorical", "choices": choices}}) == choices


def test_a_choice_of_200_characters_is_allowed():
    assert _choices({"c": {"type": "categorical", "choices": ["x" * 200]}}) == ["x" * 200]


def test_a_long_number_is_not_held_to_the_text_length():
    assert _choices({"c": {"type": "categorical", "choices": [10**250]}}) == [10**250]
