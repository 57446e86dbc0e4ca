"""Benchmark of the notice PDFs (figures, not a test).

    .venv/bin/python bench/notices.py [notices timed] [notices for the worker]

Creates a throwaway database (``bench_awards_notices``; a temporary SQLite file without
DATABASE_URL), loads the demo programmes, closes the Jeonbuk call and confirms an award run
over scored applications, so that every application has a notice to generate. Then, in one
run and interleaved notice by notice:

- **portal**: ``services.deliver_notice`` — the whole task body: the query, the template, the
  QR code, WeasyPrint, storing the file, the NOTIFIED transition and its audit row, the email;
- **plain**: WeasyPrint alone rendering the same HTML and stylesheet with the same fonts
  (``HTML(...).write_pdf()``, nothing of the portal around it).

It prints both medians and their ratio (the issue's target: at most 1.3×). Then a separate
process, as a worker would, runs the ``generate_notice`` task for the other notices (200 by
default) and reports its resident memory as it goes and at its peak.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per task

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def registration_number(n: int) -> str:
    from companies.validators import WEIGHTS

    body = f"{700000000 + n * 7919:09d}"[-9:]
    digits = [int(c) for c in body]
    total = sum(d * w for d, w in zip(digits, WEIGHTS, strict=False)) + (digits[8] * 5) // 10
    return body + str((10 - total % 10) % 10)


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:" \
           f"{db.get('PORT') or 5432}/{name}"


def populate(count: int):
    """``count`` scored applications of the Jeonbuk call and a confirmed run (notices
    created, none generated)."""
    from applications.enums import ApplicationStatus
    from applications.models import Application, PlanVersion
    from awards import services
    from awards.models import AwardRun, Notice
    from companies.models import Company, Membership
    from portal.models import User
    from programs import demo
    from programs.models import Call, EvaluationRound
    from reviews.enums import ConflictStatus
    from reviews.models import Assignment, ReviewerProfile, Score

    demo.load()
    now = timezone.now()
    Call.objects.filter(code="2025-JB").update(opens_at=now - timezone.timedelta(days=60),
                                               closes_at=now - timezone.timedelta(days=1))
    call = Call.objects.get(code="2025-JB")
    evaluation_round = EvaluationRound.objects.get(call=call)
    criteria = list(evaluation_round.criteria.order_by("order"))
    tracks = list(call.tracks.order_by("order"))
    companies = Company.objects.bulk_create(
        Company(name=f"벤치농식품 {n}", registration_number=registration_number(n),
                representative="홍길동", address="전북특별자치도 전주시", region=call.region,
                ksic_code="C10", is_sme=True, employees=20, revenue=1_000_000_000)
        for n in range(count))
    applications = Application.objects.bulk_create(
        Application(call=call, track=tracks[n % 2], company=company,
                    status=ApplicationStatus.SCORED, receipt_number=f"BN-{n:05d}",
                    submitted_at=now) for n, company in enumerate(companies))
    PlanVersion.objects.bulk_create(
        PlanVersion(application=a, number=1, total_cost=cost, requested_support=0,
                    data={"plan": {"contribution_in_kind": cost // 10}})
        for n, a in enumerate(applications)
        for cost in [(400_000_000 if n % 2 == 0 else 100_000_000) - n * 100_000])
    users = User.objects.bulk_create(
        User(email=f"bench-notice{n}@company.test", username=f"bench-notice{n}", password="!")
        for n in range(count + 1))
    Membership.objects.bulk_create(Membership(company=c, user=u)
                                   for c, u in zip(companies, users, strict=False))
    reviewer = ReviewerProfile.objects.create(user=users[-1], organisation="벤치대학교",
                                              organisation_registration_number="1248100998")
    assignments = Assignment.objects.bulk_create(
        Assignment(round=evaluation_round, application=a, reviewer=reviewer,
                   conflict=ConflictStatus.NONE, submitted_at=now) for a in applications)
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=criterion,
              points=min(criterion.max_points, Decimal(60 + (i * 7) % 40) / 100
                         * criterion.max_points).quantize(Decimal("0.5")))
        for i, assignment in enumerate(assignments) for criterion in criteria)
    staff = User.objects.create(email="bench-notice-staff@mss.test",
                                username="bench-notice-staff", is_staff=True)
    run = AwardRun.objects.create(call=call, started_by=staff)
    services.compute_run(run.pk)
    run.refresh_from_db()
    with transaction.atomic():  # confirmation's writes, without queueing the notices
        services.apply_run(run, user=staff)
    return list(Notice.objects.filter(run=run).order_by("line__position")
                .values_list("pk", flat=True))


def plain_renderer():
    """WeasyPrint with nothing of the portal: the same stylesheet and font files."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from awards import fonts, notices

    prepared = fonts.ensure_fonts()
    base_url = fonts.font_dir().resolve().as_uri() + "/"
    css_text = fonts.font_face_css(prepared) + notices.STYLESHEET.read_text(encoding="utf-8")

    def render(html):
        font_config = FontConfiguration()
        css = CSS(string=css_text, base_url=base_url, font_config=font_config)
        return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[css],
                                                              font_config=font_config)
    return render


