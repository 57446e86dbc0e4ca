"""Demo reviewers: the three demo reviewer accounts get profiles on every demo call's committee.

Loaded by ``manage.py load_demo`` after the accounts (it needs them). Idempotent: profiles are
found by their account, tags by name; a second run changes nothing.
"""

from django.db import transaction

from portal.models import User
from programs.demo import CALLS
from programs.models import Call

from .models import ExpertiseTag, ReviewerProfile

TAGS = [
    ("MES·생산관리", "MES and production management"),
    ("식품 공정", "Food processing"),
    ("스마트 HACCP", "Smart HACCP"),
    ("설비 자동화·로봇", "Equipment automation and robots"),
    ("재무·사업성", "Finance and feasibility"),
]

# email, organisation, its registration number (valid check digit; no demo company's or
# supplier's), expertise tags
REVIEWERS = [
    ("reviewer1@demo.smartfactory.kr", "한국생산기술연구원(데모)", "1348200013",
     ["MES·생산관리", "설비 자동화·로봇"]),
    ("reviewer2@demo.smartfactory.kr", "데모대학교 산업공학과", "2148200022",
     ["식품 공정", "스마트 HACCP"]),
    ("reviewer3@demo.smartfactory.kr", "데모회계법인", "3148200036", ["재무·사업성"]),
]


@transaction.atomic
def load():
    tags = {name: ExpertiseTag.objects.get_or_create(name=name, defaults={"name_en": en})[0]
            for name, en in TAGS}
    calls = list(Call.objects.filter(code__in=[spec["code"] for spec in CALLS]))
    for email, organisation, number, expertise in REVIEWERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        profile, created = ReviewerProfile.objects.get_or_create(user=user, defaults={
            "organisation": organisation, "organisation_registration_number": number})
        if created:
            profile.expertise.set([tags[name] for name in expertise])
            profile.calls.set(calls)
