"""The control-character rules both apps share (`safe_text.control_characters`)."""

import pytest
from django.core.exceptions import ValidationError

from safe_text.control_characters import (
    validate_multi_line,
    validate_single_line,
    without_control_characters,
)

# NUL, SOH, tab, line feed, vertical tab, ESC, DEL and a C1 character (NEL).
CONTROL = ["\x00", "\x01", "\t", "\n", "\x0b", "\x1b", "\x7f", "\x85"]


@pytest.mark.parametrize("character", CONTROL)
def test_a_single_line_refuses_every_control_character(character):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(f"Varicose veins{character}")
    assert refused.value.code == "control_character"


def test_a_single_line_keeps_accents_symbols_and_other_scripts():
    validate_single_line("Œdème — 5 mg/ml ≤ 10 % · Ärztin · 静脈瘤")


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x0b", "\x1b", "\x7f", "\x85"])
def test_a_multi_line_text_refuses_control_characters_other_than_breaks_and_tabs(character):
    with pytest.raises(ValidationError):
        validate_multi_line(f"First line{character}")


def test_a_multi_line_text_keeps_its_line_breaks_and_tabs():
    validate_multi_line("First line\r\nSecond line\n\tindented")


def test_a_request_value_is_stored_without_its_control_characters():
    assert without_control_characters("/\x01articles/\x1b[31m\x00") == "/articles/[31m"
