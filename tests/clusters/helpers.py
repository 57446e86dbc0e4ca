"""Values the cluster service tests share."""

from datetime import timedelta

from django.utils import timezone


def shared(**overrides):
    data = {"name": "장류 발효 클러스터", "shared_process": "배합 → 발효 → 포장",
            "supplier": None, "supplier_name": "", "supplier_registration_number": "",
            "common_system": "공동 MES", "system_scope": "발효 공정 데이터 수집"}
    data.update(overrides)
    return data


def close_call(call):
    call.opens_at = timezone.now() - timedelta(days=30)
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save(update_fields=["opens_at", "closes_at"])
