"""The shopper portal (UI.md): public pages at /portal/{slug} to start and follow a return; not built yet."""
