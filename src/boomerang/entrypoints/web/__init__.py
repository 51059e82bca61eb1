"""The web pages: the merchant dashboard (and the operator station), a second client of `services/`."""
