"""evaluation/ (`make eval`): the real-wording targets hold, and the real-document labels of
evaluation.documents are run when that module exists."""
from __future__ import annotations

import sys
import types

from evaluation import __main__ as eval_main
from evaluation import phrasing


def test_real_wording_meets_the_targets(capsys):
    assert phrasing.main([]) == 0
    out = capsys.readouterr().out
    assert "target met" in out and "O17 complaint_stats" in out and "O15 announcements" in out


def test_context_only_rows_are_left_out():
    rows = phrasing.read_rows(phrasing.DEV)
    assert rows and not any("CONTEXT-ONLY" in row.note for row in rows)
    assert {row.kind for row in rows} == {"link_text", "item_label", "doc_title"}


def test_documents_module_is_called_when_present(monkeypatch, capsys):
    called = []
    fake = types.ModuleType("evaluation.documents")
    fake.main = lambda: called.append(True) or 0
    monkeypatch.setitem(sys.modules, "evaluation.documents", fake)
    import evaluation
    monkeypatch.setattr(evaluation, "documents", fake, raising=False)
    assert eval_main.main([]) == 0
    assert called == [True]
