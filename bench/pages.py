"""Benchmark of the portal's pages at real size (figures, not a test).

Longer than 500 lines on purpose: the data set it seeds and the pages it measures are read
together (each page's figures only mean something against the rows seeded for it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/pages.py seed [--applications 10000] [--announcements 500]
    … bench/pages.py run [--duration 10] [--rounds 3] [--pages home,matrix] [--port 8200]
    … bench/pages.py queries [--pages …]          queries, bytes and server ms per page
    … bench/pages.py profile PAGE [--requests 20]  cProfile of one page, in-process

``seed`` drops and recreates the database named by DATABASE_URL (PostgreSQL only), migrates
it, collects the static files with the manifest storage and builds the data set from a fixed
seed: the demo programmes, 50 more calls with 500 published announcements in all, 300
approved suppliers, N submitted applications (default 10,000) spread over the Gyeongbuk,
Jeonnam and Jeonbuk calls, each with its plan, a frozen version and 5 reviews of five criterion
scores by a committee of 25 reviewers (so a reviewer has N/5 applications in the queue), the
Jeonbuk call closed and scored with a confirmed award run and a preview, a notice to verify,
and one company with an application to each of the 50 other calls (the dashboard of a company
with many applications). Sessions of staff, a reviewer and that company's member are stored
in ``var/bench/state.json``.

``run --no-cache`` measures without the public pages' cache (``portal/pagecache.py``); the
queries and bytes columns are those of an uncached request either way. ``run`` serves the
database as production does (gunicorn ``-w 2`` sync workers, DEBUG off,
manifest static files, the same middleware: ``bench/settings.py``) and measures each page with
``wrk -t2 -c16`` interleaved with the *floor* — ``/bench/floor/``, a trivial template page
with no database served the same way — for several rounds. It prints the ratio page ÷ floor
(min / median / max over the rounds), the page's queries and bytes, and a one-line summary.
Absolute figures on a shared machine are not stable; the ratio within one run is the figure.
"""

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import signal
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
STATE = ROOT / "var" / "bench" / "state.json"
PASSWORD = "!"  # unusable: the bench signs in through stored sessions

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def registration_number(n: int) -> str:
    from companies.validators import WEIGHTS

    body = f"{100000000 + n * 7919:09d}"[-9:]
    digits = [int(c) for c in body]
    total = sum(d * w for d, w in zip(digits, WEIGHTS, strict=False)) + (digits[8] * 5) // 10
    return body + str((10 - total % 10) % 10)


# --- The data set ---------------------------------------------------------------------------

