"""The first version of the consent texts, written when the database is migrated and no
version exists yet (staff publish later versions in the admin)."""

FIRST_VERSION = {
    "number": 1,
    "items": "필수: 이름, 이메일 주소, 비밀번호(암호화하여 저장), 접속 기록\n"
             "지원사업을 신청할 때: 소속 기업의 정보, 담당자의 연락처",
    "items_en": "Required: name, email address, password (stored encrypted), access records\n"
                "When applying to a programme: your company's details, the contact person's "
                "phone number",
    "purpose": "회원 가입과 본인 확인, 스마트공장 지원사업의 신청·평가·선정 업무 처리, 신청 "
               "결과와 사업 진행에 관한 안내",
    "purpose_en": "Sign-up and identification; handling applications, reviews and selection "
                  "for the smart factory support programmes; notices about your applications "
                  "and projects",
    "retention": "회원 탈퇴 시까지. 다만 지원사업의 신청·선정 기록은 관계 법령에 따라 사업 "
                 "종료 후 5년간 보관합니다.",
    "retention_en": "Until you close your account; records of applications and selections are "
                    "kept five years after the project ends, as the law requires.",
    "refusal": "개인정보 수집·이용에 동의하지 않을 권리가 있습니다. 다만 동의하지 않으면 회원 "
               "가입과 지원사업 신청을 할 수 없습니다.",
    "refusal_en": "You may refuse; without this consent you cannot sign up or apply.",
    "marketing": "새 공고, 설명회와 행사 소식을 이메일로 받습니다. 동의하지 않아도 가입과 신청에 "
                 "아무런 제한이 없으며, 언제든지 철회할 수 있습니다.",
    "marketing_en": "News of new calls, information sessions and events by email. Without it "
                    "nothing is limited; you may withdraw it at any time.",
}


def ensure_first_version(using="default", **kwargs):
    """``post_migrate``: the first version, published now, when there is none yet."""
    from django.utils import timezone

    from .models import ConsentVersion

    if not ConsentVersion.objects.using(using).exists():
        ConsentVersion.objects.using(using).create(**FIRST_VERSION, published_at=timezone.now())
