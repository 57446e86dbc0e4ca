"""Korean particles chosen by the final consonant of the word before them (portal/korean.py)."""

import pytest
from django.template import Context, Template

from portal.korean import final_sound, josa, particle, resolve


@pytest.mark.parametrize(("word", "pair", "expected"), [
    ("데모식품", "이/가", "데모식품이"),
    ("새봄회사", "이/가", "새봄회사가"),
    ("신청서", "을/를", "신청서를"),
    ("사업계획", "을/를", "사업계획을"),
    ("클러스터", "은/는", "클러스터는"),
    ("통지서", "은/는", "통지서는"),
    ("공통 사항", "과/와", "공통 사항과"),
    ("기업부담금", "과/와", "기업부담금과"),
    ("정부지원금", "과/와", "정부지원금과"),
    ("서류", "과/와", "서류와"),
    ("부산", "으로/로", "부산으로"),
    ("서울", "으로/로", "서울로"),  # ㄹ takes 로
    ("경북", "으로/로", "경북으로"),
    ("대구", "으로/로", "대구로"),
])
def test_josa_follows_the_final_consonant(word, pair, expected):
    assert josa(word, pair) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("2025-GB-0001", "2025-GB-0001이"),  # 일: a final consonant
    ("2025-GB-0002", "2025-GB-0002가"),  # 이: a vowel
    ("10", "10이"),  # 십
    ("AB3", "AB3이"),  # 삼
    ("Smart", "Smart가"),  # 티
    ("ABC Inc", "ABC Inc가"),  # 씨
    ("LG", "LG가"),  # 지
    ("CNN", "CNN이"),  # 엔
    ("“데모식품”", "“데모식품”이"),
    ("(주)새봄", "(주)새봄이"),
    ("새봄(주)", "새봄(주)가"),  # the bracket is looked through: 주
    ("<strong>데모식품</strong>", "<strong>데모식품</strong>이"),
    ("&quot;새봄회사&quot;", "&quot;새봄회사&quot;가"),
])
def test_josa_reads_digits_letters_quotes_and_markup(word, expected):
    assert josa(word, "이/가") == expected


def test_ro_after_digits_and_letters_read_with_rieul():
    assert josa("cluster-lead@demo.smartfactory.kr", "으로/로") == (
        "cluster-lead@demo.smartfactory.kr로")  # 알
    assert josa("2025-GB-0007", "으로/로") == "2025-GB-0007로"  # 칠
    assert josa("2025-GB-0003", "으로/로") == "2025-GB-0003으로"  # 삼
    assert josa("ceo@member.test", "으로/로") == "ceo@member.test로"  # 티


def test_an_unreadable_end_keeps_the_neutral_marker():
    assert final_sound("…") == "?"
    assert particle("", "이/가") == "이(가)"
    assert particle("😀", "으로/로") == "(으)로"
    assert particle("!", "을/를") == "을(를)"


def test_resolve_replaces_every_marker_of_a_translated_text():
    assert resolve("데모식품이(가) 2025 경북 스마트공장 구축 지원 기초 분야에 선정되었음을 "
                   "알려 드립니다.") == ("데모식품이 2025 경북 스마트공장 구축 지원 기초 분야에 "
                                       "선정되었음을 알려 드립니다.")
    assert resolve("새봄회사이(가) 탈퇴하여 참여기업 4개사가 남았습니다.") == (
        "새봄회사가 탈퇴하여 참여기업 4개사가 남았습니다.")
    assert resolve("통지서 7K2M-9QXA은(는) 포털이 발급한 진본입니다.") == (
        "통지서 7K2M-9QXA는 포털이 발급한 진본입니다.")  # 에이
    assert resolve("신청 상태를 “작성 중”에서 “선정”(으)로 바꿀 수 없습니다.") == (
        "신청 상태를 “작성 중”에서 “선정”으로 바꿀 수 없습니다.")
    assert resolve("예산 항목 “국비”을(를) 초과합니다.") == "예산 항목 “국비”를 초과합니다."
    assert resolve("문의는 경북테크노파크(으)로 전달됩니다.") == (
        "문의는 경북테크노파크로 전달됩니다.")
    assert resolve("데모식품과(와) 새봄회사와(과) 함께") == "데모식품과 새봄회사와 함께"


def test_resolve_leaves_a_marker_after_a_space_and_english_text_alone():
    assert resolve("이(가) 표시된 항목") == "이(가) 표시된 항목"
    assert resolve("값 이(가)") == "값 이(가)"
    assert resolve("Demo Foods was selected (as planned).") == (
        "Demo Foods was selected (as planned).")


def test_template_filters():
    template = Template('{% load korean %}{{ name|josa:"은/는" }} {{ text|particles }}')
    rendered = template.render(Context({"name": "데모식품",
                                        "text": "<새봄회사>이(가) 초대했습니다"}))
    assert rendered == "데모식품은 &lt;새봄회사&gt;가 초대했습니다"