def font_comparison(html, repeat=10):
    """The same notice with the prepared (stripped) NanumGothic and with the stock files, each
    with WeasyPrint's HarfBuzz subsetter (when the system has it) and with its fontTools
    fallback (what a system without libharfbuzz-subset does)."""
    import weasyprint.pdf.fonts as pdf_fonts
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from awards import fonts, notices

    stylesheet = notices.STYLESHEET.read_text(encoding="utf-8")
    stock = {weight: fonts.find_source(source) for weight, (_name, source) in fonts.FONTS.items()}
    sets = {"prepared (no TSI tables)": fonts.ensure_fonts(), "stock NanumGothic": stock}
    harfbuzz = pdf_fonts.harfbuzz_subset
    results = {}
    for subsetter, module in (("HarfBuzz", harfbuzz), ("fontTools", None)):
        if subsetter == "HarfBuzz" and module is None:
            continue
        pdf_fonts.harfbuzz_subset = module
        for label, files in sets.items():
            css_text = "".join(
                f'@font-face {{ font-family: "NoticeGothic"; font-weight: {weight}; '
                f'src: url("{path.as_uri()}"); }}\n' for weight, path in files.items()
            ) + stylesheet
            durations, size = [], 0
            for _ in range(repeat):
                start = time.perf_counter()
                font_config = FontConfiguration()
                css = CSS(string=css_text, font_config=font_config)
                size = len(HTML(string=html).write_pdf(stylesheets=[css],
                                                       font_config=font_config))
                durations.append(time.perf_counter() - start)
            results[(subsetter, label)] = (statistics.median(durations), size)
    pdf_fonts.harfbuzz_subset = harfbuzz
    for (subsetter, label), (seconds, size) in results.items():
        print(f"fonts: {label}, {subsetter} subsetting: {seconds * 1000:.0f} ms median, "
              f"PDF {size / 1024:.0f} KB")


def timed_comparison(notice_ids):
    from awards import notices, services

    render = plain_renderer()
    portal, plain = [], []
    for notice_id in notice_ids:
        html = notices.notice_html(notices.notice_queryset().get(pk=notice_id))
        start = time.perf_counter()
        render(html)
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        services.deliver_notice(notice_id)
        portal.append(time.perf_counter() - start)
    return portal, plain


def worker(ids_file: str):
    """Run in a child process: the generate_notice task for every id, as a worker does."""
    from awards.tasks import generate_notice

    ids = [int(line) for line in Path(ids_file).read_text().split()]
    print(f"worker: RSS {rss_mb():.0f} MB after start-up", flush=True)
    generate_notice.apply((ids[0],))
    print(f"worker: RSS {rss_mb():.0f} MB after the first notice", flush=True)
    start = time.perf_counter()
    for index, notice_id in enumerate(ids[1:], start=2):
        generate_notice.apply((notice_id,))
        if index % 50 == 0:
            print(f"worker: RSS {rss_mb():.0f} MB after {index} notices", flush=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"worker: {len(ids)} notices, {seconds / max(len(ids) - 1, 1) * 1000:.0f} ms each "
          f"after the first; peak RSS {peak:.0f} MB", flush=True)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    timed_count = int(args[0]) if args else 60
    worker_count = int(args[1]) if len(args) > 1 else 200
    media = tempfile.mkdtemp(prefix="bench-notices-")
    settings.MEDIA_ROOT = media
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    test = settings.DATABASES["default"].setdefault("TEST", {})
    test["NAME"] = (os.path.join(media, "bench.sqlite3") if connection.vendor == "sqlite"
                    else "bench_awards_notices")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True,
                                                  serialize=False)
    try:
        ids = populate(timed_count + worker_count)
        portal, plain = timed_comparison(ids[:timed_count])
        portal_median, plain_median = statistics.median(portal), statistics.median(plain)
        print(f"database: {connection.vendor}")
        print(f"notices timed: {timed_count} (interleaved, one run)")
        print(f"plain WeasyPrint, same HTML and fonts: {plain_median * 1000:.0f} ms median")
        print(f"portal (deliver_notice: query, template, QR, render, store, transition, "
              f"email): {portal_median * 1000:.0f} ms median")
        print(f"ratio portal / plain: {portal_median / plain_median:.2f}× (target ≤ 1.3×)")
        from awards import notices

        font_comparison(notices.notice_html(notices.notice_queryset().get(pk=ids[0])))

        ids_file = Path(media) / "ids.txt"
        ids_file.write_text("\n".join(str(i) for i in ids[timed_count:]))
        connection.close()
        env = {**os.environ, "DATABASE_URL": database_url(test["NAME"]),
               "MEDIA_ROOT": media, "EMAIL_URL": "", "CELERY_BROKER_URL": ""}
        subprocess.run([sys.executable, __file__, "--worker", str(ids_file)], env=env,
                       check=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        from django.core import mail  # noqa: F401

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        worker(sys.argv[-1])
    else:
        main()
