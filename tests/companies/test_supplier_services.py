"""The supplier pool's services: registration waits for staff approval (companies/services.py)."""


import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from companies import services as company_services
from tests.factories.applications import SupplierFactory
from tests.factories.portal import UserFactory


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


# --- Suppliers -------------------------------------------------------------------------------

def test_register_supplier_waits_for_approval_then_staff_approve(db):
    user = UserFactory()
    supplier = SupplierFactory.build(approved=True)

    company_services.register_supplier(supplier, user=user)
    assert (supplier.approved, supplier.created_by) == (False, user)

    company_services.approve_supplier(supplier, user=UserFactory(is_staff=True))
    supplier.refresh_from_db()
    assert supplier.approved is True


def test_approve_supplier_by_non_staff_refused(db):
    supplier = SupplierFactory(approved=False)

    with pytest.raises(ValidationError):
        company_services.approve_supplier(supplier, user=UserFactory())

    supplier.refresh_from_db()
    assert supplier.approved is False
