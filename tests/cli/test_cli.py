#!/usr/bin/env python3
"""End-to-end tests of the crm command-line tool.

usage: test_cli.py CRM_BINARY [TEST ...]     (no TEST: run them all)
       test_cli.py --list                       (the test names)

Every test runs the real binary over a fresh temporary database and checks
stdout, stderr, exit codes and what ends up stored. Python 3 standard library only.
"""
import sys

import harness
import cli_core_tests  # noqa: F401  (registers its tests)
import cli_area_tests  # noqa: F401
import cli_demo_tests  # noqa: F401
import cli_parity_tests  # noqa: F401  (issue 8: parity, --json everywhere, exit codes)
import cli_scoring_tests  # noqa: F401  (lead scoring)
import cli_forms_tests  # noqa: F401  (forms and lead capture)
import cli_thresholds_tests  # noqa: F401  (score thresholds, lifecycle)
import cli_normalize_tests  # noqa: F401  (normalisation)
import cli_signals_tests  # noqa: F401  (re-engagement and churn signals)
import cli_predictive_tests  # noqa: F401  (predictive scoring)
import cli_routing_tests  # noqa: F401  (routing of hot leads)
import cli_csv_tests  # noqa: F401  (CSV files)
import cli_import_tests  # noqa: F401  (import and export)
import cli_search_tests  # noqa: F401  (full-text search)
import cli_dedup_tests  # noqa: F401  (duplicate detection and merge)

if __name__ == "__main__":
    sys.exit(harness.main())