def recreate_database():
    import psycopg

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (postgres://…/portal_bench).")
    name = db["NAME"]
    params = {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432,
              "user": db.get("USER") or "postgres", "dbname": "postgres"}
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    connection.close()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


BODY = """## 사업 개요

{title}의 참여기업을 다음과 같이 모집합니다. 스마트공장 구축을 희망하는 중소기업은
공고문과 첨부 서식을 확인한 후 기한 내에 신청하여 주시기 바랍니다.

| 구분 | 내용 |
| --- | --- |
| 지원 규모 | 기업당 최대 1억 원 |
| 지원 비율 | 구축비의 50% |
| 신청 기간 | 공고일부터 마감일까지 |

## 신청 자격

- 해당 지역에 공장을 둔 중소기업
- 제조업 (한국표준산업분류 C)
- 최근 3년 이내 동일 사업 미수혜 기업

## 문의

운영기관 스마트공장 담당자에게 문의하여 주시기 바랍니다.
"""


def clone_calls(count: int, rng):
    """``count`` more calls of the regional programme, each with a track, its shares, budget
    lines, a rubric and the demo's required documents; windows upcoming, open and closed."""
    from programs.enums import FundingSource, TrackKind
    from programs.models import (
    BudgetLine,
    Call,
    Criterion,
    DocumentType,
    EvaluationRound,
    FundingShare,
    Programme,
    Region,
    Track,
    )

    programme = Programme.objects.get(code="regional-2025")
    regions = list(Region.objects.order_by("code"))
    documents = list(DocumentType.objects.all())
    sectors = [("식품", "Food"), ("기계", "Machinery"), ("화학", "Chemicals"),
               ("전자부품", "Electronic parts"), ("섬유", "Textiles"), ("금속가공", "Metalwork")]
    now = timezone.now()
    calls = []
    for n in range(count):
        region = regions[n % len(regions)]
        sector = sectors[n % len(sectors)]
        phase = n % 5  # 0 upcoming, 1–3 open, 4 closed
        opens = now + timedelta(days=10) if phase == 0 else now - timedelta(days=30 + n)
        closes = (now - timedelta(days=1) if phase == 4 else now + timedelta(days=40 + n))
        call = Call.objects.create(
            programme=programme, region=region, code=f"2025-B{n:03d}",
            title=f"2025년 {region.name} {sector[0]} 스마트공장 지원사업 {n + 1}차",
            title_en=f"2025 {region.name_en} {sector[1]} smart factory support, round {n + 1}",
            sector=sector[0], sector_en=sector[1], ksic_codes=["C"],
            opens_at=opens, closes_at=closes, total_budget=2_000_000_000)
        call.required_documents.set(documents)
        BudgetLine.objects.create(call=call, source=FundingSource.NATIONAL,
                                  amount=1_000_000_000)
        BudgetLine.objects.create(call=call, source=FundingSource.PROVINCIAL,
                                  amount=1_000_000_000)
        track = Track.objects.create(call=call, kind=TrackKind.BASIC, name="기초",
                                     name_en="Basic", order=1, target_count=20,
                                     max_project_cost=200_000_000, total_cap=100_000_000)
        FundingShare.objects.create(track=track, source=FundingSource.NATIONAL,
                                    rate=Decimal("0.3"), per_company_cap=60_000_000)
        FundingShare.objects.create(track=track, source=FundingSource.PROVINCIAL,
                                    rate=Decimal("0.2"), per_company_cap=40_000_000)
        rubric = EvaluationRound.objects.create(call=call, kind=EvaluationRound.Kind.DOCUMENT)
        for order, points in enumerate((30, 25, 20, 15, 10), start=1):
            Criterion.objects.create(round=rubric, name=f"평가항목 {order}",
                                     max_points=Decimal(points), order=order)
        calls.append(call)
    return calls


def plan_data(rng, track, company):
    cost = rng.randrange(60_000_000, 200_000_000, 1_000_000)
    in_kind = rng.randrange(0, cost // 5, 1_000_000)
    support = cost // 2
    plan = {
        "company_overview": f"{company.name}는 식품 제조 중소기업입니다. " * 4,
        "current_production": "수작업 중심의 생산 공정과 종이 작업지시서를 사용합니다. " * 3,
        "production_problems": "불량률과 재고 파악이 어렵습니다. " * 3,
        "systems": "MES, 설비 모니터링, 품질 관리 시스템을 구축합니다. " * 3,
        "supplier_id": None, "supplier_name": "벤치솔루션", "supplier_registration_number": "",
        "supplier_from_pool": False,
        "cost_software": cost // 2, "cost_hardware": cost - cost // 2, "cost_consulting": 0,
        "cost_other": 0, "total_cost": cost,
        "contribution_cash": cost - support - in_kind, "contribution_in_kind": in_kind,
        "kpis": [{"code": "productivity", "baseline": "100", "target": "120"},
                 {"code": "defect_rate", "baseline": "5", "target": "3"}],
        "schedule_start": "2025-10-01", "schedule_end": "2026-06-30",
        "schedule_notes": "착수, 구축, 안정화 순서로 진행합니다.",
    }
    return cost, support, {
        "plan": plan,
        "support": {"project_cost": cost, "eligible_cost": cost,
                    "shares": {"national": support // 2, "provincial": support - support // 2},
                    "total": support, "contribution": cost - support},
        "rules": {}, "min_cash_share": "0.5",
        "track": {"id": track.pk, "kind": track.kind, "name": track.name},
        "company": {"name": company.name, "registration_number": company.registration_number},
        "documents_ids": [], "bonus_claims": [],
    }


def plan_row(application, data):
    from applications.models import BusinessPlan

    plan = data["plan"]
    return BusinessPlan(
        application=application, revision=3,
        **{name: plan[name] for name in (
            "company_overview", "current_production", "production_problems", "systems",
            "supplier_name", "cost_software", "cost_hardware", "cost_consulting", "cost_other",
            "contribution_cash", "contribution_in_kind", "kpis", "schedule_notes")},
        schedule_start="2025-10-01", schedule_end="2026-06-30")


def seed(count: int, announcement_count: int):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from applications.enums import ApplicationStatus
    from applications.models import Application, BusinessPlan, Document, PlanVersion
    from awards import services as award_services
    from awards.enums import NoticeStatus, RunStatus
    from awards.models import AwardRun, Notice
    from companies.models import Company, Membership, Supplier
    from portal.models import User
    from programs import demo
    from programs.enums import AnnouncementStatus
    from programs.models import Announcement, Call, DocumentType, EvaluationRound, Region
    from reviews.enums import ConflictStatus
    from reviews.models import Assignment, ReviewerProfile, Score

    started = time.perf_counter()
    start_redis()
    recreate_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False, clear=True)
    rng = random.Random(2025)
    now = timezone.now()
    demo.load()
    Call.objects.filter(code="2025-JB").update(opens_at=now - timedelta(days=60),
                                               closes_at=now - timedelta(days=1))
    extra_calls = clone_calls(50, rng)
    regions = {region.code: region for region in Region.objects.all()}

    # 500 published announcements (the demo's one per call, the rest over the new calls).
    existing = Announcement.objects.count()
    Announcement.objects.bulk_create(
        Announcement(call=call, title=f"{call.title} 공고 {n // 50 + 1}",
                     title_en=f"Call for applications: {call.title_en}",
                     body=BODY.format(title=call.title), status=AnnouncementStatus.PUBLISHED,
                     published_at=now - timedelta(hours=n))
        for n, call in ((n, extra_calls[n % len(extra_calls)])
                        for n in range(max(0, announcement_count - existing))))

    Supplier.objects.bulk_create(
        Supplier(name=f"벤치공급기업 {n:03d}", registration_number=registration_number(800_000 + n),
                 specialties="MES, ERP, PLC", industries="식품, 음료", processes="배합, 포장",
                 region=list(regions.values())[n % 3] if n % 4 else None,
                 contact_name="김담당", contact_email=f"supplier{n}@bench.test",
                 past_builds=n % 40, approved=True)
        for n in range(300))

    staff = User.objects.create(email="bench-staff@mss.test", username="bench-staff",
                                full_name="벤치 담당관", is_staff=True, is_superuser=True,
                                password=PASSWORD)
    reviewer_users = User.objects.bulk_create(
        User(email=f"bench-reviewer{n}@review.test", username=f"bench-reviewer{n}",
             full_name=f"벤치위원{n:02d}", password=PASSWORD) for n in range(25))
    profiles = ReviewerProfile.objects.bulk_create(
        ReviewerProfile(user=user, organisation="벤치대학교",
                        organisation_registration_number=registration_number(900_000 + n))
        for n, user in enumerate(reviewer_users))

    calls = {code: Call.objects.get(code=code) for code in ("2025-GB", "2025-JN", "2025-JB")}
    for profile in profiles:
        profile.calls.set(calls.values())
    tracks = {code: list(call.tracks.order_by("order")) for code, call in calls.items()}
    rounds = {code: EvaluationRound.objects.get(call=call) for code, call in calls.items()}
    criteria = {code: list(r.criteria.order_by("order")) for code, r in rounds.items()}

    codes = list(calls)
    companies = Company.objects.bulk_create(
        (Company(name=f"벤치식품 {n:05d}", registration_number=registration_number(n),
                 representative="홍길동", address="주소", region=regions[codes[n % 3][-2:]],
                 ksic_code="C10", is_sme=True, employees=20, revenue=1_000_000_000)
         for n in range(count)), batch_size=5000)
    statuses = {"2025-GB": ApplicationStatus.UNDER_REVIEW,
                "2025-JN": ApplicationStatus.UNDER_REVIEW, "2025-JB": ApplicationStatus.SCORED}
    applications = Application.objects.bulk_create(
        (Application(call=calls[codes[n % 3]],
                     track=tracks[codes[n % 3]][(n // 3) % len(tracks[codes[n % 3]])],
                     company=company, status=statuses[codes[n % 3]],
                     receipt_number=f"{codes[n % 3]}-{n // 3 + 1:05d}",
                     submitted_at=now - timedelta(days=5, seconds=n))
         for n, company in enumerate(companies)), batch_size=5000)
    plans, versions = [], []
    for application in applications:
        cost, support, data = plan_data(rng, application.track, application.company)
        plans.append(plan_row(application, data))
        versions.append(PlanVersion(application=application, number=1, plan_revision=3,
                                    data=data, total_cost=cost, requested_support=support))
    BusinessPlan.objects.bulk_create(plans, batch_size=5000)
    PlanVersion.objects.bulk_create(versions, batch_size=5000)

    assignments = []
    for index, application in enumerate(applications):
        code = codes[index % 3]
        for k in range(5):
            # Jeonnam: the fifth reviewer of every other application has not submitted yet.
            done = not (code == "2025-JN" and k == 4 and index % 2)
            assignments.append(Assignment(
                round=rounds[code], application=application,
                reviewer=profiles[(index + k * 5) % len(profiles)],
                conflict=ConflictStatus.NONE, conflict_answered_at=now,
                submitted_at=now if done else None, assigned_by=staff))
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    by_round = {rounds[code].pk: criteria[code] for code in codes}
    scores = []
    for assignment in assignments:
        for criterion in by_round[assignment.round_id]:
            halves = rng.randint(int(criterion.max_points), int(criterion.max_points) * 2)
            scores.append(Score(assignment=assignment, criterion=criterion,
                                points=Decimal(halves) / 2))
    Score.objects.bulk_create(scores, batch_size=10000)
    EvaluationRound.objects.filter(pk__in=[r.pk for r in rounds.values()]).update(locked_at=now)

    # A company with an application to each of the other calls: drafts, and submitted ones
    # with two versions and their documents.
    many = Company.objects.create(name="벤치다중기업", registration_number=registration_number(
        700_000), representative="김대표", address="경상북도", region=regions["GB"],
        ksic_code="C10", is_sme=True, employees=80, revenue=9_000_000_000)
    member = User.objects.create(email="bench-company@company.test", username="bench-company",
                                 full_name="벤치 대표", password=PASSWORD)
    Membership.objects.create(company=many, user=member)
    doc_types = list(DocumentType.objects.order_by("code"))
    own_draft = None
    for n, call in enumerate(extra_calls):
        track = call.tracks.get()
        submitted = n % 2 == 1
        application = Application.objects.create(
            call=call, track=track, company=many, created_by=member,
            status=ApplicationStatus.SUBMITTED if submitted else ApplicationStatus.DRAFT,
            receipt_number=f"{call.code}-0001" if submitted else None,
            submitted_at=now - timedelta(days=1) if submitted else None)
        cost, support, data = plan_data(rng, track, many)
        plan_row(application, data).save()
        Document.objects.bulk_create(
            Document(application=application, document_type=kind,
                     file=f"documents/bench/{application.pk}-{kind.pk}.pdf",
                     original_name=f"{kind.code}.pdf", content_type="application/pdf",
                     size=120_000, uploaded_by=member) for kind in doc_types[:2])
        if submitted:
            PlanVersion.objects.bulk_create(
                PlanVersion(application=application, number=number, plan_revision=number,
                            data=data, total_cost=cost, requested_support=support,
                            submitted_by=member) for number in (1, 2))
        elif own_draft is None and call.status() == "open":
            own_draft = application

    # Jeonbuk: a confirmed run (the budget dashboard) and a newer preview (the award preview),
    # and a generated notice to verify.
    jb = calls["2025-JB"]
    confirmed = AwardRun.objects.create(call=jb, started_by=staff)
    award_services.compute_run(confirmed.pk)
    AwardRun.objects.filter(pk=confirmed.pk).update(status=RunStatus.CONFIRMED,
                                                    confirmed_by=staff, confirmed_at=now)
    line = confirmed.lines.order_by("position").first()
    notice = Notice.objects.create(run=confirmed, application_id=line.application_id, line=line,
                                   kind=line.outcome, status=NoticeStatus.SENT,
                                   file="notices/bench.pdf", generated_at=now, emailed_at=now)
    preview = AwardRun.objects.create(call=jb, started_by=staff)
    award_services.compute_run(preview.pk)

    # Staff and reviewers must have an authenticator app (portal/mfa.py).
    from allauth.mfa.models import Authenticator

    for user in (staff, reviewer_users[0]):
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                     data={"secret": "JBSWY3DPEHPK3PXP"})

    def session_for(user):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "accounts.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(30 * 24 * 3600)
        store.create()
        return store.session_key

    announcement = Announcement.objects.filter(call__code="2025-GB").get()
    state = {
        "applications": count,
        "announcements": Announcement.objects.count(),
        "sessions": {"staff": session_for(staff), "reviewer": session_for(reviewer_users[0]),
                     "company": session_for(member)},
        "announcement": announcement.pk,
        "notice_code": notice.code,
        "matrix_round": rounds["2025-GB"].pk,
        "jb_call": jb.pk,
        "preview_run": preview.pk,
        "plan_application": own_draft.pk,
    }
    STATE.parent.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps(state, indent=2))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded {count} applications, {len(assignments)} reviews, {len(scores)} scores, "
          f"{state['announcements']} announcements in {time.perf_counter() - started:.0f} s")


# --- The pages ------------------------------------------------------------------------------

def pages(state) -> list[tuple[str, str, str | None]]:
    """(name, path, session) of every page measured."""
    return [
        ("home", "/", None),
        ("announcements", "/announcements/", None),
        ("announcements filtered", "/announcements/?region=GB&status=open&sector=", None),
        ("announcements search", "/announcements/?q=%EC%8B%9D%ED%92%88", None),
        ("announcement detail", f"/announcements/{state['announcement']}/", None),
        ("atom feed", "/announcements/feed/", None),
        ("supplier pool", "/suppliers/", None),
        ("verify notice", f"/notices/verify/{state['notice_code']}/", None),
        ("company dashboard", "/dashboard/", "company"),
        ("plan step", f"/applications/{state['plan_application']}/plan/budget/", "company"),
        ("staff application list", "/operator/applications/", "staff"),
        ("reviewer queue", "/reviews/", "reviewer"),
        ("score matrix", f"/manage/reviews/rounds/{state['matrix_round']}/matrix/", "staff"),
        ("round assignments", f"/manage/reviews/rounds/{state['matrix_round']}/", "staff"),
        ("staff dashboard", "/dashboard/", "staff"),
        ("budget dashboard", f"/manage/awards/calls/{state['jb_call']}/budget/", "staff"),
        ("award preview", f"/manage/awards/runs/{state['preview_run']}/", "staff"),
        ("admin applications", "/admin/applications/application/", "staff"),
        ("admin assignments", "/admin/reviews/assignment/", "staff"),
        ("admin result lines", "/admin/awards/resultline/", "staff"),
    ]


FLOOR = ("floor", "/bench/floor/", None)


def selected(state, names):
    every = pages(state)
    if not names:
        return every
    wanted = [name.strip() for name in names.split(",")]
    chosen = [page for page in every if any(w in page[0] for w in wanted)]
    if not chosen:
        sys.exit(f"No page matches {names!r}; pages: {', '.join(p[0] for p in every)}")
    return chosen


def client_for(state, session):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", secure=True)
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = state["sessions"][session]
    return client


def measure_in_process(state, page, repeat=5):
    """(status, queries, bytes, median server ms) of one page, in this process."""
    name, path, session = page
    client = client_for(state, session)
    cached = settings.PUBLIC_PAGE_CACHE
    settings.PUBLIC_PAGE_CACHE = False  # the figures of a page rendered
    response = client.get(path)  # warm up (templates, caches)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    count = len(queries.captured_queries)  # the next request clears the log
    content = b"".join(response.streaming_content) if response.streaming else response.content
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        again = client.get(path)
        if again.streaming:
            b"".join(again.streaming_content)
        durations.append(time.perf_counter() - start)
    settings.PUBLIC_PAGE_CACHE = cached
    return response.status_code, count, len(content), \
        statistics.median(durations) * 1000


def start_redis():
    """The bench's own Redis (cache and broker URL), started when it is not running."""
    port = os.environ["BENCH_REDIS_PORT"]
    if subprocess.run(["redis-cli", "-p", port, "ping"], capture_output=True).returncode == 0:
        subprocess.run(["redis-cli", "-p", port, "flushall"], capture_output=True, check=True)
        return
    subprocess.run(["redis-server", "--port", port, "--save", "", "--appendonly", "no",
                    "--daemonize", "yes", "--pidfile", str(STATE.parent / "redis.pid")],
                   check=True)
    time.sleep(0.5)


def start_gunicorn(port: int):
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "portal.wsgi", "-w", "2",
               "-b", f"127.0.0.1:{port}", "--worker-class", "sync", "--timeout", "300",
               "--log-level", "warning", "--chdir", str(ROOT)]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings")
    process = subprocess.Popen(command, env=env, start_new_session=True)
    for _ in range(100):
        time.sleep(0.2)
        try:
            subprocess.run(["curl", "-sf", "-o", "/dev/null", "-H", "X-Forwarded-Proto: https",
                            f"http://127.0.0.1:{port}{FLOOR[1]}"], check=True, timeout=5)
            return process
        except subprocess.CalledProcessError:
            continue
    process.terminate()
    sys.exit("gunicorn did not answer")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def wait_idle(port, limit=300):
    """Wait until both workers are free: wrk stops sending at the end of its run, but the
    requests it left queued (16 connections) are still served, seconds each on a slow page."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        times = []
        for _ in range(4):
            start = time.perf_counter()
            subprocess.run(["curl", "-s", "-o", "/dev/null", "-m", "30", "-H",
                            "X-Forwarded-Proto: https", f"http://127.0.0.1:{port}{FLOOR[1]}"])
            times.append(time.perf_counter() - start)
        if max(times) < 0.1:
            return
        time.sleep(0.5)


def wrk(state, page, port, duration):
    name, path, session = page
    command = ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency",
               "-H", "X-Forwarded-Proto: https"]
    if session:
        command += ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={state['sessions'][session]}"]
    output = subprocess.run(command + ["--timeout", "30s", f"http://127.0.0.1:{port}{path}"],
                            capture_output=True, text=True, check=True).stdout
    wait_idle(port)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    if errors:
        print(f"  ! {name}: {errors.group(1)} responses were not 2xx/3xx", file=sys.stderr)
    return rate, p99.group(1) if p99 else "?"


def run(state, names, port, duration, rounds):
    chosen = selected(state, names)
    facts = {page[0]: measure_in_process(state, page, repeat=3) for page in chosen}
    for name, (status, *_rest) in facts.items():
        if status != 200:
            print(f"  ! {name}: status {status}", file=sys.stderr)
    process = start_gunicorn(port)
    ratios = {page[0]: [] for page in chosen}
    floors, p99s = [], {}
    try:
        for page in chosen:  # warm every worker up
            wrk(state, page, port, 1)
            wait_idle(port)
        for round_number in range(rounds):
            for page in chosen:
                floor, _ = wrk(state, FLOOR, port, duration)
                rate, p99 = wrk(state, page, port, duration)
                floors.append(floor)
                ratios[page[0]].append(rate / floor if floor else 0.0)
                p99s[page[0]] = p99
                print(f"  round {round_number + 1} {page[0]}: {rate:.1f} req/s, floor "
                      f"{floor:.0f} req/s, ratio {rate / floor:.3f}", file=sys.stderr)
    finally:
        stop(process)
    cached = "with" if settings.PUBLIC_PAGE_CACHE else "without"
    print(f"\n{state['applications']} applications, {state['announcements']} announcements, "
          f"{cached} the public page cache; "
          f"floor {min(floors):.0f}–{max(floors):.0f} req/s; wrk -t2 -c16 -d{duration}s × "
          f"{rounds} rounds\n")
    print("| page | ratio min / median / max | queries | bytes | p99 (last round) | "
          "server ms (in-process, uncached) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for page in chosen:
        values = ratios[page[0]]
        _status, queries, size, ms = facts[page[0]]
        print(f"| {page[0]} | {min(values):.3f} / {statistics.median(values):.3f} / "
              f"{max(values):.3f} | {queries} | {size:,} | {p99s[page[0]]} | {ms:.1f} |")
    medians = {name: statistics.median(values) for name, values in ratios.items()}
    worst = min(medians, key=medians.get)
    print(f"\nsummary: {len(chosen)} pages, median ratio {statistics.median(medians.values()):.3f}"
          f", lowest {worst} {medians[worst]:.3f}")


def queries(state, names):
    print(f"{state['applications']} applications\n")
    print("| page | status | queries | bytes | server ms (in-process, median of 5) |")
    print("| --- | --- | --- | --- | --- |")
    for page in selected(state, names):
        status, count, size, ms = measure_in_process(state, page)
        print(f"| {page[0]} | {status} | {count} | {size:,} | {ms:.1f} |")


def profile(state, names, requests):
    [page] = selected(state, names)[:1]
    client = client_for(state, page[2])
    client.get(page[1])
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(page[1])
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    print(f"{page[0]} ({page[1]}), {requests} requests")
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)


def main():
    # A stopped bench stops its gunicorn too (``run``'s finally clause).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["seed", "run", "queries", "profile"])
    parser.add_argument("page", nargs="?", default="")
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--announcements", type=int, default=500)
    parser.add_argument("--pages", default="")
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--no-cache", action="store_true",
                        help="without the public pages' cache (for the uncached figures)")
    args = parser.parse_args()
    if args.no_cache:
        os.environ["BENCH_PAGE_CACHE"] = "off"  # for gunicorn
        settings.PUBLIC_PAGE_CACHE = False  # in this process
    if args.command == "seed":
        seed(args.applications, args.announcements)
        return
    state = json.loads(STATE.read_text())
    start_redis()
    if args.command == "run":
        run(state, args.pages, args.port, args.duration, args.rounds)
    elif args.command == "queries":
        queries(state, args.pages)
    else:
        profile(state, args.page or args.pages, args.requests)


if __name__ == "__main__":
    main()
