"""Benchmark of settlement (figures, not a test).

    .venv/bin/python bench/settlement.py [projects] [invoices per project] [dashboard projects]

Creates a throwaway database (``BENCH_DATABASE``, default ``bench_settlement``; a temporary
file on SQLite), loads the demo programmes and bulk-creates N inspected Jeonbuk projects
(default 1,000) with a submitted completion report of M tax invoices each (default 20), one in
twenty from a supplier other than the agreed one (a flag), and the proofs of payment. It times:

- computing the settlement of every project of the call at once
  (``services.preview_call_settlements``: the flags of every invoice, the recognised cost, the
  settled support) — **the issue's target: ≤ 2 s for 1,000 × 20 on PostgreSQL**;
- clearing the flags and confirming every settlement at once (``services.settle_call``: the
  ledger rows, the balance orders or refunds, the follow-up schedule; the notices are queued,
  not rendered);
- the ledger-derived budget page's figures (``selectors.budget``) once D projects (default
  10,000) have ledger rows: its query count and time — **target: constant queries,
  ≤ 100 ms**.

The machine may be shared: a floor is timed in the same run (1,000 trivial queries,
``SELECT 1``, and a fixed Python loop) and every figure is printed with its ratio to it, so
runs under different loads compare. With ``--per-project`` the first 50 projects are also
computed one by one (``preview_settlement``), for comparison.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_DATABASE=bench_settlement \
        .venv/bin/python bench/settlement.py 1000 20 10000
"""

import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from award_run import registration_number  # noqa: E402 (bench/award_run.py's)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from floor import best_floor, floor  # noqa: E402 (bench/floor.py)

AGREED_SUPPLIER = "1248100998"
OTHER_SUPPLIER = "1208147521"


