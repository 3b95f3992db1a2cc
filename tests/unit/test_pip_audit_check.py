"""The CI wrapper around pip-audit never lets "could not check" pass as "clean"."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_path = Path(__file__).resolve().parents[2] / ".ci" / "pip_audit_check.py"
_spec = importlib.util.spec_from_file_location("pip_audit_check", _path)
pip_audit_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pip_audit_check)
verdict = pip_audit_check.verdict

CLEAN = {"name": "flask", "version": "3.1.3", "vulns": []}
SKIPPED = {"name": "flask", "version": "3.1.3", "skip_reason": "Dependency not found on PyPI"}
VULNERABLE = {
    "name": "jinja2",
    "version": "2.0",
    "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["3.1.6"]}],
}


def test_a_clean_full_audit_passes():
    code, message = verdict({"dependencies": [CLEAN]}, required=True)
    assert code == 0 and "1 packages audited" in message


def test_a_known_vulnerability_fails_whatever_else():
    code, message = verdict({"dependencies": [CLEAN, SKIPPED, VULNERABLE]}, required=False)
    assert code == 1 and "VULNERABLE jinja2 2.0: PYSEC-0000-1 (3.1.6)" in message


def test_packages_not_audited_are_reported_and_fail_when_required():
    for report in ({"dependencies": [CLEAN, SKIPPED]}, {"dependencies": []}):
        code, message = verdict(report, required=False)
        assert code == 0 and "NOT AUDITED" in message
        code, message = verdict(report, required=True)
        assert code == 2 and "NOT AUDITED" in message
