"""A notice's verification code: the base-31 digits of one random number below 31¹², lowest
first, in three groups of four."""

import secrets

from awards import models
from awards.models import CODE_ALPHABET, CODE_SPACE, new_verification_code


def test_code_digits_of_the_drawn_number(monkeypatch):
    drawn = []

    def randbelow(limit):
        drawn.append(limit)
        return values.pop(0)

    values = [0, 1, 31, CODE_SPACE - 1]
    monkeypatch.setattr(models.secrets, "randbelow", randbelow)
    assert [new_verification_code() for _ in range(4)] == [
        "2222-2222-2222", "3222-2222-2222", "2322-2222-2222", "ZZZZ-ZZZZ-ZZZZ"]
    assert drawn == [31 ** 12] * 4


def test_codes_are_of_the_alphabet_and_distinct():
    assert models.secrets is secrets
    codes = [new_verification_code() for _ in range(2000)]
    assert len(set(codes)) == 2000
    assert {len(code) for code in codes} == {14}
    assert set("".join(codes)) - set(CODE_ALPHABET) == {"-"}
