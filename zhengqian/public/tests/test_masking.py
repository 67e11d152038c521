"""Masking properties (hypothesis): what the public lists show keeps only the family name's
first character and the first 3 / last 4 characters of an ID number."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhengqian.core.crypto import mask_id_number, mask_name

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ID_CHARS = st.sampled_from("0123456789X")


@given(st.text(CJK, min_size=1, max_size=12))
def test_a_masked_name_shows_only_its_first_character(name):
    masked = mask_name(name)
    assert masked[0] == name[0]
    assert set(masked[1:]) == {"*"}
    assert len(masked) == max(len(name), 2)  # a one-character name still gets a star
    assert not any(ch in masked[1:] for ch in name[1:])


@given(st.text(ID_CHARS, min_size=8, max_size=18))
def test_a_masked_id_keeps_three_leading_and_four_trailing_characters(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:3] == number[:3] and masked[-4:] == number[-4:]
    assert set(masked[3:-4]) <= {"*"} and len(masked[3:-4]) == len(number) - 7


@given(st.text(ID_CHARS, min_size=0, max_size=7))
def test_short_ids_are_masked_entirely(number):
    assert mask_id_number(number) == "*" * len(number)


@given(st.text(ID_CHARS, min_size=18, max_size=18), st.text(ID_CHARS, min_size=18, max_size=18))
def test_masking_is_many_to_one(first, second):
    # Two people with the same first 3 and last 4 digits look the same: the mask reveals no more.
    if first[:3] == second[:3] and first[-4:] == second[-4:]:
        assert mask_id_number(first) == mask_id_number(second)


@given(st.text(st.characters(whitelist_categories=("Zs",)), max_size=3), st.text(CJK, min_size=2, max_size=4))
def test_surrounding_spaces_do_not_leak_into_the_mask(spaces, name):
    assert mask_name(spaces + name + spaces) == mask_name(name)
