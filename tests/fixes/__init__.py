"""Tests for hfauth_nb.fixes."""
