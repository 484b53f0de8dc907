"""slint: static analysis and policy linter for serverless AWS templates."""

__version__ = "0.1.0"
