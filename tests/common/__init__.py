"""Helpers shared by test modules, named for what they hold (tests/README.md lists them).

A test module imports helpers from here, never from another test module or a conftest; conftest
files hold only fixtures and hooks (tests/framework/test_test_layout.py checks both)."""
