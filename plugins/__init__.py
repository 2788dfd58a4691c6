"""Plugins bundled with Tremplin, written exactly like third-party ones."""
