"""The advice sentence beside a summary that calls the search finished: agreeing, or saying why not."""

from studies.services.surrogates import advice_sentence

FLAT = [{"more_trials": 10, "expected_best": 0.7839, "low": 0.7839, "high": 0.7839},
        {"more_trials": 200, "expected_best": 0.7839, "low": 0.7839, "high": 0.79}]
UNLIKELY = [{"more_trials": 200, "min_gain": 0.01, "probability": 0.2}]
LIKELY = [{"more_trials": 200, "min_gain": 0.01, "probability": 0.8}]


def test_without_a_settled_search_the_sentence_is_the_advice_alone():
    assert advice_sentence(0.7839, FLAT, UNLIKELY).startswith("10 more trials will likely leave the best at 0.7839")


def test_a_settled_search_and_little_to_gain_read_as_agreeing():
    sentence = advice_sentence(0.7839, FLAT, UNLIKELY, since=22)

    assert sentence.startswith("The best has not improved in the last 22 trials, and the model of the results agrees: ")
    assert "20% chance of gaining 1% or more" in sentence


def test_a_settled_search_with_room_left_says_the_two_differ_and_what_to_do():
    sentence = advice_sentence(0.7839, FLAT, LIKELY, since=22)

    assert sentence.startswith("The best has not improved in the last 22 trials, yet the model of the results still sees room: ")
    assert sentence.endswith("stop if a few more trials bring nothing.")


def test_a_settled_search_whose_next_ten_trials_move_the_best_says_the_two_differ():
    moving = [{**FLAT[0], "expected_best": 0.8, "high": 0.82}, FLAT[1]]

    assert "yet the model of the results still sees room" in advice_sentence(0.7839, moving, UNLIKELY, since=22)


def test_a_near_certain_chance_is_not_called_certain():
    certain = [{"more_trials": 200, "min_gain": 0.01, "probability": 1.0}]

    assert advice_sentence(0.7839, FLAT, certain).endswith("200 more have over a 99% chance of gaining 1% or more.")


def test_a_near_zero_chance_is_not_called_impossible():
    hopeless = [{"more_trials": 200, "min_gain": 0.01, "probability": 0.001}]

    assert advice_sentence(0.7839, FLAT, hopeless).endswith("200 more have under a 1% chance of gaining 1% or more.")


def test_a_band_too_narrow_to_print_says_no_change_not_between_a_number_and_itself():
    sentence = advice_sentence(0.7839, FLAT, UNLIKELY)

    assert sentence.startswith("10 more trials will likely leave the best at 0.7839 (80% chance of no change); ")


def test_a_band_wide_enough_to_print_gives_both_ends():
    moving = [{**FLAT[0], "expected_best": 0.8, "high": 0.82}, FLAT[1]]

    assert "to about 0.8 (80% chance between 0.7839 and 0.82); " in advice_sentence(0.7839, moving, UNLIKELY)


TOO_HOPEFUL = {"trials": 30, "expected_gain": 0.03832, "real_gain": 0.0, "shrink": 0.1}


def test_advice_scaled_down_by_its_hindcast_says_so_and_by_how_much():
    sentence = advice_sentence(0.7839, FLAT, UNLIKELY, since=35, calibration=TOO_HOPEFUL)

    assert sentence.startswith("The best has not improved in the last 35 trials, and the model of the results agrees: ")
    assert sentence.endswith(" Checked against this study's last 30 trials, the model was too hopeful: it expected "
                             "them to add about 0.03832 to the best and they added 0, so the gains above are cut to "
                             "10% of what it expected.")


def test_advice_its_hindcast_left_alone_says_nothing_of_it():
    kept = {**TOO_HOPEFUL, "real_gain": 0.05, "shrink": 1.0}

    assert advice_sentence(0.7839, FLAT, UNLIKELY, calibration=kept) == advice_sentence(0.7839, FLAT, UNLIKELY)


def test_a_real_gain_too_small_to_matter_reads_as_almost_nothing_not_as_a_power_of_ten():
    tiny = {**TOO_HOPEFUL, "real_gain": 3.343e-05}

    sentence = advice_sentence(0.7839, FLAT, UNLIKELY, calibration=tiny)

    assert "they added almost nothing, so" in sentence and "e-05" not in sentence


def test_a_real_gain_worth_its_digits_is_given():
    some = {**TOO_HOPEFUL, "real_gain": 0.004}

    assert "they added about 0.004, so" in advice_sentence(0.7839, FLAT, UNLIKELY, calibration=some)


# The lead's retuned house study at 20 trials: half of the model's futures reach R² 1 in 10 more trials.
PAST_LIMIT = [{"more_trials": 10, "expected_best": 1.0, "low": 0.9844, "high": 1.0, "at_limit": 0.52},
              {"more_trials": 200, "expected_best": 1.0, "low": 1.0, "high": 1.0, "at_limit": 1.0}]
CERTAIN = [{"more_trials": 200, "min_gain": 0.01, "probability": 1.0}]


def test_a_first_horizon_past_the_limit_is_not_quoted_as_a_likely_best():
    sentence = advice_sentence(0.9839, PAST_LIMIT, CERTAIN, limit=1.0)

    assert "about 1" not in sentence and "between" not in sentence and "chance of gaining" not in sentence
    assert sentence.startswith("The model of the results cannot yet tell what more trials may bring: in 52% of its "
                               "simulations, 10 more trials reach 1, the best value this score can take, which real "
                               "data seldom allow.")


def test_a_settled_search_whose_model_reaches_past_the_limit_says_it_cannot_tell_and_what_to_do():
    sentence = advice_sentence(0.9839, PAST_LIMIT, CERTAIN, since=19, limit=1.0)

    assert sentence.startswith("The best has not improved in the last 19 trials, and the model of the results cannot "
                               "tell whether more trials would change that: in 52% of its simulations")
    assert sentence.endswith("so stop if a few more trials bring nothing.")


def test_only_the_horizons_past_the_limit_go_unquoted():
    later = [FLAT[0], {**FLAT[1], "expected_best": 0.7, "low": 0.0, "at_limit": 0.22}]

    sentence = advice_sentence(0.7839, later, LIKELY, limit=0.0)

    assert sentence == ("10 more trials will likely leave the best at 0.7839 (80% chance of no change); further ahead "
                        "the model of the results cannot tell: in 22% of its simulations, 200 more trials reach 0, "
                        "the best value this score can take, which real data seldom allow.")


def test_a_hindcast_beside_unquoted_figures_says_what_it_found_but_cuts_nothing():
    sentence = advice_sentence(0.9839, PAST_LIMIT, CERTAIN, since=19, calibration=TOO_HOPEFUL, limit=1.0)

    assert sentence.endswith(" Checked against this study's last 30 trials, the model was too hopeful: it expected "
                             "them to add about 0.03832 to the best and they added 0.")
