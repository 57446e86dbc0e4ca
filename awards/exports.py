"""An award run's result lines as a table, written to CSV or XLSX for staff through the safe
writers of ``portal.exports`` (issue 14 item 8): each application's rank, score, outcome and
the stability of its decision, with the rule and calibrated scores the run was computed from
and, for a call evaluated in rounds, each round's score."""

from django.utils.translation import gettext as _

from portal import exports
from portal.templatetags.portal_tags import tr

from .models import AwardRun
from .selectors import run_lines


def run_table(run: AwardRun) -> tuple[list, list[list]]:
    """(header, rows) of the run's result lines in their order. Three queries."""
    inputs = AwardRun.objects.filter(pk=run.pk).values_list("inputs", flat=True).get() or {}
    candidates = {c["application_id"]: c for c in inputs.get("candidates", [])}
    rounds = inputs.get("call", {}).get("rounds") or []
    header = [_("Receipt number"), _("Company"), _("Track"), _("Rank"), _("Final score"),
              _("Outcome"), _("Waitlist position"), _("Stability (%)"), _("Rule score"),
              _("Calibrated score")]
    header += [_("Round %(order)d score") % {"order": r["order"]} for r in rounds]
    rows = []
    for line in run_lines(run):
        candidate = candidates.get(line.application_id, {})
        score = candidate.get("score", {})
        calibrated = "calibrated_base" in score
        row = [line.application.receipt_number or "", line.application.company.name,
               tr(line.track, "name"), line.rank, line.final_score, line.get_outcome_display(),
               line.waitlist_position if line.waitlist_position is not None else "",
               line.stability if line.stability is not None else "",
               score.get("final_score", "") if calibrated else line.final_score,
               candidate.get("final_score", "") if calibrated else ""]
        by_round = {pk: value for pk, _weight, value in score.get("rounds", [])}
        row += [by_round.get(r["id"]) or "" for r in rounds]
        rows.append(row)
    return header, rows


def run_csv(run: AwardRun) -> bytes:
    header, rows = run_table(run)
    return exports.csv_bytes([header, *rows])


def run_xlsx(run: AwardRun) -> bytes:
    header, rows = run_table(run)
    workbook = exports.xlsx_workbook()
    sheet = exports.table_sheet(workbook, _("Results"), header)
    exports.write_rows(sheet, rows)
    return exports.xlsx_bytes(workbook)
