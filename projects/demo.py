"""Demo data for the post-award life cycle: the Jeonbuk award run confirmed, with one agreement
accepted, one pending, one declined and one waitlisted company promoted, so that a newcomer
clicks through every state after ``make run``.

Loaded by ``manage.py load_demo`` after the awards demo (it needs its scored Jeonbuk
applications and the demo staff account). Every step goes through the services, as a user's
clicks would: the notices and the agreement PDF are generated on the spot (eager tasks).
Idempotent: nothing happens once the Jeonbuk call has a confirmed run.

| account | company | state |
| --- | --- | --- |
| ``company-jb@…`` | 한빛농식품 (1st) | agreement to accept, deadline 14 days after the notice |
| ``company-jb-accepted@…`` | 새벽바이오 (2nd) | agreement accepted, version 1 and its PDF |
| ``company-jb-declined@…`` | 들녘푸드 (3rd) | declined (포기) |
| ``company-jb-promoted@…`` | first waitlisted (advanced) | promoted (추가 선정), to accept |
"""

from django.contrib.auth import get_user_model

from applications.models import Application
from awards import services as award_services
from awards.enums import Outcome, RunStatus
from awards.models import AwardRun, ResultLine
from companies.enums import MembershipRole
from companies.models import Membership
from portal.demo_users import DEMO_PASSWORD, ensure_user

from . import promoting, services
from .models import AdditionalNotice, Agreement

STAFF_EMAIL = "staff@demo.smartfactory.kr"
ACCEPTED_EMAIL = "company-jb-accepted@demo.smartfactory.kr"
DECLINED_EMAIL = "company-jb-declined@demo.smartfactory.kr"
PROMOTED_EMAIL = "company-jb-promoted@demo.smartfactory.kr"


def member_of(application: Application, email: str, name: str):
    user = ensure_user(email, name, password=DEMO_PASSWORD)
    Membership.objects.get_or_create(user=user, defaults={
        "company": application.company, "role": MembershipRole.OWNER})
    return user


def load():
    from programs.models import Call

    call = Call.objects.filter(code="2025-JB").first()
    staff = get_user_model().objects.filter(email=STAFF_EMAIL).first()
    if call is None or staff is None:
        return None
    if AwardRun.objects.filter(call=call, status=RunStatus.CONFIRMED).exists():
        return call
    if not Application.objects.filter(call=call).exists():
        return None
    # Each task's body is called here as well: inside a transaction (a test's) the tasks queued
    # after the commit would not run yet, and each is idempotent (the eager run is a no-op).
    run = award_services.start_run(call, user=staff)
    run = award_services.compute_run(run.pk)
    award_services.confirm_run(run, user=staff)
    for notice_id in run.notices.order_by("pk").values_list("pk", flat=True):
        award_services.deliver_notice(notice_id)
    advanced = call.tracks.get(order=1)
    selected = list(ResultLine.objects.filter(run=run, track=advanced,
                                              outcome=Outcome.SELECTED)
                    .select_related("application__company").order_by("rank"))
    waitlisted = (ResultLine.objects.filter(run=run, track=advanced,
                                            outcome=Outcome.WAITLISTED)
                  .select_related("application__company").order_by("waitlist_position")
                  .first())
    accepted_by = member_of(selected[1].application, ACCEPTED_EMAIL, "새벽바이오 대표")
    declined_by = member_of(selected[2].application, DECLINED_EMAIL, "들녘푸드 대표")
    member_of(waitlisted.application, PROMOTED_EMAIL, f"{waitlisted.application.company.name} 대표")

    agreement = Agreement.objects.get(application=selected[1].application)
    values = {name: getattr(agreement, name) for name in services.EDITABLE_FIELDS}
    values.update(supplier_name=values["supplier_name"] or "전북스마트솔루션",
                  supplier_registration_number=values["supplier_registration_number"]
                  or "1248100998",
                  bank_name="전북은행", account_number="1021-01-234567",
                  account_holder=selected[1].application.company.name)
    version = services.accept_agreement(agreement, values, user=accepted_by,
                                        revision=agreement.revision)
    services.generate_agreement_pdf(version.pk)
    services.decline_agreement(Agreement.objects.get(application=selected[2].application),
                               user=declined_by, reason="자부담 현금 확보가 어려워 포기합니다.")
    promotion = promoting.start_promotion(advanced, user=staff)
    promoting.confirm_promotion(promotion, user=staff)
    for notice in AdditionalNotice.objects.filter(line__run=promotion):
        promoting.deliver_additional_notice(notice.pk)
    return call
