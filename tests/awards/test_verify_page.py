"""The public verification page reads one notice with its facts in one query, without its
run's stored inputs (every candidate of the call), and renders its form without crispy."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.awards.test_notices import confirmed, notice_of  # noqa: F401


def test_verify_page_one_query_without_the_run_inputs(confirmed, client):  # noqa: F811
    run, adv = confirmed
    notice = notice_of(run, adv[0])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/notices/verify/{notice.code}/")
    assert (response.status_code, len(queries.captured_queries)) == (200, 1)
    assert '"awards_awardrun"."inputs"' not in queries.captured_queries[0]["sql"]
    assert 'id="div_id_code" class="mb-3"' in response.content.decode()
