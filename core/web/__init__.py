"""The web shell: base layout, home, health check, error pages, language and navigation."""
