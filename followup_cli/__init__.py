"""followup: run a shop's customer follow-up policy from its own Excel workbooks."""

__version__ = "0.1.0"
