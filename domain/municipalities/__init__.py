"""The municipality configurations bundled with Boligspor (TOML files; Moss's is the default)."""
