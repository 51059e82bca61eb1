"""Printable documents (PDF): return labels and invoices."""