def use_throwaway_database():
    test = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = os.path.join(tempfile.mkdtemp(), "bench_settlement.sqlite3")
    else:
        test["NAME"] = os.environ.get("BENCH_DATABASE", "bench_settlement")
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def populate(count: int, per_project: int, *, first: int = 0, status="inspected"):
    from applications.enums import ApplicationStatus
    from applications.models import Application
    from awards.models import AwardRun, ResultLine
    from companies.models import Company
    from portal.models import User
    from programs import demo
    from programs.models import Call
    from projects.models import Agreement
    from settlement.models import (
        CompletionReport,
        Project,
        ReportVersion,
        SupplierPayment,
        TaxInvoice,
    )

    demo.load()
    call = Call.objects.get(code="2025-JB")
    track = call.tracks.order_by("order").first()
    staff, _created = User.objects.get_or_create(
        email="bench-settlement@mss.test",
        defaults={"username": "bench-settlement", "is_staff": True})
    now = timezone.now()
    today = timezone.localdate()
    rng = random.Random(2025 + first)
    run = AwardRun.objects.create(call=call, started_by=staff, status="confirmed",
                                  confirmed_by=staff, confirmed_at=now, inputs_hash="0" * 64)
    companies = Company.objects.bulk_create(
        (Company(name=f"벤치정산 {n}", registration_number=registration_number(n),
                 representative="홍길동", address="전북특별자치도", region=call.region,
                 ksic_code="C10", is_sme=True, employees=20, revenue=1_000_000_000)
         for n in range(first, first + count)), batch_size=5000)
    applications = Application.objects.bulk_create(
        (Application(call=call, track=track, company=company,
                     status=ApplicationStatus.AGREEMENT, receipt_number=f"BS-{first + n:06d}",
                     submitted_at=now) for n, company in enumerate(companies)),
        batch_size=5000)
    lines = ResultLine.objects.bulk_create(
        (ResultLine(run=run, application=application, track=track, position=n + 1,
                    outcome="selected", rank=n + 1, track_size=count, final_score="85.00",
                    project_cost=400_000_000, eligible_cost=400_000_000, national=200_000_000,
                    provincial=80_000_000, contribution_cash=70_000_000,
                    contribution_in_kind=50_000_000)
         for n, application in enumerate(applications)), batch_size=5000)
    agreements = Agreement.objects.bulk_create(
        (Agreement(application=application, result_line=line, award_national=200_000_000,
                   award_provincial=80_000_000, national=200_000_000, provincial=80_000_000,
                   noticed_at=now, deadline=now, accepted_at=now, period_start=today,
                   period_end=today + timedelta(days=180), cost_software=400_000_000,
                   contribution_cash=70_000_000, contribution_in_kind=50_000_000,
                   supplier_registration_number=AGREED_SUPPLIER, bank_name="전북은행",
                   account_number="1021-01-234567", account_holder=application.company.name)
         for application, line in zip(applications, lines, strict=True)), batch_size=5000)
    projects = Project.objects.bulk_create(
        (Project(agreement=agreement, call=call, status=status) for agreement in agreements),
        batch_size=5000)
    reports = CompletionReport.objects.bulk_create(
        (CompletionReport(project=project, submitted_at=now) for project in projects),
        batch_size=5000)
    ReportVersion.objects.bulk_create(
        (ReportVersion(report=report, number=1, data={}) for report in reports), batch_size=5000)
    invoices, payments = [], []
    for index, report in enumerate(reports):
        paid = 0
        for k in range(per_project):
            supply = rng.randrange(5_000_000, 20_000_000, 1_000)
            other = k % 20 == 0
            invoices.append(TaxInvoice(
                report=report, approval_number=f"{first + index:012d}{k:012d}",
                issued_on=today + timedelta(days=10), supplier_name="공급사",
                supplier_registration_number=OTHER_SUPPLIER if other else AGREED_SUPPLIER,
                cost_item="software", supply_amount=supply, vat=supply // 10))
            if other:
                payments.append(SupplierPayment(
                    report=report, supplier_registration_number=OTHER_SUPPLIER,
                    paid_on=today, amount=supply + supply // 10, file="bench.pdf",
                    original_name="bench.pdf", content_type="application/pdf", size=1))
            else:
                paid += supply + supply // 10
        payments.append(SupplierPayment(
            report=report, supplier_registration_number=AGREED_SUPPLIER, paid_on=today,
            amount=paid, file="bench.pdf", original_name="bench.pdf",
            content_type="application/pdf", size=1))
    TaxInvoice.objects.bulk_create(invoices, batch_size=10000)
    SupplierPayment.objects.bulk_create(payments, batch_size=10000)
    return call, staff, projects


FLOOR = []


def timed(label, function):
    connection.queries_log.clear()  # a full log (9,000 queries) would count nothing new
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    ratio = f", {elapsed / FLOOR[0]:.2f}× the floor" if FLOOR else ""
    print(f"{label}: {elapsed:.3f} s, {len(queries)} queries{ratio}")
    return result


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    per_project = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    dashboard = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    old_name = use_throwaway_database()
    try:
        from outbox import services as outbox
        from settlement import selectors, services
        from settlement.models import Flag

        # The settlement notices are queued (outbox rows), not rendered here: their PDFs are
        # the notices' benchmark (bench/notices.py), made by the workers.
        outbox.publish = lambda ids, inline=False: (0, 0)

        call, staff, projects = populate(count, per_project)
        print(f"{connection.vendor}: {count} projects × {per_project} invoices")
        FLOOR.append(best_floor())
        print(f"floor (1,000 × SELECT 1 and a fixed Python loop, best of 3): {FLOOR[0]:.3f} s")
        if "--per-project" in sys.argv:
            from django.db import transaction

            with transaction.atomic():
                timed("compute 50 settlements one by one (preview_settlement)",
                      lambda: [services.preview_settlement(project, user=staff)
                               for project in projects[:50]])
                transaction.set_rollback(True)
        settlements = timed("compute every settlement at once (flags, recognised cost, "
                            "settled support)",
                            lambda: services.preview_call_settlements(call, user=staff))
        print(f"flags raised: {Flag.objects.count()}, "
              f"projects with an open flag: {sum(1 for s in settlements if s.open_flags)}")
        timed("clear the flags", lambda: [services.clear_flag(flag, user=staff, reason="bench")
                                          for flag in Flag.objects.all()])
        held = timed("confirm every settlement at once (ledger, balance orders / refunds)",
                     lambda: services.settle_call(call, user=staff))
        print(f"settled: {type(projects[0]).objects.filter(status='settled').count()}, "
              f"held: {len(held)}")
        FLOOR[0] = min(FLOOR[0], floor())
        if dashboard > count:
            more = populate(dashboard - count, 0, first=count, status="settled")[2]
            from settlement.models import LedgerEntry

            LedgerEntry.objects.bulk_create(
                (LedgerEntry(project=project, call_id=call.pk,
                             track_id=project.agreement.application.track_id, kind="advance",
                             source="national", amount=140_000_000, reason="bench")
                 for project in type(more[0]).objects.filter(pk__in=[p.pk for p in more])
                 .select_related("agreement__application")), batch_size=10000)
        print(f"ledger rows: {selectors.LedgerEntry.objects.count()}")
        for _ in range(3):
            timed(f"budget figures ({dashboard} projects)", lambda: selectors.budget(call))
        print(f"floor at the end: {floor():.3f} s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
