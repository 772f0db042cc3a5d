"""A work number typed at registration: Peruvian mobiles and landlines, stored as +51…"""

import pytest

from bot.registration import clean_peru_phone, looks_like_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("987654321", "+51987654321"),
        ("987 654 321", "+51987654321"),
        ("987-654-321", "+51987654321"),
        ("+51 987 654 321", "+51987654321"),
        ("+51987654321", "+51987654321"),
        ("51987654321", "+51987654321"),
        ("0051 987 654 321", "+51987654321"),
        ("01 426 1234", "+5114261234"),  # Lima: 1 and seven digits
        ("(01) 426-1234", "+5114261234"),
        ("+51 1 426 1234", "+5114261234"),
        ("044 123456", "+5144123456"),  # La Libertad: 44 and six digits
        ("(044) 123-456", "+5144123456"),
        ("+51 44 123456", "+5144123456"),
        ("084.234567", "+5184234567"),
    ],
)
def test_peruvian_numbers_are_accepted_and_normalised(typed, stored):
    assert clean_peru_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "4261234",  # a Lima number without its area code
        "887654321",  # nine digits, but mobiles start with 9
        "98765432",  # a digit short
        "9876543210",  # a digit too many
        "99 123456",  # 99 is no area code
        "+1 987 654 321",  # another country
        "+51 987 654 32",
        "987654321 anexo 2",
        "987654321a",
    ],
)
def test_other_text_is_refused(typed):
    assert clean_peru_phone(typed) is None


def test_what_counts_as_a_typed_number():
    assert looks_like_phone("987 654 321") and looks_like_phone("12345")
    assert not looks_like_phone("Omitir") and not looks_like_phone("mi celular es 987654321")
    assert not looks_like_phone("1234")
