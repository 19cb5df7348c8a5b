"""Renderers: Report -> text, HTML, Markdown."""
