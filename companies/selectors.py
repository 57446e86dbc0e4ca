"""Reads of companies and the supplier pool, scoped to the user asking."""

from .models import Company, Exclusion, Invitation, Supplier


def active_exclusion(registration_number: str, today) -> Exclusion | None:
    """The exclusion barring ``registration_number`` on ``today`` (the one ending last), or
    None."""
    return (Exclusion.objects.filter(registration_number=registration_number,
                                     starts_on__lte=today, ends_on__gte=today)
            .order_by("-ends_on").first())


def membership_of(user):
    """The user's membership, or None: an account acts for at most one company. The one place
    that decides which company a user acts for; every rule and page asks it."""
    if not user or not user.is_authenticated:
        return None
    return getattr(user, "membership", None)  # cached by Django, even when missing


def company_of(user) -> Company | None:
    """The company the user acts for, or None."""
    membership = membership_of(user)
    return membership.company if membership is not None else None


def company_id_of(user) -> int | None:
    """The id of the company the user acts for, or None (no query once the membership is
    loaded)."""
    membership = membership_of(user)
    return membership.company_id if membership is not None else None


def pending_invitations(user):
    """Invitations sent to the user's address that nobody has accepted yet."""
    if not user.is_authenticated or not user.email:
        return Invitation.objects.none()
    return (Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True)
            .select_related("company"))


def public_suppliers():
    """Suppliers staff have approved: the public pool."""
    return Supplier.objects.filter(approved=True).select_related("region").order_by("name", "pk")


def suppliers_visible_to(user):
    """The pool, plus every registered supplier for staff (who approve them)."""
    if user.is_authenticated and user.is_staff:
        return Supplier.objects.select_related("region").order_by("name", "pk")
    return public_suppliers()


def split_terms(text: str) -> list[str]:
    """``"MES, 자동화 ·설비"`` → ``["MES", "자동화", "설비"]`` (commas, middle dots, slashes)."""
    for separator in ("·", "/", ";", "\n"):
        text = text.replace(separator, ",")
    return [term.strip() for term in text.split(",") if term.strip()]


def pool_terms(field: str) -> list[str]:
    """The distinct terms of one text field over the pool, sorted: the filter's choices."""
    terms = set()
    for value in public_suppliers().values_list(field, flat=True):
        terms.update(split_terms(value))
    return sorted(terms)


def supplier_snapshot(supplier: Supplier | None, name: str, registration_number: str) -> dict:
    """The supplier part of a frozen plan (a company's or a cluster's): the pool supplier, or
    the one named outside the pool. One set of keys for every version."""
    return {
        "supplier_id": supplier.pk if supplier else None,
        "supplier_name": supplier.name if supplier else name,
        "supplier_registration_number": (supplier.registration_number if supplier
                                         else registration_number),
        "supplier_from_pool": supplier is not None,
    }
