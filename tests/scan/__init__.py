"""Tests for hfauth_nb.scan."""
