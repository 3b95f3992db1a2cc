"""Run pip-audit on the installed dependencies and say plainly what it could and could not check.

pip-audit reports "No known vulnerabilities found" even when it could audit nothing (its service
unreachable, or an index without the JSON API): every package is then merely "skipped". This
wrapper counts those and never lets them pass silently:

- a known vulnerability in any package: exit 1;
- packages that could not be audited: a loud NOT AUDITED report, and exit 2 when
  PIP_AUDIT_REQUIRED=1 (set it wherever CI can reach the vulnerability service); otherwise exit 0
  so an offline CI still runs the tests, with the gap in its log;
- everything audited and clean: exit 0.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        report_path = Path(scratch) / "pip-audit.json"
        completed = subprocess.run(  # noqa: S603 - our own venv's pip-audit, fixed arguments
            [
                str(Path(sys.executable).with_name("pip-audit")),
                "--skip-editable",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                str(report_path),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if not report_path.exists():
            print("pip-audit: NOT AUDITED: pip-audit produced no report", file=sys.stderr)
            print(completed.stderr[-2000:], file=sys.stderr)
            return 2 if os.environ.get("PIP_AUDIT_REQUIRED") == "1" else 0
        report = json.loads(report_path.read_text())

    code, message = verdict(report, required=os.environ.get("PIP_AUDIT_REQUIRED") == "1")
    print(message, file=sys.stderr if code else sys.stdout)
    return code


def verdict(report: dict, *, required: bool) -> tuple[int, str]:
    """Exit code and message for a pip-audit JSON report."""
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    if vulnerable:
        lines = [
            f"VULNERABLE {d['name']} {d['version']}: {v['id']} "
            f"({', '.join(v.get('fix_versions') or []) or 'no fix yet'})"
            for d in vulnerable
            for v in d["vulns"]
        ]
        return 1, "\n".join(lines)
    if skipped or not dependencies:
        message = (
            f"pip-audit: NOT AUDITED: {len(skipped)} of {len(dependencies)} packages could not be "
            f"checked ({skipped[0]['skip_reason'] if skipped else 'empty report'}). The "
            "vulnerability service is probably unreachable from here. Set PIP_AUDIT_REQUIRED=1 to "
            "make this fail."
        )
        return (2 if required else 0), message
    return 0, f"pip-audit: {len(dependencies)} packages audited, no known vulnerabilities"


if __name__ == "__main__":
    sys.exit(main())
