"""The demo accounts have agreed to the current consent texts, as signed-up accounts have
(``load_demo``'s last step: the other parts make the accounts)."""

from portal.models import User

from .models import ConsentRecord, ConsentVersion
from .services import record_consent

DEMO_DOMAIN = "@demo.smartfactory.kr"


def load():
    current = ConsentVersion.objects.current()
    if current is None:
        return
    agreed = ConsentRecord.objects.filter(version=current).values("user")
    for user in (User.objects.filter(email__endswith=DEMO_DOMAIN).exclude(pk__in=agreed)
                 .order_by("pk")):
        record_consent(user, current, marketing=False)
