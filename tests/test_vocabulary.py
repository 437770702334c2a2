"""Facts kept once: every status, failure kind and time rule has its label in the one table, and the
crawl records only failure kinds that table knows."""
from __future__ import annotations

import pytest

from crawler.audit.checklist import TIME_RULES
from crawler.audit.status import (ELEMENT_STATUS_LABELS, STATUS_LABELS, STATUS_MARKS, TIME_RULE_LABELS,
                                  ElementStatus, ItemStatus, element_status, status_label)
from crawler.evidence.failures import FAILURE_LABELS, FailureKind, failure_label


def test_every_status_and_failure_kind_has_thai_and_english_labels():
    assert set(STATUS_LABELS) == set(STATUS_MARKS) == set(ItemStatus)
    assert set(ELEMENT_STATUS_LABELS) == set(ElementStatus)
    assert set(FAILURE_LABELS) == set(FailureKind)
    for th, en in [*STATUS_LABELS.values(), *ELEMENT_STATUS_LABELS.values(), *FAILURE_LABELS.values()]:
        assert th and en and th != en


def test_every_checklist_time_rule_has_a_window_label():
    assert set(TIME_RULE_LABELS) == set(TIME_RULES)


@pytest.mark.parametrize("status, kind", [(401, "http_401"), (403, "http_403"), (404, "http_404"),
                                          (410, "http_410"), (400, "http_4xx"), (429, "http_4xx"),
                                          (500, "http_5xx"), (503, "http_5xx"), (300, "http_other")])
def test_http_errors_map_to_labelled_kinds(status, kind):
    assert FailureKind.of_http_status(status) == kind
    assert failure_label(kind)


def test_labels_of_plain_strings_from_stored_runs():
    """report.json and the store hold plain strings: they find the same labels, unknown ones pass through."""
    assert status_label("fail") == "ไม่ผ่าน (Fail)"
    assert failure_label("http_404") == "ไม่พบหน้า"
    assert failure_label("http_418") is None
    assert element_status({"satisfied": True}) == "satisfied"
    assert element_status({"status": "review", "satisfied": False}) == "review"
