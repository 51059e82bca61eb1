"""The staff console (UI.md): the 3PL's own people, role Admin, at /admin; not built yet."""
