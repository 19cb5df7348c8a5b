"""The engine: gather facts, probe the Hub, judge, report."""
